package dev.relaycluster.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.testing.MockOidcIssuer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

/**
 * Single sign-on in the browser: the login page's sign-on button, through a small OpenID Connect issuer
 * (testing/MockOidcIssuer, which approves at once) and back, ends signed in on the dashboard as the admin the
 * issuer named, with the role its group maps to.

 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcBrowserTest {
  private MockOidcIssuer issuer;
  private SeededNode seeded;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    Chromium.require();
    issuer = new MockOidcIssuer();
    issuer.setUser("sub-alice", "alice", List.of("relay-admins"));
    Map<String, Object> config = issuer.nodeConfig("relay-owners=owner,relay-admins=admin,relay-viewers=viewer");
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
