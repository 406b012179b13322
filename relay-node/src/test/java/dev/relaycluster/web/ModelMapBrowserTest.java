package dev.relaycluster.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Model map page over {@code /admin/api/model-map}, signed in as an admin and as a viewer. The admin adds a
 * rule, moves it to the top and saves: the API then holds exactly that map and a reload shows the rule first. A
 * pattern the API refuses shows the API's own message under the form, marks the field it names and changes
 * nothing. Reset to defaults (confirmed) puts the defaults back. A viewer reads the rules with no control to
 * change them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelMapBrowserTest {
  private static final String PASSWORD = "a-long-enough-password-map";

  private SeededNode seeded;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    Chromium.require();
    seeded = SeededNode.start("models");
    browser = Browser.start(seeded.baseUrl());
    browser.language("en");
    browser.viewport(Viewport.DESKTOP);
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

  @Test
  void anAdminAddsARuleSavesItIsToldOfABadPatternAndResets() throws Exception {
    seeded.createAdmin("ada", "admin", PASSWORD);
    String token = seeded.login("ada", PASSWORD).get("token").asText();
    browser.signIn(token);
    JsonNode before = map();
    assertFalse(before.get("overridden").asBoolean(), before.toString());
    ArrayNode defaults = (ArrayNode) before.get("defaults");
    assertEquals(defaults, before.get("rules"));

    browser.admin("models");
    assertEquals(defaults.size(), shownRules().size());
    assertEquals("The configured defaults.", browser.await(Browser.test("map-source")).getText());
    assertTrue(browser.driver().findElements(Browser.test("map-reset")).isEmpty(), "nothing to reset yet");

    WebElement added = addRule("team-fast", "gemini", "gemini-2.5-flash");
    for (int i = 0; i < defaults.size(); i++) {
      added.findElement(Browser.test("map-up")).click();
    }
    save();
    assertEquals("Saved.", browser.await(Browser.test("map-status")).getText());
    ArrayNode expected = SeededNode.JSON.createArrayNode();
    expected.addObject().put("match", "team-fast").put("pool", "gemini").put("model", "gemini-2.5-flash");
    expected.addAll(defaults);
    JsonNode saved = map();
    assertEquals(expected, saved.get("rules"));
    assertTrue(saved.get("overridden").asBoolean());
    browser.screenshot("models-saved");

    browser.admin("models");
    List<WebElement> shown = shownRules();
    assertEquals(expected.size(), shown.size());
    assertEquals(List.of("1", "team-fast", "Gemini", "gemini-2.5-flash"), cells(shown.get(0)));
    assertEquals("Changed here: these rules replace the configured defaults.",
        browser.await(Browser.test("map-source")).getText());
    browser.assertClean("the saved map");

    addRule("bad pattern", "claude", "");
    save();
    WebElement error = browser.await(By.cssSelector("[data-test=map-form] + .error"));
    ArrayNode refused = expected.deepCopy();
    refused.addObject().put("match", "bad pattern").put("pool", "claude");
    ObjectNode body = SeededNode.JSON.createObjectNode();
    body.set("rules", refused);
    HttpResponse<String> direct = seeded.send("PUT", "/admin/api/model-map", body.toString(), token);
    assertEquals(400, direct.statusCode(), direct.body());
    String message = SeededNode.JSON.readTree(direct.body()).path("error").path("message").asText();
    assertTrue(message.startsWith("rules[" + expected.size() + "].match: "), message);
    assertEquals(message, error.getText());
    List<WebElement> rows = browser.driver().findElements(Browser.test("map-rule"));
    assertEquals("true", rows.get(rows.size() - 1).findElement(By.name("mapMatch")).getAttribute("aria-invalid"));
    assertEquals(expected, map().get("rules"), "a refused map changes nothing");
    browser.screenshot("models-refused");
    browser.errors().forEach(e -> assertTrue(e.contains("400"), "only the refused PUT in the console: " + e));

    browser.script("window.confirm = () => true;");
    browser.reveal(Browser.test("map-reset")).click();
    browser.settle();
    assertEquals("The defaults are in force again.", browser.await(Browser.test("map-status")).getText());
    JsonNode reset = map();
    assertFalse(reset.get("overridden").asBoolean());
    assertEquals(defaults, reset.get("rules"));
    assertEquals(defaults.size(), shownRules().size());
    assertTrue(browser.driver().findElements(Browser.test("map-reset")).isEmpty(), "nothing to reset any more");
    browser.assertClean("after the reset");
  }

  @Test
  void aViewerReadsTheMapWithoutControlsToChangeIt() throws Exception {
    seeded.createAdmin("vic", "viewer", PASSWORD);
    browser.signIn(seeded.login("vic", PASSWORD).get("token").asText());
    for (Viewport v : Viewport.values()) {
      browser.viewport(v);
      browser.admin("models");
      assertEquals(map().get("rules").size(), shownRules().size());
      List<String> controls = browser.driver().findElements(By.cssSelector("#view input, #view select, #view button"))
          .stream().map(e -> e.getTagName() + " " + e.getAttribute("data-test")).toList();
      assertEquals(List.of(), controls, "no control to change the map at " + v.label());
      assertTrue(browser.text().contains("Changing the map needs the admin or owner role."), browser.text());
      browser.assertClean("the map as a viewer at " + v.label());
    }
    browser.viewport(Viewport.DESKTOP);
  }

  /** Adds an empty row with the button and fills it; the row. */
  private WebElement addRule(String match, String pool, String model) {
    browser.reveal(Browser.test("map-add")).click();
    List<WebElement> rows = browser.driver().findElements(Browser.test("map-rule"));
    WebElement row = rows.get(rows.size() - 1);
    row.findElement(By.name("mapMatch")).sendKeys(match);
    new Select(row.findElement(By.name("mapPool"))).selectByValue(pool);
    if (!model.isEmpty()) {
      row.findElement(By.name("mapModel")).sendKeys(model);
    }
    return row;
  }

  private void save() {
    browser.reveal(Browser.test("map-save")).click();
    browser.settle();
  }

  /** The rows of the rules-in-force table. */
  private List<WebElement> shownRules() {
    browser.await(Browser.test("map-rules"));
    return browser.driver().findElements(By.cssSelector("[data-test=map-rules] [data-test=row]"));
  }

  private static List<String> cells(WebElement row) {
    return row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
  }

  /** The map as the admin API answers it (read as the owner). */
  private JsonNode map() throws Exception {
    return seeded.node.admin("GET", "/admin/api/model-map", null);
  }
}
