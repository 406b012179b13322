package dev.relaycluster.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.testing.MockWorkOs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A Factory (Droid) login from the accounts page, as an operator does it: choose "Factory (Droid) — log in",
 * name the account, get a code; the page shows the code and a link to Factory's page (WorkOS, here
 * {@link MockWorkOs}); the page follows the login, and once it is approved there says the account was added; a
 * droid-oauth account with that name and the login's organisation exists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DroidLoginBrowserTest {
  private MockWorkOs workos;
  private SeededNode seeded;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    Chromium.require();
    workos = new MockWorkOs();
    seeded = SeededNode.start("droid-login",
        Map.of("relay.accounts.droid-oauth.workos-base-url", workos.baseUrl()));
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
    if (workos != null) {
      workos.close();
    }
  }

  @Test
  void aLoginByDeviceCodeAddsTheAccount() throws Exception {
    browser.admin("accounts");
    new Select(browser.reveal(By.cssSelector("select[name=kind]"))).selectByValue("droid-oauth-login");
    browser.settle();
    WebElement form = browser.reveal(Browser.test("account-form-droid-oauth-login"));
    form.findElement(By.name("name")).sendKeys("Factory login");
    form.findElement(Browser.test("get-code")).click();

    assertEquals(MockWorkOs.USER_CODE, browser.await(Browser.test("user-code")).getText());
    String href = browser.await(Browser.test("auth-url")).getAttribute("href");
    assertTrue(href != null && href.startsWith("https://auth.factory.ai/") && href.contains(MockWorkOs.USER_CODE), href);
    browser.screenshot("droid-login-code");

    workos.approve();
    JsonNode made = null;
    for (int i = 0; i < 150 && made == null; i++) {
      Thread.sleep(100);
      made = named("Factory login");
    }
    assertNotNull(made, "no droid-oauth account after the login was approved");
    assertEquals("droid-oauth", made.path("type").asText());
    JsonNode detail = seeded.node.admin("GET", "/admin/api/accounts/" + made.path("id").asText(), null);
    assertEquals(MockWorkOs.ORGANIZATION, detail.path("settings").path("organizationId").asText(), detail.toString());
    // The page follows the login until it ends and says so (in the dialog every added account gets).
    String said = "";
    for (int i = 0; i < 100 && !said.contains("Account \"Factory login\" added."); i++) {
      Thread.sleep(100);
      said = browser.driver().findElement(By.tagName("body")).getText();
    }
    assertTrue(said.contains("Account \"Factory login\" added."), said);
    assertEquals(List.of(), browser.errors());
  }

  private JsonNode named(String name) throws Exception {
    for (JsonNode a : seeded.node.admin("GET", "/admin/api/accounts", null).path("data")) {
      if (a.path("name").asText().equals(name)) {
        return a;
      }
    }
    return null;
  }
}
