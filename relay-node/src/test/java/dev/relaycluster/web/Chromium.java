package dev.relaycluster.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium and its chromedriver (packages {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs when missing), started headless. The system driver is named explicitly, so
 * Selenium Manager never looks for or downloads a browser. Outside CI a machine without them skips the
 * browser tests; under CI (the variable {@code CI} set, as the CLI tests take it) their absence fails.
 */
final class Chromium {
  static final Path BROWSER = Path.of(System.getenv().getOrDefault("RELAY_CHROMIUM", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(System.getenv().getOrDefault("RELAY_CHROMEDRIVER", "/usr/bin/chromedriver"));

  private Chromium() {}

  /** Skips the calling test (or fails it under CI) when Chromium or chromedriver is not installed. */
  static void require() {
    boolean present = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    if (present) {
      return;
    }
    String why = "the browser tests need Chromium at " + BROWSER + " and chromedriver at " + DRIVER
        + " (apt-get install chromium chromium-driver; .ci/run does it)";
    String ci = System.getenv("CI");
    if (ci != null && !ci.equalsIgnoreCase("false")) {
      Assertions.fail(why);
    }
    Assumptions.abort("skipped: " + why);
  }

  /** A headless Chromium; the console is kept (level ALL) so tests can read its errors. */
  static ChromeDriver start() {
    require();
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .withSilent(true)
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(List.of("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--disable-extensions", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--mute-audio", "--window-size=1366,900", "--lang=en-US",
        "--js-flags=--max-old-space-size=256"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    return new ChromeDriver(service, options);
  }
}
