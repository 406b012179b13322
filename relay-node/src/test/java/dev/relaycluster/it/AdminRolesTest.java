package dev.relaycluster.it;

import static dev.relaycluster.it.AdminLogins.body;
import static dev.relaycluster.it.AdminLogins.createAdmin;
import static dev.relaycluster.it.AdminLogins.json;
import static dev.relaycluster.it.AdminLogins.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Roles on an embedded node: every admin endpoint called as viewer, admin and owner (a viewer reads and
 * is refused every write, an admin writes all but the admins, the owner does everything), a demoted,
 * disabled or deleted admin's session changing at once, password resets ending sessions, the last owner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminRolesTest {
  private static final String PASSWORD = "a-long-enough-password-1";

  private MockAnthropic mock;
  private dev.relaycluster.testing.MockWorkOs workos;
  private TestNode node;
  private final Map<String, String> ids = new java.util.HashMap<>();

  @BeforeAll
  void start() throws Exception {
    mock = new MockAnthropic();
    workos = new dev.relaycluster.testing.MockWorkOs();
    node = TestNode.embedded(Files.createTempDirectory("relay-roles-"),
        Map.of("relay.accounts.droid-oauth.workos-base-url", workos.baseUrl()));
    createAdmin(node, "ada", "admin", PASSWORD);
    createAdmin(node, "vic", "viewer", PASSWORD);
    JsonNode key = node.createKey("roles", 0);
    ids.put("{key}", key.get("id").asText());
    ids.put("{account}", node.createConsoleAccount("roles", mock.baseUrl(), "sk-roles-" + UUID.randomUUID(), 1));
    JsonNode target = node.admin("POST", "/admin/api/webhooks", body(
        "{\"name\":\"roles\",\"channel\":\"slack\",\"config\":{\"url\":\"http://127.0.0.1:9/hook\"}}"));
    ids.put("{webhook}", target.get("id").asText());
    ids.put("{flow}", node.admin("POST", "/admin/api/accounts/droid-oauth/device-authorization",
        body("{\"name\":\"roles\"}")).get("flowId").asText());
    RelayCall call = RelayCall.call(node.baseUrl(), key.get("key").asText(), false, "claude-sonnet-4-5-20250929", null);
    assertEquals(200, call.status(), call.body());
    ids.put("{request}", call.requestId());
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (mock != null) {
      mock.close();
    }
    if (workos != null) {
      workos.close();
    }
  }

  /**
   * Every endpoint (method, path, body, least role). Reads name real objects; writes name objects that do
   * not exist or carry bodies that fail their checks, so nothing changes whoever is let through.
   */
  private static final String[][] ENDPOINTS = {
      {"GET", "/me", null, "viewer"}, {"PATCH", "/me", "{}", "viewer"},
      {"POST", "/me/totp", null, "viewer"}, {"POST", "/me/totp/confirm", "{\"code\":\"abc\"}", "viewer"},
      {"POST", "/me/totp/disable", "{\"password\":\"wrong-password\",\"code\":\"123456\"}", "viewer"},
      {"GET", "/admins", null, "owner"}, {"POST", "/admins", "{}", "owner"}, {"GET", "/admins/ada", null, "owner"},
      {"PATCH", "/admins/nobody", "{\"role\":\"viewer\"}", "owner"}, {"DELETE", "/admins/nobody", null, "owner"},
      {"POST", "/admins/nobody/password", "{}", "owner"}, {"DELETE", "/admins/nobody/totp", null, "owner"},
      {"GET", "/settings/security", null, "viewer"}, {"PATCH", "/settings/security", "{}", "owner"},
      {"GET", "/audit", null, "viewer"},
      {"GET", "/settings/branding", null, "viewer"}, {"PATCH", "/settings/branding", "{\"siteName\":7}", "admin"},
      {"GET", "/model-map", null, "viewer"}, {"PUT", "/model-map", "{\"rules\":7}", "admin"},
      {"DELETE", "/model-map", null, "admin"},
      {"GET", "/accounts", null, "viewer"}, {"POST", "/accounts", "{}", "admin"},
      {"GET", "/accounts/{account}", null, "viewer"}, {"PATCH", "/accounts/nope", "{\"priority\":3}", "admin"},
      {"DELETE", "/accounts/nope", null, "admin"}, {"POST", "/accounts/nope/reset", null, "admin"},
      {"POST", "/accounts/nope/test", null, "admin"},
      {"GET", "/accounts/{account}/history", null, "viewer"},
      {"POST", "/accounts/oauth/generate-auth-url", "{\"kind\":\"bogus\"}", "admin"},
      {"POST", "/accounts/oauth/exchange-code", "{}", "admin"},
      {"POST", "/accounts/openai-oauth/generate-auth-url", "{\"kind\":\"bogus\"}", "admin"},
      {"POST", "/accounts/openai-oauth/exchange-code", "{}", "admin"},
      {"POST", "/accounts/gemini-oauth/generate-auth-url", "{\"kind\":\"bogus\"}", "admin"},
      {"POST", "/accounts/gemini-oauth/exchange-code", "{}", "admin"},
      {"POST", "/accounts/gemini-oauth/import-creds", "{}", "admin"},
      {"POST", "/accounts/droid-oauth/device-authorization", "{\"priority\":-1}", "admin"},
      {"GET", "/accounts/droid-oauth/device-authorization/{flow}", null, "admin"},
      {"GET", "/keys", null, "viewer"}, {"GET", "/keys?usage=true", null, "viewer"},
      {"POST", "/keys", "{\"name\":7}", "admin"},
      {"GET", "/keys/{key}", null, "viewer"}, {"PATCH", "/keys/nope", "{\"name\":\"x\"}", "admin"},
      {"DELETE", "/keys/nope", null, "admin"}, {"POST", "/keys/nope/restore", null, "admin"},
      {"POST", "/keys/nope/revoke", null, "admin"},
      {"GET", "/requests/{request}/trace", null, "viewer"},
      {"GET", "/cluster", null, "viewer"},
      {"GET", "/usage/requests", null, "viewer"}, {"GET", "/usage/requests.csv", null, "viewer"},
      {"GET", "/usage/aggregates", null, "viewer"}, {"GET", "/usage/aggregates.csv", null, "viewer"},
      {"GET", "/usage/accounts", null, "viewer"}, {"GET", "/usage/dashboard", null, "viewer"},
      {"GET", "/usage/prices", null, "viewer"},
      {"POST", "/usage/reprice", "{}", "admin"}, {"POST", "/usage/rebuild", "{\"bogus\":1}", "admin"},
      {"POST", "/import/crs", "{\"bogus\":1}", "admin"},
      {"GET", "/webhooks", null, "viewer"}, {"POST", "/webhooks", "{}", "admin"},
      {"GET", "/webhooks/channels", null, "viewer"}, {"GET", "/webhooks/{webhook}", null, "viewer"},
      {"PATCH", "/webhooks/nope", "{\"name\":\"x\"}", "admin"}, {"DELETE", "/webhooks/nope", null, "admin"},
      {"POST", "/webhooks/nope/enable", null, "admin"}, {"POST", "/webhooks/nope/disable", null, "admin"},
      {"POST", "/webhooks/nope/test", null, "admin"},
  };

  private static final List<String> ROLES = List.of("viewer", "admin", "owner");

  @Test
  void everyEndpointWithEveryRole() throws Exception {
    Map<String, String> tokens = Map.of("viewer", token(node, "vic", PASSWORD), "admin", token(node, "ada", PASSWORD),
        "owner", token(node, TestNode.ADMIN_USER, TestNode.ADMIN_PASSWORD)); // not node.login()'s: logged out below
    for (String[] e : ENDPOINTS) {
      String path = e[1];
      for (Map.Entry<String, String> id : ids.entrySet()) {
        path = path.replace(id.getKey(), id.getValue());
      }
      for (String role : ROLES) {
        HttpResponse<String> r = node.send(e[0], "/admin/api" + path, e[2] == null ? null : body(e[2]),
            tokens.get(role));
        String what = role + " " + e[0] + " " + path + " → " + r.statusCode() + " " + r.body();
        boolean allowed = ROLES.indexOf(role) >= ROLES.indexOf(e[3]);
        if (allowed) {
          assertNotEquals(403, r.statusCode(), what);
          assertNotEquals(401, r.statusCode(), what);
          if (e[0].equals("GET")) {
            assertEquals(200, r.statusCode(), what);
          }
        } else {
          assertEquals(403, r.statusCode(), what);
          assertEquals("permission_error", json(r).path("error").path("type").asText(), what);
          assertTrue(json(r).path("error").path("message").asText().contains("needs the " + e[3] + " role"), what);
        }
      }
    }
    // The rebuild above ran for the admin and the owner; logging out is for everyone.
    for (String role : ROLES) {
      assertEquals(200, node.send("POST", "/admin/api/logout", null, tokens.get(role)).statusCode(), role);
    }
  }

  /** Every operation the OpenAPI document lists behind the admin token is in {@link #ENDPOINTS}. */
  @Test
  void everyDocumentedAdminOperationIsCalledWithEveryRole() throws Exception {
    JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        AdminRolesTest.class.getResourceAsStream("/openapi/admin-api.json"));
    List<String> missing = new java.util.ArrayList<>();
    doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      boolean tokenFree = op.getValue().has("security") && op.getValue().path("security").isEmpty();
      if (!java.util.Set.of("get", "post", "put", "patch", "delete").contains(op.getKey())
          || !path.getKey().startsWith("/admin/api/") || tokenFree || path.getKey().equals("/admin/api/logout")) {
        return;
      }
      String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
      java.util.regex.Pattern template = java.util.regex.Pattern.compile(
          path.getKey().substring("/admin/api".length()).replace(".", "\\.").replaceAll("\\{[^}]+}", "[^/]+"));
      boolean called = java.util.Arrays.stream(ENDPOINTS).anyMatch(e -> e[0].equals(method)
          && template.matcher(e[1].replaceAll("\\?.*", "")).matches());
      if (!called) {
        missing.add(method + " " + path.getKey());
      }
    }));
    assertEquals(List.of(), missing, "documented admin operations this test does not call with each role");
  }

  @Test
  void aDemotedAdminIsDemotedAtOnceAndADeletedOrDisabledOneIsOut() throws Exception {
    createAdmin(node, "dora", "admin", PASSWORD);
    String dora = token(node, "dora", PASSWORD);
    assertEquals(201, node.send("POST", "/admin/api/keys", body("{\"name\":\"dora's\"}"), dora).statusCode());

    assertEquals("viewer", node.admin("PATCH", "/admin/api/admins/dora", body("{\"role\":\"viewer\"}"))
        .get("role").asText());
    assertEquals(403, node.send("POST", "/admin/api/keys", body("{\"name\":\"no\"}"), dora).statusCode());
    assertEquals(200, node.send("GET", "/admin/api/keys", null, dora).statusCode());
    assertEquals("viewer", json(node.send("GET", "/admin/api/me", null, dora)).get("role").asText());

    node.admin("PATCH", "/admin/api/admins/dora", body("{\"disabled\":true}"));
    assertEquals(401, node.send("GET", "/admin/api/keys", null, dora).statusCode());
    assertEquals(401, AdminLogins.login(node, "dora", PASSWORD).statusCode());
    node.admin("PATCH", "/admin/api/admins/dora", body("{\"disabled\":false,\"role\":\"admin\"}"));
    String again = token(node, "dora", PASSWORD);
    assertEquals(401, node.send("GET", "/admin/api/keys", null, dora).statusCode(), "disabling ended the old session");
    assertEquals(200, node.send("GET", "/admin/api/keys", null, again).statusCode());

    JsonNode reset = node.admin("POST", "/admin/api/admins/dora/password", body("{}"));
    String generated = reset.get("password").asText();
    assertTrue(generated.length() >= 12);
    assertEquals(401, node.send("GET", "/admin/api/keys", null, again).statusCode(), "a reset ends the sessions");
    String third = token(node, "dora", generated);

    assertTrue(node.admin("DELETE", "/admin/api/admins/dora", null).get("deleted").asBoolean());
    assertEquals(401, node.send("GET", "/admin/api/keys", null, third).statusCode());
    assertEquals(401, AdminLogins.login(node, "dora", generated).statusCode());
  }

  @Test
  void theOwnerManagesAdminsAndTheLastOwnerStays() throws Exception {
    HttpResponse<String> tooShort = node.send("POST", "/admin/api/admins",
        body("{\"username\":\"x1\",\"role\":\"viewer\",\"password\":\"short\"}"), node.login());
    assertEquals(400, tooShort.statusCode(), tooShort.body());
    assertEquals(400, node.send("POST", "/admin/api/admins", body("{\"username\":\"x1\",\"role\":\"king\"}"),
        node.login()).statusCode());
    JsonNode made = createAdmin(node, "gen", "viewer", null);
    String generated = made.get("password").asText();
    assertTrue(generated.length() >= 12);
    token(node, "gen", generated);
    assertEquals(409, node.send("POST", "/admin/api/admins", body("{\"username\":\"gen\",\"role\":\"viewer\"}"),
        node.login()).statusCode());

    String list = node.send("GET", "/admin/api/admins", null, node.login()).body();
    assertTrue(list.contains("\"gen\"") && list.contains("\"owner\""), list);
    assertFalse(list.contains("argon2") || list.contains("password") || list.contains(generated), list);

    HttpResponse<String> last = node.send("PATCH", "/admin/api/admins/" + TestNode.ADMIN_USER,
        body("{\"role\":\"admin\"}"), node.login());
    assertEquals(409, last.statusCode(), last.body());
    assertEquals("conflict_error", json(last).path("error").path("type").asText());
    assertEquals(409, node.send("DELETE", "/admin/api/admins/" + TestNode.ADMIN_USER, null, node.login()).statusCode());
    assertEquals("owner", node.admin("GET", "/admin/api/me", null).get("role").asText());
    node.admin("DELETE", "/admin/api/admins/gen", null);
  }

  @Test
  void anAdminChangesTheirOwnPasswordWithTheCurrentOne() throws Exception {
    createAdmin(node, "pat", "viewer", PASSWORD);
    String pat = token(node, "pat", PASSWORD);
    HttpResponse<String> wrong = node.send("PATCH", "/admin/api/me",
        body("{\"currentPassword\":\"not-the-password\",\"newPassword\":\"another-long-password\"}"), pat);
    assertEquals(400, wrong.statusCode(), wrong.body());
    HttpResponse<String> changed = node.send("PATCH", "/admin/api/me",
        body("{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"another-long-password\"}"), pat);
    assertEquals(200, changed.statusCode(), changed.body());
    String fresh = json(changed).get("token").asText();
    assertEquals(401, node.send("GET", "/admin/api/me", null, pat).statusCode(), "the old session ended");
    assertEquals("pat", json(node.send("GET", "/admin/api/me", null, fresh)).get("username").asText());
    assertEquals(401, AdminLogins.login(node, "pat", PASSWORD).statusCode());
    token(node, "pat", "another-long-password");
    node.admin("DELETE", "/admin/api/admins/pat", null);
  }
}
