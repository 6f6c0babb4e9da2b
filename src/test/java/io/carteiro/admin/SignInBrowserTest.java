package io.carteiro.admin;

import io.carteiro.support.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SignInBrowserTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void adminSignsInSeesTheDashboardAndSignsOut() {
        String root = base.toString().replaceAll("/$", "");
        try (Browser browser = Browser.open(root)) {
            browser.go("/admin");
            browser.waitFor(d -> d.getCurrentUrl().contains("/login"));
            browser.signIn(SignInTest.ADMIN, SignInTest.PASSWORD);
            assertTrue(browser.pageText().contains("Welcome, " + SignInTest.ADMIN), browser.pageText());
            browser.click(By.cssSelector("form.sign-out button"));
            browser.waitFor(d -> d.getCurrentUrl().contains("signedOut"));
            browser.go("/admin");
            browser.waitFor(d -> d.getCurrentUrl().contains("/login"));
        }
    }
}
