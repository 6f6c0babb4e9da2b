package io.carteiro.support;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Headless Debian chromium driven through chromium-driver, with nothing downloaded: the binary paths are fixed and
 * every background network feature is off, so the browser only talks to the Carteiro under test on loopback.
 */
public final class Browser implements AutoCloseable {

    private final WebDriver driver;
    private final String baseUrl;
    private final Path profile;

    private Browser(WebDriver driver, String baseUrl, Path profile) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.profile = profile;
    }

    /** Starts chromium, or skips the test (fails under CI) when chromium or its driver is missing. */
    public static Browser open(String baseUrl) {
        return open(baseUrl, new String[0]);
    }

    /** The same, with more command-line arguments (e.g. {@code --user-agent=...}). */
    public static Browser open(String baseUrl, String... arguments) {
        Path chromium = SystemTools.require("/usr/bin/chromium", "chromium");
        Path chromedriver = SystemTools.require("/usr/bin/chromedriver", "chromium-driver");
        try {
            Path profile = Files.createTempDirectory("carteiro-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--no-first-run", "--window-size=1280,1000",
                    "--user-data-dir=" + profile);
            // the console (CSP violations, script errors) is kept for tests that read it: browserLog()
            options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
            options.addArguments(arguments);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), baseUrl, profile);
        } catch (IOException e) {
            throw new IllegalStateException("could not create a chromium profile directory", e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public Browser go(String path) {
        driver.get(path.startsWith("http") ? path : baseUrl + path);
        return this;
    }

    public WebElement find(By by) {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public Browser type(By by, String text) {
        WebElement element = find(by);
        element.clear();
        element.sendKeys(text);
        return this;
    }

    public Browser click(By by) {
        waitFor(ExpectedConditions.elementToBeClickable(by)).click();
        return this;
    }

    /** Waits (up to 20 s) for a condition the page reaches by itself, e.g. text that htmx polling brings in. */
    public <T> T waitFor(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(condition);
    }

    /** Console messages since the last call (each once), e.g. "Refused to apply inline style ..." (CSP). */
    public java.util.List<String> browserLog() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(entry -> entry.getLevel() + " " + entry.getMessage()).toList();
    }

    public String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Signs in through the sign-in form. */
    public Browser signIn(String email, String password) {
        go("/login");
        type(By.id("email"), email);
        type(By.id("password"), password);
        click(By.cssSelector("form button[type=submit]"));
        waitFor(d -> d.getCurrentUrl().contains("/admin"));
        return this;
    }

    @Override
    public void close() {
        driver.quit();
        deleteQuietly(profile.toFile());
    }

    private static void deleteQuietly(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteQuietly(child);
            }
        }
        file.delete();
    }
}
