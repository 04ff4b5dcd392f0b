package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromedriver through Selenium, pointed at one server. Nothing is
 * downloaded: both programs must be installed (bin/test lists them), and their absence fails the test.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** What a chart's canvas holds: pixels painted at all, and pixels in one of the series' colours. */
    record Ink(long painted, long series) {}

    private final WebDriver driver;
    private final String base;

    private Browser(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    static Browser start(Path profile, String base) {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: install Debian's chromium (bin/test lists it)");
        assertTrue(Files.isExecutable(CHROMEDRIVER),
                CHROMEDRIVER + " is missing: install Debian's chromium-driver (bin/test lists it)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // root in a container: no sandbox; a small /dev/shm: not used
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + profile.toAbsolutePath(), "--disable-gpu", "--no-first-run");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), base);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(base + path);
        new WebDriverWait(driver, WAIT).until(d -> ((JavascriptExecutor) d)
                .executeScript("return document.readyState").equals("complete"));
    }

    void signIn(String token) throws Exception {
        open("/");
        screenshot("sign-in");
        driver.findElement(By.id("token")).sendKeys(token);
        driver.findElement(By.id("signin")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlToBe(base + "/dashboard"));
    }

    String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    void click(String css) {
        driver.findElement(By.cssSelector(css)).click();
        new WebDriverWait(driver, WAIT).until(d -> ((JavascriptExecutor) d)
                .executeScript("return document.readyState").equals("complete"));
    }

    /**
     * Waits for the chart's canvas, then counts its painted pixels and those near one of the series' colours (the
     * lines lie over each other where their counts are equal, so any of them will do).
     */
    Ink chartInk(String chart) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(chart + " canvas")));
        @SuppressWarnings("unchecked")
        List<Long> counts = (List<Long>) ((JavascriptExecutor) driver).executeScript("""
                const c = document.querySelector(arguments[0] + ' canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                const colours = [[37, 99, 235], [22, 163, 74], [217, 119, 6], [220, 38, 38]];
                let painted = 0, series = 0;
                for (let i = 0; i < d.length; i += 4) {
                  if (d[i + 3] > 0) painted++;
                  if (d[i + 3] > 128 && colours.some(c => Math.abs(d[i] - c[0]) < 30
                      && Math.abs(d[i + 1] - c[1]) < 30 && Math.abs(d[i + 2] - c[2]) < 30)) series++;
                }
                return [painted, series];
                """, chart);
        return new Ink(counts.get(0), counts.get(1));
    }

    /** Saves the page as target/dashboard-screenshots/NAME.png, for review. */
    void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
