package dev.relaycluster.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Every admin page, signed in as the owner of a node with data, in English and in Chinese, at 1366 px and at
 * 390 px: nothing in the console, nothing sticking out sideways (measured in the page), the page's own content
 * there (its navigation link, its rows, chart or trace), Chinese words in Chinese. A screenshot of each is kept
 * under target/screenshots as {page}-{language}-{width}.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagesBrowserTest {
  private static final List<String> LANGUAGES = List.of("en", "zh");
  /** The label of the dialects in the trace page's request log row. */
  private static final String LEDGER_DIALECTS = "Dialect (client → upstream)";

  private SeededNode seeded;
  private Browser browser;
  private String token;

  @BeforeAll
  void start() throws Exception {
    Chromium.require();
    seeded = SeededNode.start("pages");
    token = seeded.ownerToken();
    browser = Browser.start(seeded.baseUrl());
    browser.signIn(token);
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (seeded != null) {
      seeded.close();
    }
  }

  /** A page: its route, the name used for its screenshots, and what must be on it once it has its data. */
  private record Page(String name, String route, By mustShow) {
    @Override
    public String toString() {
      return name;
    }
  }

  private List<Page> pages() {
    return List.of(
        new Page("dashboard", "dashboard", By.cssSelector(".chart")),
        new Page("keys", "keys", Browser.test("row")),
        new Page("key", "keys/" + seeded.keyId, By.id("view")),
        new Page("accounts", "accounts", Browser.test("row")),
        new Page("account", "accounts/" + seeded.accountId, By.id("view")),
        new Page("usage", "usage", By.cssSelector(".chart")),
        new Page("webhooks", "webhooks", Browser.test("row")),
        new Page("cluster", "cluster", By.id("view")),
        new Page("admins", "admins", Browser.test("row")),
        new Page("me", "me", By.id("view")),
        new Page("audit", "audit", Browser.test("row")),
        new Page("trace", "trace/" + seeded.requestId, Browser.test("trace")),
        new Page("models", "models", Browser.test("row")),
        new Page("settings", "settings", By.id("view")));
  }

  Stream<Arguments> pagesAndLanguages() {
    return pages().stream().flatMap(p -> LANGUAGES.stream().map(l -> Arguments.of(p, l)));
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("pagesAndLanguages")
  void eachPageAtBothWidths(Page page, String lang) {
    List<String> problems = new ArrayList<>();
    for (Viewport v : Viewport.values()) {
      String shot = page.name + "-" + lang + "-" + v.label();
      browser.viewport(v);
      browser.language(lang);
      browser.admin(page.route);
      problems.addAll(check(shot, page, lang));
      browser.screenshot(shot);
    }
    assertEquals(List.of(), problems, page.name + " in " + lang);
  }

  private List<String> check(String what, Page page, String lang) {
    List<String> problems = new ArrayList<>();
    browser.errors().forEach(e -> problems.add(what + ": console: " + e));
    browser.overflow().forEach(o -> problems.add(what + ": overflow: " + o));
    String hash = (String) browser.script("return location.hash");
    if (!hash.startsWith("#/" + page.route)) {
      problems.add(what + ": ended on " + hash + " instead of #/" + page.route);
    }
    if (browser.driver().findElements(page.mustShow).isEmpty()) {
      problems.add(what + ": nothing matching " + page.mustShow + " on the page");
    }
    String nav = (String) browser.script(
        "return [...document.querySelectorAll('[data-test^=\"nav-\"]')].map(a => a.textContent).join(' ')");
    if (nav.isBlank()) {
      problems.add(what + ": no navigation links (data-test=nav-…)");
    } else if (lang.equals("zh") != hasHan(nav)) {
      problems.add(what + ": navigation not in " + lang + ": " + nav);
    }
    boolean inNav = !page.route.contains("/") && !page.name.equals("me"); // "me" may sit in a user menu
    if (inNav && browser.driver().findElements(Browser.test("nav-" + page.name)).isEmpty()) {
      problems.add(what + ": no navigation link data-test=nav-" + page.name);
    }
    if (lang.equals("zh") && !hasHan(browser.words())) {
      problems.add(what + ": no Chinese on the page");
    }
    return problems;
  }

  @Test
  void theLoginPageInBothLanguagesAtBothWidths() {
    List<String> problems = new ArrayList<>();
    try {
      browser.signOut();
      for (String lang : LANGUAGES) {
        for (Viewport v : Viewport.values()) {
          String shot = "login-" + lang + "-" + v.label();
          browser.viewport(v);
          browser.language(lang);
          browser.admin("dashboard");
          browser.awaitHash("#/login");
          browser.await(By.name("username"));
          browser.settle();
          browser.errors().forEach(e -> problems.add(shot + ": console: " + e));
          browser.overflow().forEach(o -> problems.add(shot + ": overflow: " + o));
          if (browser.driver().findElements(By.name("password")).isEmpty()) {
            problems.add(shot + ": no password field");
          }
          if (!browser.driver().findElements(By.id("logout")).stream().filter(WebElement::isDisplayed).toList().isEmpty()) {
            problems.add(shot + ": a log-out control on the login page");
          }
          if (lang.equals("zh") != hasHan(browser.words())) {
            problems.add(shot + ": the login page is not in " + lang);
          }
          browser.screenshot(shot);
        }
      }
    } finally {
      browser.signIn(token);
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void theLanguageSwitchTurnsThePageChineseAndIsRemembered() {
    browser.viewport(Viewport.DESKTOP);
    browser.language("en");
    browser.admin("dashboard");
    assertFalse(hasHan(navText()), navText());
    WebElement lang = browser.await(By.id("lang"));
    if (lang.getTagName().equals("select")) {
      new Select(lang).selectByValue("zh");
    } else {
      lang.click();
    }
    browser.waiter()
        .until(d -> "zh-CN".equals(browser.script("return document.documentElement.lang")));
    browser.settle();
    assertTrue(hasHan(navText()), navText());
    assertEquals("zh", browser.script("return localStorage.getItem('relay.lang')"));
    browser.admin("keys");
    assertTrue(hasHan(navText()), "still Chinese after a reload: " + navText());
    assertEquals(List.of(), browser.errors());
    browser.language("en");
  }

  @Test
  void theDecisionTraceOfTheRelayedRequestNamesItsKeyAccountAndModel() {
    browser.viewport(Viewport.DESKTOP);
    browser.language("en");
    browser.admin("trace/" + seeded.requestId);
    String trace = browser.await(Browser.test("trace")).getText();
    assertTrue(trace.contains("Console main"), "the account chosen, by name: " + trace);
    assertTrue(trace.contains("Team laptop"), "the key, by name: " + trace);
    assertTrue(trace.contains("claude-sonnet-4-5"), "the model: " + trace);
    assertFalse(trace.contains(seeded.accountId), "names, not ids: " + trace);
    assertEquals("anthropic", fact(LEDGER_DIALECTS), "the request log row's dialect (Messages in, Messages out)");
    assertEquals(List.of(), browser.errors());
  }

  @Test
  void aConvertedRequestShowsBothDialectsAmongTheKeysRequestsAndInItsTrace() throws Exception {
    String chat = seeded.chatRequest();
    browser.viewport(Viewport.DESKTOP);
    browser.language("en");
    browser.admin("keys/" + seeded.keyId);
    WebElement cell = browser.reveal(By.cssSelector("[data-id=\"" + chat + "\"] td[data-label=\"Dialect\"]"));
    assertEquals("openai-chat → anthropic", cell.getText());
    WebElement earlier = browser.reveal(By.cssSelector("[data-id=\"" + seeded.requestId + "\"] td[data-label=\"Dialect\"]"));
    assertEquals("anthropic", earlier.getText());
    browser.admin("trace/" + chat);
    browser.await(Browser.test("trace"));
    assertEquals("openai-chat → anthropic", fact(LEDGER_DIALECTS));
    assertEquals(List.of(), browser.errors());
  }

  /** The text beside a label of the page's facts (dl.facts), or null when no such label is shown. */
  private String fact(String label) {
    return (String) browser.script("const dt = [...document.querySelectorAll('dl.facts dt')]"
        + ".find(d => d.textContent === arguments[0]); return dt ? dt.nextElementSibling.textContent : null;", label);
  }

  private String navText() {
    return (String) browser.script(
        "return [...document.querySelectorAll('[data-test^=\"nav-\"]')].map(a => a.textContent).join(' ')");
  }

  static boolean hasHan(String text) {
    return text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }
}
