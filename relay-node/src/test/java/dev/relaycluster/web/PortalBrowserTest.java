package dev.relaycluster.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The key holders' portal at /key-usage (and the Node.js relay's /apiStats), entered with a real key that has
 * relayed a request: its remaining limits, its recent requests, and ready-to-paste set-up for Claude Code,
 * Codex CLI, Gemini CLI (both modes) and OpenAI-compatible tools filled in with this relay's address; in both languages at
 * both widths with nothing in the console and nothing sticking out. A wrong key gets a message, not data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalBrowserTest {
  private static final List<String> CLIENTS = List.of("claude", "codex", "gemini", "openai");

  private SeededNode seeded;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    Chromium.require();
    seeded = SeededNode.start("portal");
    browser = Browser.start(seeded.baseUrl());
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

  private void enter(String path, String key) {
    browser.open(path);
    WebElement input = browser.await(By.id("key"));
    input.clear();
    input.sendKeys(key, Keys.ENTER);
    browser.settle();
  }

  @Test
  void limitsRecentRequestsAndSetUpForEachClient() {
    browser.viewport(Viewport.DESKTOP);
    browser.language("en");
    enter("/key-usage", seeded.keySecret);
    String limits = browser.await(Browser.test("limits")).getText();
    assertFalse(limits.isBlank(), "the key's limits are shown");
    assertFalse(limits.contains("null"), limits);
    String recent = browser.await(Browser.test("recent")).getText();
    assertTrue(recent.contains("claude-sonnet-4-5"), "the relayed request is among the recent ones: " + recent);

    String host = URI.create(seeded.baseUrl()).getAuthority();
    for (String client : CLIENTS) {
      List<WebElement> snippets = browser.driver().findElements(By.cssSelector("[data-test^=\"snippet-" + client + "\"]"));
      assertFalse(snippets.isEmpty(), "a set-up snippet for " + client);
      for (WebElement s : snippets) {
        String text = (String) browser.script("return arguments[0].textContent", s);
        assertTrue(text.contains(host), client + " set-up names this relay (" + host + "): " + text);
        assertFalse(text.contains("null") || text.contains("undefined"), client + ": " + text);
      }
    }
    assertTrue(browser.driver().findElements(By.cssSelector("[data-test^=\"snippet-gemini\"]")).size() >= 2,
        "Gemini CLI in both modes (API key and Code Assist)");
    assertFalse(browser.text().contains("null"), "no literal null on the page");
    assertEquals(List.of(), browser.errors());
  }

  @Test
  void inBothLanguagesAtBothWidths() {
    List<String> problems = new ArrayList<>();
    for (String lang : List.of("en", "zh")) {
      for (Viewport v : Viewport.values()) {
        String shot = "portal-" + lang + "-" + v.label();
        browser.viewport(v);
        browser.language(lang);
        enter("/key-usage", seeded.keySecret);
        browser.await(Browser.test("limits"));
        browser.errors().forEach(e -> problems.add(shot + ": console: " + e));
        browser.overflow().forEach(o -> problems.add(shot + ": overflow: " + o));
        if (lang.equals("zh") && !PagesBrowserTest.hasHan(browser.words())) {
          problems.add(shot + ": not in Chinese");
        }
        browser.screenshot(shot);
      }
    }
    browser.viewport(Viewport.DESKTOP);
    browser.language("en");
    assertEquals(List.of(), problems);
  }

  @Test
  void recentRequestsShowTheClientsDialectAndTheUpstreamsWhenConverted() throws Exception {
    seeded.chatRequest();
    browser.viewport(Viewport.DESKTOP);
    browser.language("en");
    enter("/key-usage", seeded.keySecret);
    browser.await(Browser.test("recent"));
    List<String> dialects = browser.driver().findElements(By.cssSelector("[data-test=recent] [data-test=dialect]"))
        .stream().map(WebElement::getText).toList();
    assertEquals(List.of("openai-chat → anthropic", "anthropic"), dialects, "newest first: the chat request, the seeded one");
    assertEquals(List.of(), browser.errors());
  }

  @Test
  void theNodeJsRelaysPathAndAWrongKey() {
    browser.viewport(Viewport.DESKTOP);
    browser.language("en");
    enter("/apiStats", seeded.keySecret);
    browser.await(Browser.test("limits"));
    assertEquals(List.of(), browser.errors());

    enter("/key-usage", "cr_" + "0".repeat(64));
    WebElement refusal = browser.await(By.cssSelector("[role=alert], .error"));
    assertFalse(refusal.getText().isBlank());
    assertTrue(browser.driver().findElements(Browser.test("limits")).stream().noneMatch(WebElement::isDisplayed));
    browser.errors(); // the refused lookup's 401 is logged by the browser as a failed load
  }
}
