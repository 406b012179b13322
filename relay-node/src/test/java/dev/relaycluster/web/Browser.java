package dev.relaycluster.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for a test class, pointed at one relay node: opens pages with a full load, signs in
 * with an admin token or through the form, chooses the language and the screen size, waits until a page has
 * its data, and reads what the tests check: console errors, sideways overflow measured in the page,
 * screenshots (kept under target/screenshots for CI), and what the page holds and was sent.
 */
final class Browser implements AutoCloseable {
  static final String TOKEN = "relay.admin.token";
  static final String LANG = "relay.lang";
  static final Duration WAIT = Duration.ofSeconds(15);

  private final ChromeDriver driver;
  private final String baseUrl;
  private final List<String> errors = new ArrayList<>();
  private final List<Answer> answers = new ArrayList<>();

  /** An answer of the relay's JSON APIs as the page received it. */
  record Answer(String url, int status, String body) {}

  private Browser(ChromeDriver driver, String baseUrl) {
    this.driver = driver;
    this.baseUrl = baseUrl;
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PageScripts.HOOK));
    driver.manage().timeouts().scriptTimeout(WAIT);
    driver.manage().timeouts().pageLoadTimeout(WAIT);
    viewport(Viewport.DESKTOP);
  }

  /** Starts Chromium for the node at {@code baseUrl}; skips (or under CI fails) when it is not installed. */
  static Browser start(String baseUrl) {
    return new Browser(Chromium.start(), baseUrl);
  }

  ChromeDriver driver() {
    return driver;
  }

  String baseUrl() {
    return baseUrl;
  }

  /** Lays pages out at this size from now on (a phone also gets the mobile viewport and overlay scrollbars). */
  void viewport(Viewport v) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", v.width, "height", v.height,
        "deviceScaleFactor", 1, "mobile", v.mobile));
  }

  /** Loads a path of the node afresh (never a same-document hash change) and waits until it has its data. */
  void open(String path) {
    harvest();
    driver.get("about:blank");
    driver.get(baseUrl + path);
    settle();
  }

  /** Opens an admin page, e.g. {@code "keys"} or {@code "keys/k_123"}. */
  void admin(String route) {
    open("/admin/#/" + route);
  }

  /** Signs in by putting an admin session token where the UI keeps it (this tab's sessionStorage). */
  void signIn(String token) {
    onOrigin();
    js().executeScript("sessionStorage.setItem(arguments[0], arguments[1])", TOKEN, token);
  }

  /** Forgets the session (the next admin page shows the login). */
  void signOut() {
    onOrigin();
    js().executeScript("sessionStorage.removeItem(arguments[0])", TOKEN);
  }

  /** Chooses the UI language ("en" or "zh") as the language switch remembers it; applies from the next load. */
  void language(String lang) {
    onOrigin();
    js().executeScript("localStorage.setItem(arguments[0], arguments[1])", LANG, lang);
  }

  private void onOrigin() {
    if (!driver.getCurrentUrl().startsWith(baseUrl)) {
      driver.get(baseUrl + "/admin/");
    }
  }

  /** Waits until the document is loaded, no fetch is in flight or just finished, and the result is laid out. */
  void settle() {
    try {
      waiter().until(d -> Boolean.TRUE.equals(js().executeScript(PageScripts.IDLE)));
    } catch (org.openqa.selenium.TimeoutException e) {
      Object state = js().executeScript("const r = window.__relay; return location.href + ' readyState '"
          + " + document.readyState + (r ? ' fetches in flight ' + r.inFlight : ' (no hook)')");
      throw new AssertionError("the page never settled: " + state + "; console: " + errors(), e);
    }
    js().executeAsyncScript(PageScripts.FRAMES);
  }

  /** The first element matching, once it is shown. */
  WebElement await(By by) {
    return waiter().until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /**
   * The first element matching once it is in the page, shown: folded {@code <details>} around it are opened
   * (forms may sit folded under a summary) and it is scrolled into view.
   */
  WebElement reveal(By by) {
    WebElement el = waiter().until(ExpectedConditions.presenceOfElementLocated(by));
    js().executeScript("for (let p = arguments[0]; p; p = p.parentElement) { if (p.tagName === 'DETAILS') p.open = true; }"
        + "arguments[0].scrollIntoView({block: 'center'});", el);
    return waiter().until(ExpectedConditions.visibilityOf(el));
  }

  /** Waits until the location's hash is this one (e.g. "#/dashboard"). */
  void awaitHash(String hash) {
    waiter().until(d -> hash.equals(js().executeScript("return location.hash")));
  }

  static By test(String name) {
    return By.cssSelector("[data-test=\"" + name + "\"]");
  }

  Object script(String script, Object... args) {
    return js().executeScript(script, args);
  }

  /** Errors in the console since the last call (uncaught errors and rejections, console.error, failed loads). */
  List<String> errors() {
    harvest();
    List<String> out = List.copyOf(errors);
    errors.clear();
    return out;
  }

  /** What sticks out past the right edge of the viewport on the current page (empty when nothing does). */
  @SuppressWarnings("unchecked")
  List<String> overflow() {
    return (List<String>) js().executeScript(PageScripts.OVERFLOW);
  }

  /** Fails when the page logged an error or scrolls sideways; {@code what} names the page in the message. */
  void assertClean(String what) {
    assertEquals(List.of(), errors(), what + ": errors in the console");
    assertEquals(List.of(), overflow(), what + ": sideways overflow");
  }

  /** The answers of the relay's JSON APIs received by every page since the last call. */
  List<Answer> answers() {
    harvest();
    List<Answer> out = List.copyOf(answers);
    answers.clear();
    return out;
  }

  /** The page as it stands: its DOM, the values of its fields, and what it keeps in the browser's storage. */
  String content() {
    return (String) js().executeScript(PageScripts.CONTENT);
  }

  /** The text the page shows. */
  String text() {
    return driver.findElement(By.tagName("body")).getText();
  }

  /** The page's words, leaving out the language switch (whose choices name each language in itself). */
  String words() {
    return (String) js().executeScript("const c = document.body.cloneNode(true);"
        + "c.querySelectorAll('#lang, select, script, style, [hidden]').forEach(e => e.remove());"
        + "return c.textContent;");
  }

  /** Saves the whole page (not only the viewport) as target/screenshots/{name}.png. */
  Path screenshot(String name) {
    try {
      js().executeAsyncScript(PageScripts.FRAMES);
      if (!driver.findElements(By.cssSelector(".chart")).isEmpty()) {
        Thread.sleep(900); // the rest of the charts' entry animation (a second; the page settled 200 ms after them)
      }
      Number width = (Number) js().executeScript("return document.documentElement.scrollWidth");
      Number height = (Number) js().executeScript("return Math.min(document.documentElement.scrollHeight, 8000)");
      Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
          "captureBeyondViewport", true,
          "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
      Path file = screenshots().resolve(name + ".png");
      Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** relay-node/target/screenshots, kept by CI as artifacts. */
  static Path screenshots() throws IOException {
    return Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "screenshots"));
  }

  @SuppressWarnings("unchecked")
  private void harvest() {
    if (driver.getCurrentUrl().startsWith(baseUrl)) {
      Object got = js().executeScript("const r = window.__relay; return r ? r.answers.splice(0) : null;");
      if (got instanceof List<?> list) {
        for (Map<String, Object> a : (List<Map<String, Object>>) list) {
          answers.add(new Answer((String) a.get("url"), ((Number) a.get("status")).intValue(), (String) a.get("body")));
        }
      }
    }
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add("console: " + e.getMessage());
      }
    }
  }

  /** A wait that looks often (the default twice a second would make every page take half a second more). */
  WebDriverWait waiter() {
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.pollingEvery(Duration.ofMillis(50));
    return wait;
  }

  private JavascriptExecutor js() {
    return driver;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
