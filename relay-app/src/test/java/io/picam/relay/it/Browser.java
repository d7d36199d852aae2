package io.picam.relay.it;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver by Selenium: no browser download. The
 * flags are the usual ones for a headless browser on a closed network, as root.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("picam.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("picam.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final URI base;
    private final Path profile;

    static boolean installed() {
        return missing().isEmpty();
    }

    /** What to install for the browser tests, by Debian package name: empty when both are there. */
    static String missing() {
        List<String> packages = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            packages.add("chromium (no " + CHROMIUM + ")");
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            packages.add("chromium-driver (no " + CHROMEDRIVER + ")");
        }
        return String.join(" and ", packages);
    }

    Browser(URI base) throws IOException {
        this(base, 1280, 900);
    }

    Browser(URI base, int width, int height) throws IOException {
        this.base = base;
        this.profile = Files.createTempDirectory("picam-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--autoplay-policy=no-user-gesture-required",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile);
        if (width < 500) {
            // a window is never narrower than 500 px: a phone's screen is emulated (its size, touch, overlay
            // scrollbars)
            options.setExperimentalOption(
                    "mobileEmulation",
                    Map.of("deviceMetrics", Map.of("width", width, "height", height, "pixelRatio", 1.0)));
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(base.resolve(path).toString());
    }

    String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Fills the login form and submits it, as a person does. */
    void logIn(String username, String password) {
        open("/login");
        find("input[name=j_username]").sendKeys(username);
        find("input[name=j_password]").sendKeys(password);
        find("form button[type=submit]").click();
    }

    /** What the element shows right now, as pixels. */
    BufferedImage pixels(WebElement element) {
        try {
            return ImageIO.read(new ByteArrayInputStream(element.getScreenshotAs(OutputType.BYTES)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Share of pixels (0..1) that differ noticeably between two pictures of the same element. */
    static double difference(BufferedImage a, BufferedImage b) {
        int width = Math.min(a.getWidth(), b.getWidth());
        int height = Math.min(a.getHeight(), b.getHeight());
        long differing = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                int delta = Math.abs((p >> 16 & 0xff) - (q >> 16 & 0xff))
                        + Math.abs((p >> 8 & 0xff) - (q >> 8 & 0xff))
                        + Math.abs((p & 0xff) - (q & 0xff));
                if (delta > 48) {
                    differing++;
                }
            }
        }
        return width * height == 0 ? 0 : (double) differing / (width * height);
    }

    /** True when the picture is not one flat colour (a blank canvas or a black video). */
    static boolean hasContent(BufferedImage image) {
        int first = image.getRGB(0, 0);
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                if (image.getRGB(x, y) != first) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The page as a PNG under {@code docs/screenshots/} of the repository, for the README. */
    void screenshot(Path root, String name) {
        try {
            Path dir = Files.createDirectories(root.resolve("docs/screenshots"));
            Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The page's serious and critical accessibility problems by axe-core (WCAG 2 A and AA rules: labels, contrast,
     * names of buttons and links, landmarks...), each as "rule: help (elements)".
     */
    @SuppressWarnings("unchecked")
    List<String> accessibilityProblems() {
        String axe;
        try (var in = Browser.class.getResourceAsStream("/axe/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException(
                        "axe.min.js is not on the test classpath (the build unpacks it from npm)");
            }
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        script(axe);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        Object found = driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } }).then(function (r) {"
                + "  done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })"
                + "    .map(function (v) {"
                + "      return v.id + ': ' + v.help + ' (' + v.nodes.map(function (n) { return n.target.join(' '); }).join(', ') + ')';"
                + "    }));"
                + "}, function (e) { done(['axe failed: ' + e]); });");
        return (List<String>) found;
    }

    /** Errors the page wrote to the console (and failed loads) since the last call. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
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
