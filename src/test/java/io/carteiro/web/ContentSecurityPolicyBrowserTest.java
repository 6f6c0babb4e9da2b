package io.carteiro.web;

import io.carteiro.support.Browser;
import io.carteiro.unsubscribe.SignedLinks;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12.14: headless Chromium opens the public pages and then every admin page it can reach by following links
 * from the dashboard, and fails on any Content-Security-Policy violation (an inline style or script left in a
 * template, htmx injecting its styles) or script error. Violations are caught by a listener installed before each
 * document's own scripts run, and from the console.
 */
@QuarkusTest
class ContentSecurityPolicyBrowserTest {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";

    /** Installed in every document before its scripts: records each violation for the test to read. */
    static final String LISTENER = "window.__cspViolations = [];"
            + "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
            + "e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));";

    static final int MOST_PAGES = 90;

    @TestHTTPResource("/")
    URL base;

    @Inject
    SignedLinks links;

    @Test
    void noPageViolatesTheContentSecurityPolicy() throws IOException {
        long list = api().body("{\"name\":\"CSP " + System.nanoTime() + "\",\"optIn\":\"double\"}")
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        long subscriber = api().body("{\"email\":\"csp-" + System.nanoTime() + "@example.test\",\"name\":\"Ana\"}")
                .post("/api/lists/" + list + "/subscribers").then().statusCode(201).extract().jsonPath().getLong("id");
        api().body(Map.of("name", "CSP campaign " + System.nanoTime(), "subject", "Hello", "fromEmail",
                        "news@sender.test", "listIds", List.of(list),
                        "html", "<p style=\"color:#a00\">Hello {subscriber.name}</p><a href=\"{unsubscribeUrl}\">Leave</a>"))
                .post("/api/campaigns").then().statusCode(201);

        String root = base.toString().replaceAll("/$", "");
        List<String> problems = new ArrayList<>();
        Set<String> shapes = new HashSet<>();
        int visited = 0;
        try (Browser browser = Browser.open(root)) {
            ((ChromeDriver) browser.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                    Map.of("source", LISTENER));
            List<String> publicPages = List.of("/login", "/subscribe/" + list,
                    relative(links.preferencesUrl(subscriber)), relative(links.unsubscribeUrl(subscriber, list, null)),
                    relative(links.confirmUrl(subscriber, list)), "/p/forged.token.value");
            for (String page : publicPages) {
                visit(browser, page, problems);
                visited++;
            }
            screenshots(browser, "/login", "sign-in");
            browser.signIn(ADMIN, PASSWORD);

            Deque<String> queue = new ArrayDeque<>(List.of("/admin", "/q/swagger-ui/"));
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
            screenshots(browser, "/admin/tokens", "api-tokens");
            screenshots(browser, "/admin/account", "account");
        }
        System.out.printf("CSP: %d pages opened in Chromium, %d admin page shapes%n", visited, shapes.size());
        assertTrue(shapes.size() >= 15, "too few admin pages reached: " + shapes);
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    /** Opens a page; returns its same-origin links. */
    @SuppressWarnings("unchecked")
    private List<String> visit(Browser browser, String path, List<String> problems) {
        browser.go(path);
        browser.waitFor(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
        JavascriptExecutor js = (JavascriptExecutor) browser.driver();
        // a frame (the campaign preview) and htmx's first requests finish after the load event: wait for the
        // page's own requests to settle before reading what it reported
        browser.waitFor(d -> Boolean.TRUE.equals(js.executeScript(
                "return !document.body || !document.body.classList.contains('htmx-request')")));
        List<Object> violations = (List<Object>) js.executeScript("return window.__cspViolations || []");
        for (Object v : violations) {
            problems.add(path + ": " + v);
        }
        for (String line : browser.browserLog()) {
            if (line.contains("Content Security Policy") || line.startsWith("SEVERE") && !line.contains("favicon")
                    && !line.contains(" 40")) {
                problems.add(path + ": console " + line);
            }
        }
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

    /** Pages to follow: admin pages only, and not downloads. */
    private static boolean followable(String path) {
        return path.startsWith("/admin") && !path.contains("export") && !path.endsWith(".csv")
                && !path.contains("/raw") && !path.endsWith(".html") && !path.contains("sign-out");
    }

    /** One page per kind: ids and query values do not make a new one. */
    private static String shape(String path) {
        URI uri = URI.create(path);
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery().replaceAll("=[^&]*", "");
        return uri.getRawPath().replaceAll("\\d+", "N") + query;
    }

    private static String relative(String url) {
        return url.replaceFirst("^https?://[^/]+", "");
    }

    /** A page at the two sizes newcomers use, for a person to look at (target/screenshots). */
    private static void screenshots(Browser browser, String path, String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        for (Dimension size : new Dimension[]{new Dimension(1366, 900), new Dimension(390, 844)}) {
            browser.driver().manage().window().setSize(size);
            browser.go(path);
            byte[] png = ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES);
            Files.write(dir.resolve(name + "-" + size.width + "x" + size.height + ".png"), png);
        }
        browser.driver().manage().window().setSize(new Dimension(1366, 900));
    }

    private static RequestSpecification api() {
        return given().auth().preemptive().basic(ADMIN, PASSWORD).contentType("application/json");
    }
}
