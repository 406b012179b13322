package dev.relaycluster.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

/**
 * Single sign-on in the browser: the login page's sign-on button, through a small OpenID Connect issuer
 * (testing/MockOidcIssuer, which approves at once) and back, ends signed in on the dashboard as the admin the
 * issuer named, with the role its group maps to.
 *
 * <p>The issuer is reached by reflection while it is not on this branch's test classpath (the test is skipped
 * then); once OIDC sign-on is merged, call it directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcBrowserTest {
  private static final String ISSUER = "dev.relaycluster.testing.MockOidcIssuer";

  private AutoCloseable issuer;
  private SeededNode seeded;
  private Browser browser;

  @BeforeAll
  @SuppressWarnings("unchecked")
  void start() throws Exception {
    Chromium.require();
    Class<?> type;
    try {
      type = Class.forName(ISSUER);
    } catch (ClassNotFoundException e) {
      Assumptions.abort("skipped: no " + ISSUER + " (OIDC sign-on is not merged here yet)");
      return;
    }
    issuer = (AutoCloseable) type.getConstructor().newInstance();
    Map<String, Object> config = (Map<String, Object>) type.getMethod("nodeConfig", String.class)
        .invoke(issuer, "relay-owners=owner,relay-admins=admin,relay-viewers=viewer");
    seeded = SeededNode.start("oidc", config);
    browser = Browser.start(seeded.baseUrl());
    browser.language("en");
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (seeded != null) {
      seeded.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  @Test
  void theSignOnButtonSignsInThroughTheIssuer() throws Exception {
    browser.signOut();
    browser.admin("login");
    browser.await(By.xpath("//button[contains(., 'Mock SSO')]")).click();
    browser.awaitHash("#/dashboard");
    browser.settle();
    String token = (String) browser.script("return sessionStorage.getItem(arguments[0])", Browser.TOKEN);
    assertNotNull(token);
    JsonNode me = SeededNode.JSON.readTree(seeded.send("GET", "/admin/api/me", null, token).body());
    assertEquals("alice", me.path("username").asText(), me.toString());
    assertEquals("admin", me.path("role").asText(), me.toString());
    browser.screenshot("login-oidc-signed-in");
    assertEquals(List.of(), browser.errors());
  }
}
