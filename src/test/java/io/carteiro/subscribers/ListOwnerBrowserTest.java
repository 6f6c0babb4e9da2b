package io.carteiro.subscribers;

import io.carteiro.support.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A list owner's first day in a real browser (issue 2): sign in, create a list, add a subscriber, import a CSV with
 * one bad row and read that row's error on the import page, while the good rows are imported.
 */
@QuarkusTest
class ListOwnerBrowserTest {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";

    @TestHTTPResource("/")
    URL base;

    @Test
    void signInCreateAListAddASubscriberAndImportACsvWithOneBadRow() throws Exception {
        String listName = TestData.unique("Browser list");
        String subscriber = TestData.address("first.reader");
        String imported = TestData.address("imported");
        Path csv = Files.createTempFile("carteiro-import", ".csv");
        Files.writeString(csv, "email,name\n" + imported + ",Imported Reader\nnot-an-address,Broken Row\n",
                StandardCharsets.UTF_8);
        try (Browser browser = Browser.open(base.toString().replaceAll("/$", ""))) {
            browser.signIn(ADMIN, PASSWORD);

            browser.go("/admin/lists/new");
            browser.type(By.id("list-name"), listName);
            browser.click(By.id("list-opt-in-single"));
            browser.type(By.id("list-from-email"), "news@example.org");
            browser.click(By.id("list-save"));
            browser.waitFor(d -> d.getCurrentUrl().matches(".*/admin/lists/\\d+$"));
            String listId = browser.driver().getCurrentUrl().replaceAll(".*/admin/lists/", "");
            assertTrue(browser.pageText().contains("created"), browser.pageText());

            browser.go("/admin/subscribers/new");
            browser.type(By.id("subscriber-email"), subscriber);
            browser.type(By.id("subscriber-name"), "First Reader");
            new Select(browser.find(By.id("subscriber-list"))).selectByValue(listId);
            browser.click(By.id("subscriber-save"));
            browser.waitFor(d -> d.getCurrentUrl().matches(".*/admin/subscribers/\\d+.*"));
            assertTrue(browser.pageText().contains(subscriber), browser.pageText());

            browser.go("/admin/lists/" + listId + "/imports/new");
            browser.driver().findElement(By.id("file")).sendKeys(csv.toAbsolutePath().toString());
            browser.type(By.id("legalBasis"), "consent given at the browser test fair");
            browser.click(By.cssSelector("form[enctype='multipart/form-data'] button[type=submit]"));
            browser.waitFor(d -> d.getCurrentUrl().matches(".*/admin/imports/\\d+$"));
            // The progress fragment is reloaded by htmx until the job ends; then the row errors appear.
            browser.waitFor(d -> d.findElements(By.cssSelector("table.errors")).size() == 1);
            String page = browser.pageText();
            assertTrue(page.contains("Row errors"), page);
            assertTrue(page.contains("not-an-address"), page);
            assertTrue(page.contains("1 added"), page);

            browser.go("/admin/subscribers?listId=" + listId);
            browser.waitFor(d -> d.findElement(By.tagName("body")).getText().contains(imported));
            assertTrue(browser.pageText().contains(subscriber), browser.pageText());
        } finally {
            Files.deleteIfExists(csv);
        }
    }
}
