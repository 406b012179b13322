package dev.relaycluster.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.admin.Totp;
import dev.relaycluster.testing.TestNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Signing in through the login form as a person would: a name and password, a wrong password refused on the
 * page, and an admin with two-factor sign-in typing the code of an authenticator app in the second step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginBrowserTest {
  private static final String PASSWORD = "a-long-enough-password-web";

  private SeededNode seeded;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    Chromium.require();
    seeded = SeededNode.start("login");
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

  @BeforeEach
  void signedOut() {
    browser.viewport(Viewport.DESKTOP);
    browser.language("en");
    browser.signOut();
  }

  @Test
  void aPasswordThroughTheForm() {
    browser.admin("login");
    type("username", TestNode.ADMIN_USER);
    type("password", "not-the-password");
    submit();
    WebElement refusal = browser.await(By.cssSelector("[role=alert], .error"));
    assertFalse(refusal.getText().isBlank());
    assertNull(token(), "no session after a wrong password");
    browser.errors(); // the refused login's 401 is in the console as a failed load; that is the browser's doing

    type("password", TestNode.ADMIN_PASSWORD);
    submit();
    browser.awaitHash("#/dashboard");
    browser.settle();
    assertNotNull(token());
    browser.screenshot("login-password-signed-in");
    assertEquals(List.of(), browser.errors());
  }

  @Test
  void aTotpCodeInTheSecondStep() throws Exception {
    seeded.createAdmin("tess", "admin", PASSWORD);
    String first = seeded.login("tess", PASSWORD).get("token").asText();
    HttpResponse<String> enrol = seeded.send("POST", "/admin/api/me/totp", null, first);
    assertEquals(200, enrol.statusCode(), enrol.body());
    byte[] secret = Base32.decode(SeededNode.JSON.readTree(enrol.body()).get("secret").asText());
    Totp totp = new Totp();
    HttpResponse<String> confirmed = seeded.send("POST", "/admin/api/me/totp/confirm",
        "{\"code\":\"" + totp.code(secret, Instant.now()) + "\"}", first);
    assertEquals(200, confirmed.statusCode(), confirmed.body());

    browser.admin("login");
    type("username", "tess");
    type("password", PASSWORD);
    submit();
    WebElement code = browser.await(By.name("code"));
    browser.settle();
    assertNull(token(), "no session before the code");
    browser.screenshot("login-totp-code");
    // The enrolment used this step's code; the next step's is accepted too (a clock a little ahead).
    code.sendKeys(totp.code(secret, Instant.now().plusSeconds(30)));
    submit();
    browser.awaitHash("#/dashboard");
    browser.settle();
    String token = token();
    assertNotNull(token);
    JsonNode me = SeededNode.JSON.readTree(seeded.send("GET", "/admin/api/me", null, token).body());
    assertEquals("tess", me.path("username").asText(), me.toString());
    assertTrue(me.path("totpEnabled").asBoolean(), me.toString());
    assertEquals(List.of(), browser.errors());
  }

  private void type(String field, String value) {
    WebElement input = browser.await(By.name(field));
    input.clear();
    input.sendKeys(value);
  }

  private void submit() {
    WebElement form = browser.driver().findElement(By.cssSelector("form:has([name=username]), form:has([name=code])"));
    form.findElement(By.cssSelector("[type=submit]")).click();
    browser.settle();
  }

  private String token() {
    return (String) browser.script("return sessionStorage.getItem(arguments[0])", Browser.TOKEN);
  }
}
