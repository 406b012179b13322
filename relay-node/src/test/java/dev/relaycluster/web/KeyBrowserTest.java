package dev.relaycluster.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A key made and changed through the pages: the key form on the keys page creates it and shows its secret
 * once (which then works against the relay), and the form on the key's page renames it and sets a limit, at
 * phone width.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyBrowserTest {
  private SeededNode seeded;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    Chromium.require();
    seeded = SeededNode.start("keys");
    browser = Browser.start(seeded.baseUrl());
    browser.language("en");
    browser.signIn(seeded.ownerToken());
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
  void createAKeySeeItsSecretOnceAndEditIt() throws Exception {
    browser.viewport(Viewport.DESKTOP);
    browser.admin("keys");
    WebElement form = browser.reveal(Browser.test("key-form"));
    fill(form, "name", "Made in the browser");
    submit(form);
    WebElement shown = browser.await(Browser.test("new-key-secret"));
    String secret = textOrValue(shown);
    assertTrue(secret.matches("cr_[0-9a-f]{64}"), "the new key's secret is shown: " + secret);
    browser.screenshot("key-created-en-1366");
    assertEquals(List.of(), browser.errors());

    String id = keyNamed("Made in the browser").get("id").asText();
    HttpResponse<String> usage = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(seeded.baseUrl() + "/api/v1/key-usage")).header("x-api-key", secret).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, usage.statusCode(), usage.body());
    assertEquals("Made in the browser", SeededNode.JSON.readTree(usage.body()).path("name").asText(), usage.body());

    browser.admin("keys/" + id);
    assertTrue(browser.driver().findElements(Browser.test("new-key-secret")).isEmpty(), "the secret is shown once");
    assertTrue(!browser.content().contains(secret), "the key's page does not hold its secret");

    browser.viewport(Viewport.PHONE);
    browser.admin("keys/" + id);
    WebElement edit = browser.reveal(Browser.test("key-form"));
    fill(edit, "name", "Renamed in the browser");
    boolean limit = !edit.findElements(By.name("dailyCostLimit")).isEmpty();
    if (limit) {
      fill(edit, "dailyCostLimit", "7");
    }
    // A model map row: Claude names to the Codex pool as gpt-5.1-codex.
    browser.script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();",
        edit.findElement(Browser.test("add-mapping")));
    WebElement mapping = edit.findElement(Browser.test("model-map-rule"));
    fill(mapping, "mapMatch", "claude-*");
    new org.openqa.selenium.support.ui.Select(mapping.findElement(By.name("mapPool"))).selectByValue("openai");
    fill(mapping, "mapModel", "gpt-5.1-codex");
    submit(edit);
    JsonNode key;
    try {
      key = awaitKey(id, k -> k.path("name").asText().equals("Renamed in the browser"));
    } catch (AssertionError e) {
      browser.screenshot("key-edit-failed-en-390");
      Object invalid = browser.script("return [...document.querySelectorAll('[data-test=key-form] :invalid')]"
          + ".map(x => x.name + '=' + x.value + ' (' + x.validationMessage + ')')");
      throw new AssertionError(e.getMessage() + "\ninvalid fields: " + invalid + "\nthe page said: " + browser.text(), e);
    }
    if (limit) {
      assertEquals(7.0, key.path("dailyCostLimit").asDouble(), key.toString());
    }
    assertEquals("[{\"match\":\"claude-*\",\"pool\":\"openai\",\"model\":\"gpt-5.1-codex\"}]",
        key.path("modelMap").toString());
    browser.admin("keys/" + id);
    assertTrue(browser.text().contains("Renamed in the browser"), browser.text());
    browser.screenshot("key-edited-en-390");
    browser.assertClean("the edited key at 390 px");
  }

  private void fill(WebElement form, String field, String value) {
    WebElement input = form.findElement(By.name(field));
    input.clear();
    input.sendKeys(value);
  }

  private void submit(WebElement form) {
    List<WebElement> save = form.findElements(Browser.test("save"));
    (save.isEmpty() ? form.findElement(By.cssSelector("[type=submit]")) : save.get(0)).click();
    browser.settle();
  }

  private static String textOrValue(WebElement e) {
    String text = e.getText().strip();
    if (text.isEmpty()) {
      text = e.getDomProperty("value");
    }
    return text == null ? "" : text.strip();
  }

  private JsonNode keyNamed(String name) throws Exception {
    for (JsonNode k : seeded.node.admin("GET", "/admin/api/keys", null).path("data")) {
      if (k.path("name").asText().equals(name)) {
        return k;
      }
    }
    throw new AssertionError("no key named " + name);
  }

  private JsonNode awaitKey(String id, java.util.function.Predicate<JsonNode> until) throws Exception {
    JsonNode last = null;
    for (int i = 0; i < 100; i++) {
      last = seeded.node.admin("GET", "/admin/api/keys/" + id, null);
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the key never changed as expected: " + last);
  }
}
