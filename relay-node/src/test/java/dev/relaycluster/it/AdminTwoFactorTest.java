package dev.relaycluster.it;

import static dev.relaycluster.it.AdminLogins.body;
import static dev.relaycluster.it.AdminLogins.createAdmin;
import static dev.relaycluster.it.AdminLogins.json;
import static dev.relaycluster.it.AdminLogins.login;
import static dev.relaycluster.it.AdminLogins.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.admin.Totp;
import dev.relaycluster.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two-factor sign-in on an embedded node, as an authenticator app would do it: enrolment and activation,
 * the challenge step with a TOTP code, a code refused the second time, recovery codes used once, wrong
 * codes counted by the login throttle, turning it off, and an owner requiring it of everyone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminTwoFactorTest {
  private static final String PASSWORD = "a-long-enough-password-2";
  private static final Totp TOTP = new Totp();

  private TestNode node;

  @BeforeAll
  void start() throws Exception {
    node = TestNode.embedded(Files.createTempDirectory("relay-totp-"), Map.of());
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  /** What enrolment answers, and the secret behind it. */
  private record Enrolled(byte[] secret, List<String> recoveryCodes) {}

  private Enrolled enrol(String token, String username) throws Exception {
    HttpResponse<String> start = node.send("POST", "/admin/api/me/totp", null, token);
    assertEquals(200, start.statusCode(), start.body());
    String base32 = json(start).get("secret").asText();
    assertTrue(base32.matches("[A-Z2-7]{32}"), base32);
    assertTrue(json(start).get("otpauthUri").asText().startsWith("otpauth://totp/Relay%20Cluster:" + username
        + "?secret=" + base32 + "&issuer=Relay%20Cluster"), start.body());
    byte[] secret = Base32.decode(base32);
    HttpResponse<String> wrong = node.send("POST", "/admin/api/me/totp/confirm",
        body("{\"code\":\"" + TOTP.code(secret, Instant.now().plusSeconds(300)) + "\"}"), token);
    assertEquals(400, wrong.statusCode(), wrong.body());
    HttpResponse<String> confirmed = node.send("POST", "/admin/api/me/totp/confirm",
        body("{\"code\":\"" + TOTP.code(secret, Instant.now()) + "\"}"), token);
    assertEquals(200, confirmed.statusCode(), confirmed.body());
    List<String> codes = new ArrayList<>();
    json(confirmed).get("recoveryCodes").forEach(c -> codes.add(c.asText()));
    assertEquals(10, codes.size());
    return new Enrolled(secret, codes);
  }

  private String challenge(String username) throws Exception {
    HttpResponse<String> r = login(node, username, PASSWORD);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(json(r).get("totpRequired").asBoolean(), r.body());
    assertFalse(json(r).has("token"), r.body());
    return json(r).get("challenge").asText();
  }

  private HttpResponse<String> answer(String challenge, String code) throws Exception {
    return node.post("/admin/api/login", body("{\"challenge\":\"" + challenge + "\",\"code\":\"" + code + "\"}"), null);
  }

  @Test
  void signingInWithACodeOrARecoveryCodeEachUsableOnce() throws Exception {
    createAdmin(node, "tina", "admin", PASSWORD);
    String first = token(node, "tina", PASSWORD);
    Enrolled e = enrol(first, "tina");
    assertEquals(409, node.send("POST", "/admin/api/me/totp", null, first).statusCode(), "already on");
    JsonNode me = json(node.send("GET", "/admin/api/me", null, first));
    assertTrue(me.get("totpEnabled").asBoolean());
    assertEquals(10, me.get("recoveryCodesLeft").asInt());
    assertFalse(me.toString().contains(Totp.base32(e.secret())), "the secret is never shown again");

    // The enrolment's code was for this step; the next step's code signs in (the window allows one step).
    String code = TOTP.code(e.secret(), Instant.now().plusSeconds(30));
    HttpResponse<String> wrong = answer(challenge("tina"), TOTP.code(e.secret(), Instant.now().plusSeconds(300)));
    assertEquals(401, wrong.statusCode(), wrong.body());
    HttpResponse<String> in = answer(challenge("tina"), code);
    assertEquals(200, in.statusCode(), in.body());
    String session = json(in).get("token").asText();
    assertEquals(200, node.send("GET", "/admin/api/keys", null, session).statusCode());
    assertEquals(401, answer(challenge("tina"), code).statusCode(), "the same code again is a replay");
    assertEquals(401, answer("ab".repeat(32), code).statusCode(), "an unknown challenge");

    String recovery = e.recoveryCodes().get(0);
    HttpResponse<String> byRecovery = answer(challenge("tina"), recovery.toLowerCase().replace("-", ""));
    assertEquals(200, byRecovery.statusCode(), byRecovery.body());
    assertEquals(401, answer(challenge("tina"), recovery).statusCode(), "a recovery code works once");
    assertEquals(9, json(node.send("GET", "/admin/api/me", null, session)).get("recoveryCodesLeft").asInt());

    HttpResponse<String> badOff = node.send("POST", "/admin/api/me/totp/disable",
        body("{\"password\":\"not-the-password\",\"code\":\"" + e.recoveryCodes().get(1) + "\"}"), session);
    assertEquals(400, badOff.statusCode(), badOff.body());
    HttpResponse<String> off = node.send("POST", "/admin/api/me/totp/disable",
        body("{\"password\":\"" + PASSWORD + "\",\"code\":\"" + e.recoveryCodes().get(1) + "\"}"), session);
    assertEquals(200, off.statusCode(), off.body());
    token(node, "tina", PASSWORD); // a plain login again
    assertEquals(0, json(node.send("GET", "/admin/api/me", null, session)).get("recoveryCodesLeft").asInt());
  }

  @Test
  void wrongCodesCountInTheLoginThrottle() throws Exception {
    createAdmin(node, "tom", "viewer", PASSWORD);
    Enrolled e = enrol(token(node, "tom", PASSWORD), "tom");
    String wrong = TOTP.code(e.secret(), Instant.now().plusSeconds(600));
    for (int i = 0; i < 5; i++) {
      assertEquals(401, answer(challenge("tom"), wrong).statusCode());
    }
    HttpResponse<String> refused = login(node, "tom", PASSWORD);
    assertEquals(429, refused.statusCode(), refused.body());
    assertTrue(refused.headers().firstValue("retry-after").isPresent());
  }

  @Test
  void anOwnerCanLoseTheAuthenticatorAndAnotherOwnerResetsIt() throws Exception {
    createAdmin(node, "lou", "viewer", PASSWORD);
    enrol(token(node, "lou", PASSWORD), "lou");
    assertTrue(json(login(node, "lou", PASSWORD)).has("challenge"));
    JsonNode reset = node.admin("DELETE", "/admin/api/admins/lou/totp", null);
    assertFalse(reset.get("totpEnabled").asBoolean());
    assertTrue(json(login(node, "lou", PASSWORD)).has("token"));
  }

  @Test
  void whenTheOwnerRequiresTwoFactorAnAdminWithoutItMayOnlyEnrol() throws Exception {
    createAdmin(node, "olga", "owner", PASSWORD);
    String olga = token(node, "olga", PASSWORD);
    HttpResponse<String> notYet = node.send("PATCH", "/admin/api/settings/security",
        body("{\"requireTwoFactor\":true}"), olga);
    assertEquals(409, notYet.statusCode(), "an owner without two-factor would lock themselves out: " + notYet.body());
    enrol(olga, "olga");
    createAdmin(node, "vera", "admin", PASSWORD);
    String before = token(node, "vera", PASSWORD);
    try {
      HttpResponse<String> on = node.send("PATCH", "/admin/api/settings/security",
          body("{\"requireTwoFactor\":true}"), olga);
      assertEquals(200, on.statusCode(), on.body());
      assertTrue(json(node.send("GET", "/admin/api/settings/security", null, olga))
          .get("requireTwoFactor").asBoolean());

      // Sessions of admins without two-factor are limited at once, and new ones are limited too.
      HttpResponse<String> limited = node.send("GET", "/admin/api/keys", null, before);
      assertEquals(403, limited.statusCode(), limited.body());
      assertTrue(json(limited).path("error").path("message").asText().contains("two-factor"), limited.body());
      HttpResponse<String> fresh = login(node, "vera", PASSWORD);
      assertTrue(json(fresh).get("enrolmentRequired").asBoolean(), fresh.body());
      String enrolOnly = json(fresh).get("token").asText();
      assertTrue(json(node.send("GET", "/admin/api/me", null, enrolOnly)).get("enrolmentRequired").asBoolean());
      assertEquals(403, node.send("POST", "/admin/api/keys", body("{\"name\":\"x\"}"), enrolOnly).statusCode());
      assertEquals(403, node.send("PATCH", "/admin/api/me", body("{}"), enrolOnly).statusCode());

      enrol(enrolOnly, "vera");
      assertEquals(200, node.send("GET", "/admin/api/keys", null, enrolOnly).statusCode(), "enrolled: a full session");
      assertFalse(json(node.send("GET", "/admin/api/me", null, enrolOnly)).get("enrolmentRequired").asBoolean());
      assertNotEquals(403, node.send("GET", "/admin/api/keys", null, olga).statusCode());
    } finally {
      node.send("PATCH", "/admin/api/settings/security", body("{\"requireTwoFactor\":false}"), olga);
    }
    assertEquals(200, node.send("GET", "/admin/api/keys", null, node.login()).statusCode());
  }
}
