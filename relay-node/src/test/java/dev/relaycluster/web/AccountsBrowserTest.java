package dev.relaycluster.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * An account of every type added through its form on the accounts page (the kind chosen in select[name=kind],
 * then data-test="account-form-{kind}"), with the credential an operator pastes (an API key, tokens, Codex's
 * auth.json, Gemini CLI's oauth_creds.json); each then exists with its name and type. Fields are found by the
 * admin API's names for them; a field the form does not show is left out. The OAuth login flows give a link to
 * the vendor's login page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountsBrowserTest {
  private SeededNode seeded;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    Chromium.require();
    seeded = SeededNode.start("accounts");
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

  /** A way to add an account: the form's name, the type it makes, and the fields to fill (by the API's names). */
  private record Kind(String form, String type, Map<String, String> fields) {}

  private List<Kind> kinds() {
    long later = System.currentTimeMillis() + 30L * 24 * 3600 * 1000;
    String r = SeededNode.random();
    return List.of(
        new Kind("claude-console", "claude-console", Map.of("apiKey", "sk-ant-api03-" + r, "baseUrl", seeded.mock.baseUrl())),
        new Kind("claude-oauth", "claude-oauth", Map.of("accessToken", "sk-ant-oat01-" + r, "refreshToken", "sk-ant-ort01-" + r)),
        new Kind("openai-api", "openai-api", Map.of("apiKey", "sk-proj-" + r)),
        new Kind("codex-oauth", "codex-oauth", Map.of("authJson", "{\"tokens\":{\"access_token\":\"at-" + r
            + "\",\"refresh_token\":\"rt-" + r + "\",\"account_id\":\"acct-web\"}}")),
        new Kind("gemini-api", "gemini-api", Map.of("apiKey", "AIza" + r)),
        new Kind("gemini-oauth", "gemini-oauth", Map.of("accessToken", "ya29." + r, "refreshToken", "1//" + r,
            "projectId", "web-project")),
        new Kind("gemini-oauth-import", "gemini-oauth", Map.of("credsJson", "{\"access_token\":\"ya29.i" + r
            + "\",\"refresh_token\":\"1//i" + r + "\",\"expiry_date\":" + later + "}", "projectId", "web-project")),
        new Kind("bedrock", "bedrock", Map.of("region", "eu-west-1", "accessKeyId", "AKIAWEB" + r.substring(0, 8),
            "secretAccessKey", "secret-" + r, "modelMap", "{\"claude-sonnet-4-5\":\"eu.anthropic.claude-sonnet-4-5-20250929-v1:0\"}")),
        new Kind("azure-openai", "azure-openai", Map.of("endpoint", "https://web-" + r.substring(0, 6).toLowerCase()
            + ".openai.azure.com", "deployment", "gpt-5-prod", "model", "gpt-5", "apiKey", "azk-" + r)),
        new Kind("droid-api", "droid-api", Map.of("apiKey", "fk-" + r)));
  }

  @Test
  void anAccountOfEachTypeThroughItsForm() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Kind k : kinds()) {
      String name = "Browser " + k.form;
      browser.viewport(Viewport.DESKTOP);
      browser.admin("accounts");
      WebElement form = form(k.form);
      fill(form, "name", name);
      k.fields.forEach((field, value) -> fill(form, field, value));
      browser.screenshot("account-form-" + k.form);
      form.findElement(By.cssSelector("[type=submit]")).click();
      browser.settle();
      JsonNode made = accountNamed(name);
      if (made == null) {
        List<WebElement> said = browser.driver().findElements(By.cssSelector("[role=alert], .error"));
        problems.add(k.form + ": no account after the form was sent"
            + (said.isEmpty() ? "" : "; the page said: " + said.get(0).getText()));
      } else if (!made.path("type").asText().equals(k.type)) {
        problems.add(k.form + ": made an account of type " + made.path("type").asText());
      } else {
        problems.addAll(shownSettings(k, seeded.node.admin("GET", "/admin/api/accounts/" + made.path("id").asText(), null)));
      }
      browser.errors().forEach(err -> problems.add(k.form + ": console: " + err));
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void theLoginFlowsGiveALinkToTheVendorsLoginPage() {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : Map.of("claude-oauth-login", "https://claude.ai/",
        "codex-oauth-login", "https://auth.openai.com/").entrySet()) {
      browser.admin("accounts");
      WebElement start = form(e.getKey());
      start.findElement(By.cssSelector("[type=submit]")).click();
      String href = browser.await(Browser.test("auth-url")).getAttribute("href");
      if (href == null || !href.startsWith(e.getValue())) {
        problems.add(e.getKey() + ": the login link is " + href);
      }
      browser.errors().forEach(err -> problems.add(e.getKey() + ": console: " + err));
    }
    assertEquals(List.of(), problems);
  }

  /**
   * The detail of a new account shows the settings of its type that are not secret, as they were typed, and
   * none of its secrets.
   */
  private static List<String> shownSettings(Kind k, JsonNode detail) {
    List<String> problems = new ArrayList<>();
    for (String name : List.of("region", "deployment", "model")) {
      if (k.fields.containsKey(name) && !k.fields.get(name).equals(detail.path("settings").path(name).asText(null))) {
        problems.add(k.form + ": the detail's settings show " + name + " as " + detail.path("settings").path(name));
      }
    }
    for (String secret : List.of("apiKey", "secretAccessKey", "accessKeyId", "accessToken", "refreshToken")) {
      if (k.fields.containsKey(secret) && detail.toString().contains(k.fields.get(secret))) {
        problems.add(k.form + ": the detail shows the " + secret);
      }
    }
    return problems;
  }

  /** The form of a kind of account: the chooser (folded under "Add") set to the kind, then its form. */
  private WebElement form(String kind) {
    By by = Browser.test("account-form-" + kind);
    if (browser.driver().findElements(by).isEmpty()) {
      new Select(browser.reveal(By.cssSelector("select[name=kind]"))).selectByValue(kind);
      browser.settle();
    }
    return browser.reveal(by);
  }

  private void fill(WebElement form, String field, String value) {
    List<WebElement> inputs = form.findElements(By.name(field));
    if (inputs.isEmpty() || !inputs.get(0).isDisplayed()) {
      return;
    }
    WebElement input = inputs.get(0);
    input.clear();
    if (value.length() > 60) {
      // Long pasted JSON: set at once, as a paste would, then tell the page it changed.
      ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].value = arguments[1];"
          + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", input, value);
    } else {
      input.sendKeys(value);
    }
  }

  private JsonNode accountNamed(String name) throws Exception {
    for (JsonNode a : seeded.node.admin("GET", "/admin/api/accounts", null).path("data")) {
      if (a.path("name").asText().equals(name)) {
        return a;
      }
    }
    return null;
  }
}
