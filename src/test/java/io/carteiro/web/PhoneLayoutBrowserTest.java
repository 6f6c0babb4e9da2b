package io.carteiro.web;

import io.carteiro.support.Browser;
import io.carteiro.unsubscribe.SignedLinks;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 15.12: on a phone (390×844) no page scrolls sideways. Headless Chromium, emulating the phone, opens every
 * public page and then every admin page it reaches by following links from the dashboard (one page of each kind),
 * with lists, subscribers with long names, an import with row errors, a queued campaign, suppressions, a token, a
 * second admin and a DKIM key made first, so the tables have rows; it names each page wider than the screen and
 * what sticks out. The admin menu folds behind a button that opens without script. Screenshots of every page at 390
 * px, and of some at 1366 px, are written under {@code target/screenshots/} for a person to look at.
 */
@QuarkusTest
class PhoneLayoutBrowserTest {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";
    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;
    static final int MOST_PAGES = 90;
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /**
     * The elements that reach past the phone's right edge when the page is wider than the phone, else ''. A phone
     * shows a page wider than itself by zooming out (its layout viewport, window.innerWidth, grows to the page's
     * width), so both the page's width and the viewport's are held to the phone's.
     */
    static final String TOO_WIDE = "const w = " + PHONE_WIDTH + ";"
            + "const page = Math.max(document.documentElement.scrollWidth, window.innerWidth);"
            + "if (page <= w) return '';"
            + "return page + ' px wide (scrollWidth ' + document.documentElement.scrollWidth + ', innerWidth '"
            + " + window.innerWidth + '); sticking out: '"
            + " + (Array.from(document.body.querySelectorAll('*'))"
            + ".filter(e => e.getBoundingClientRect().right > w + 1)"
            + ".slice(-4).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
            + " + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().replace(/ +/g, '.') : ''))"
            + ".join(', ') || 'the page');";

    @TestHTTPResource("/")
    URL base;

    @Inject
    SignedLinks links;

    @Test
    void noPageScrollsSidewaysOnAPhoneAndTheMenuFoldsBehindAButton() throws IOException {
        String tag = Long.toString(System.nanoTime());
        long list = api().body(Map.of("name", "Phone layout " + tag + " with a rather long name for a list",
                        "optIn", "double", "description", "A list whose description goes on for a while, as they do."))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        api().body(Map.of("name", "Phone layout " + tag + " with a rather long name for a list", "publicForm", true))
                .put("/api/lists/" + list).then().statusCode(200);
        long subscriber = 0;
        for (int i = 0; i < 3; i++) {
            subscriber = api().body(Map.of("email", "a.very.long.address.of.someone." + i + "-" + tag
                                    + "@subdomain.of.a.long-domain-name.example.test",
                            "name", "Maria da Conceição Albuquerque Vasconcelos " + i,
                            "attributes", Map.of("city", "Vila Nova de Famalicão", "plan", "premium-annual")))
                    .post("/api/lists/" + list + "/subscribers").then().statusCode(201).extract().jsonPath()
                    .getLong("id");
        }
        String csv = "email,name\nimported-" + tag + "@example.test,Imported Person\nnot an address,Broken Row\n";
        api().contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .queryParam("legalBasis", "consent collected at the phone test")
                .post("/api/lists/" + list + "/imports").then().statusCode(202);
        long campaign = api().body(Map.of("name", "Phone campaign " + tag, "subject", "A subject line that is long"
                                + " enough to wrap on a phone", "fromEmail", "news@sender.test", "listIds", List.of(list),
                        "html", "<p>Hello {subscriber.name}</p><a href=\"{unsubscribeUrl}\">Leave</a>"))
                .post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
        api().body("{}").post("/api/campaigns/" + campaign + "/schedule").then().statusCode(200);
        api().body(Map.of("kind", "address", "value", "suppressed-" + tag + "@a-long-domain-name.example.test",
                "detail", "asked by telephone to never be written to again")).post("/api/suppressions")
                .then().statusCode(201);
        api().body(Map.of("kind", "domain", "value", "phone-" + tag + ".example.test")).post("/api/suppressions")
                .then().statusCode(201);
        api().body(Map.of("name", "phone " + tag, "scopes", List.of("read"))).post("/api/tokens")
                .then().statusCode(201);
        api().body(Map.of("email", "second-" + tag + "@carteiro.test", "password", PASSWORD))
                .post("/api/admin-users").then().statusCode(201);

        String root = base.toString().replaceAll("/$", "");
        List<String> problems = new ArrayList<>();
        Set<String> shapes = new HashSet<>();
        Files.createDirectories(SCREENSHOTS);
        try (Browser browser = Browser.open(root)) {
            phone(browser);
            List<String> publicPages = List.of("/login", "/subscribe", "/subscribe/" + list,
                    relative(links.preferencesUrl(subscriber)), relative(links.unsubscribeUrl(subscriber, list, null)),
                    relative(links.confirmUrl(subscriber, list)), "/p/forged.token.value");
            for (String page : publicPages) {
                visit(browser, page, problems);
            }
            browser.signIn(ADMIN, PASSWORD);
            // a DKIM key, made on its page as an admin does, so the sending identity's table has a row
            browser.go("/admin/delivery/settings");
            browser.type(By.id("domain"), "phone-" + tag + ".example.test");
            browser.click(By.xpath("//button[normalize-space()='Generate key']"));
            browser.waitFor(d -> d.getPageSource().contains("phone-" + tag + ".example.test"));

            menuFoldsOnThePhoneAndNotOnALaptop(browser);

            Deque<String> queue = new ArrayDeque<>(List.of("/admin"));
            int visited = 0;
            while (!queue.isEmpty() && visited < MOST_PAGES) {
                String page = queue.poll();
                if (!shapes.add(shape(page))) {
                    continue;
                }
                for (String link : visit(browser, page, problems)) {
                    if (followable(link) && !shapes.contains(shape(link))) {
                        queue.add(link);
                    }
                }
                visited++;
            }
            laptopScreenshots(browser, List.of("/admin", "/admin/bounces", "/admin/delivery/settings",
                    "/admin/subscribers", "/admin/campaigns/" + campaign, "/subscribe/" + list));
        }
        System.out.printf("Phone layout: %d admin page shapes at %d px%n", shapes.size(), PHONE_WIDTH);
        assertTrue(shapes.size() >= 15, "too few admin pages reached: " + shapes);
        if (!problems.isEmpty()) {
            fail("pages wider than a " + PHONE_WIDTH + " px phone:\n" + String.join("\n", problems));
        }
    }

    /** The phone's screen: 390×844 CSS pixels, a touch screen, as Chromium's device emulation has it. */
    private static void phone(Browser browser) {
        ((ChromeDriver) browser.driver()).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", PHONE_WIDTH, "height", PHONE_HEIGHT, "deviceScaleFactor", 1, "mobile", true));
    }

    private static void laptop(Browser browser) {
        ((ChromeDriver) browser.driver()).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", 1366, "height", 900, "deviceScaleFactor", 1, "mobile", false));
    }

    /** On the phone the menu is one button, which opens it (Sign out last); on a laptop it is one open row. */
    private static void menuFoldsOnThePhoneAndNotOnALaptop(Browser browser) throws IOException {
        browser.go("/admin");
        assertFalse(browser.driver().findElement(By.cssSelector("form.sign-out button")).isDisplayed(),
                "on the phone the menu starts folded");
        browser.click(By.cssSelector("label.menu-button"));
        assertTrue(browser.find(By.linkText("Deliverability")).isDisplayed());
        assertTrue(browser.find(By.cssSelector("form.sign-out button")).isDisplayed(), "Sign out is in the open menu");
        screenshot(browser, "menu-open-" + PHONE_WIDTH);
        laptop(browser);
        try {
            browser.go("/admin");
            assertFalse(browser.driver().findElement(By.cssSelector("label.menu-button")).isDisplayed(),
                    "no menu button on a laptop");
            assertTrue(browser.find(By.cssSelector("form.sign-out button")).isDisplayed());
        } finally {
            phone(browser);
        }
    }

    /** Opens a page on the phone, notes it when it is too wide, saves its picture; returns its same-origin links. */
    @SuppressWarnings("unchecked")
    private List<String> visit(Browser browser, String path, List<String> problems) throws IOException {
        browser.go(path);
        JavascriptExecutor js = (JavascriptExecutor) browser.driver();
        browser.waitFor(d -> "complete".equals(js.executeScript("return document.readyState")));
        // htmx's first requests (identity checks, progress) finish after the load event and change the width
        browser.waitFor(d -> Boolean.TRUE.equals(js.executeScript(
                "return !document.body || !document.body.classList.contains('htmx-request')")));
        String wide = (String) js.executeScript(TOO_WIDE);
        if (!wide.isEmpty()) {
            problems.add(path + ": " + wide);
        }
        wholePageScreenshot(browser, name(path) + "-" + PHONE_WIDTH);
        List<Object> hrefs = (List<Object>) js.executeScript(
                "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)");
        List<String> same = new ArrayList<>();
        String origin = base.getProtocol() + "://" + base.getAuthority();
        for (Object href : hrefs) {
            String url = href.toString();
            if (url.startsWith(origin + "/")) {
                same.add(url.substring(origin.length()).replaceAll("#.*$", ""));
            }
        }
        return same;
    }

    /** The whole page, not only its first screen: the phone made as tall as the page for the picture. */
    private static void wholePageScreenshot(Browser browser, String name) throws IOException {
        wholePageScreenshot(browser, name, PHONE_WIDTH, true);
        phone(browser);
    }

    private static void wholePageScreenshot(Browser browser, String name, int width, boolean mobile)
            throws IOException {
        long height = ((Number) ((JavascriptExecutor) browser.driver())
                .executeScript("return document.documentElement.scrollHeight")).longValue();
        ((ChromeDriver) browser.driver()).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", Math.min(Math.max(height, PHONE_HEIGHT), 8000),
                "deviceScaleFactor", 1, "mobile", mobile));
        screenshot(browser, name);
    }

    private static void laptopScreenshots(Browser browser, List<String> paths) throws IOException {
        for (String path : paths) {
            laptop(browser);
            browser.go(path);
            browser.waitFor(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                    "return document.readyState === 'complete' && !document.body.classList.contains('htmx-request')")));
            wholePageScreenshot(browser, name(path) + "-1366", 1366, false);
        }
    }

    private static void screenshot(Browser browser, String name) throws IOException {
        Files.write(SCREENSHOTS.resolve("phone-" + name + ".png"),
                ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES));
    }

    /** Admin pages only, not downloads, not sign-out. */
    private static boolean followable(String path) {
        return path.startsWith("/admin") && !path.contains("export") && !path.endsWith(".csv")
                && !path.contains("/raw") && !path.contains("/csv") && !path.contains("sign-out");
    }

    /** One page per kind: ids and query values do not make a new one. */
    private static String shape(String path) {
        URI uri = URI.create(path);
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery().replaceAll("=[^&]*", "");
        return uri.getRawPath().replaceAll("\\d+", "N") + query;
    }

    private static String name(String path) {
        String shape = shape(path.length() > 60 ? path.substring(0, 60) : path);
        String name = shape.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
        return name.isEmpty() ? "root" : name;
    }

    private static String relative(String url) {
        return url.replaceFirst("^https?://[^/]+", "");
    }

    private static RequestSpecification api() {
        return given().auth().preemptive().basic(ADMIN, PASSWORD).contentType("application/json");
    }
}
