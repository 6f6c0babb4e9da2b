package io.carteiro.support;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The page as a laptop (1366×900) and a phone (390×844) show it, written under {@code target/screenshots/} for a
 * person to look at, and asserted not to scroll sideways at either width (issue 15.12).
 */
public final class Screenshots {

    static final List<Dimension> SIZES = List.of(new Dimension(1366, 900), new Dimension(390, 844));

    private Screenshots() {
    }

    public static void take(Browser browser, String name) throws IOException {
        WebDriver driver = browser.driver();
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        try {
            for (Dimension size : SIZES) {
                driver.manage().window().setSize(size);
                // The elements that reach past the window's right edge, named so a failure says what to fix.
                Object wide = ((JavascriptExecutor) driver).executeScript(
                        "if (document.documentElement.scrollWidth <= window.innerWidth) return '';"
                                + "return Array.from(document.body.querySelectorAll('*'))"
                                + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                                + ".slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '')"
                                + " + (e.className ? '.' + e.className : '')).join(', ') || 'the page';");
                Files.write(dir.resolve(name + "-" + size.width + ".png"),
                        ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
                assertEquals("", wide, name + " scrolls sideways at " + size.width + " px; too wide: " + wide);
            }
        } finally {
            driver.manage().window().setSize(SIZES.get(0));
        }
    }
}
