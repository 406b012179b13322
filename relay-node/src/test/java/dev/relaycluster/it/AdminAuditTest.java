package dev.relaycluster.it;

import static dev.relaycluster.it.AdminLogins.body;
import static dev.relaycluster.it.AdminLogins.createAdmin;
import static dev.relaycluster.it.AdminLogins.json;
import static dev.relaycluster.it.AdminLogins.login;
import static dev.relaycluster.it.AdminLogins.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.UUID;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The admin audit log on an embedded node: a run of admin actions (keys, accounts, alert targets, admins,
 * two-factor, settings, re-pricing, logins, a refused call) each leaves its entry, with who, what, which
 * object, the names of the changed fields and the client address, newest first, filtered by time and
 * admin; and none of the secrets those actions created or sent is anywhere in the log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminAuditTest {
  private static final String PASSWORD = "a-long-enough-password-3";

  private TestNode node;

  @BeforeAll
  void start() throws Exception {
    node = TestNode.embedded(Files.createTempDirectory("relay-audit-"), Map.of());
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  @Order(1)
  void everyAdminWriteIsLoggedWithoutItsSecrets() throws Exception {
    String started = Instant.now().minusSeconds(1).toString();
    List<String> secrets = new ArrayList<>();
    secrets.add(TestNode.ADMIN_PASSWORD);
    secrets.add(node.login());

    JsonNode key = node.createKey("audited key", 0);
    String keyId = key.get("id").asText();
    secrets.add(key.get("key").asText());
    node.admin("PATCH", "/admin/api/keys/" + keyId, body("{\"name\":\"audited key 2\",\"concurrencyLimit\":3}"));
    node.admin("POST", "/admin/api/keys/" + keyId + "/revoke", null);

    String upstreamKey = "sk-ant-audit-" + UUID.randomUUID();
    secrets.add(upstreamKey);
    String accountId = node.createConsoleAccount("audited account", "http://127.0.0.1:9", upstreamKey, 1);
    String otherKey = "sk-ant-rotated-" + UUID.randomUUID();
    secrets.add(otherKey);
    node.admin("PATCH", "/admin/api/accounts/" + accountId, body("{\"apiKey\":\"" + otherKey + "\"}"));
    node.admin("DELETE", "/admin/api/accounts/" + accountId, null);

    String signing = "feishu-signing-" + UUID.randomUUID();
    secrets.add(signing);
    JsonNode target = node.admin("POST", "/admin/api/webhooks", body("{\"name\":\"audited target\",\"channel\":"
        + "\"feishu\",\"config\":{\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"" + signing + "\"}}"));
    String targetId = target.get("id").asText();
    node.admin("DELETE", "/admin/api/webhooks/" + targetId, null);

    String given = "given-password-" + UUID.randomUUID();
    secrets.add(given);
    createAdmin(node, "aud", "admin", given);
    node.admin("PATCH", "/admin/api/admins/aud", body("{\"role\":\"viewer\"}"));
    String generated = node.admin("POST", "/admin/api/admins/aud/password", body("{}")).get("password").asText();
    secrets.add(generated);
    String aud = token(node, "aud", generated);
    secrets.add(aud);
    assertEquals(403, node.send("POST", "/admin/api/keys", body("{\"name\":\"no\"}"), aud).statusCode());
    String base32 = json(node.send("POST", "/admin/api/me/totp", null, aud)).get("secret").asText();
    secrets.add(base32);
    String code = new Totp().code(Base32.decode(base32), Instant.now());
    JsonNode confirmed = json(node.send("POST", "/admin/api/me/totp/confirm",
        body("{\"code\":\"" + code + "\"}"), aud));
    confirmed.get("recoveryCodes").forEach(c -> secrets.add(c.asText()));
    String challenge = json(login(node, "aud", generated)).get("challenge").asText();
    secrets.add(challenge);

    String typo = "wrong-password-" + UUID.randomUUID();
    secrets.add(typo);
    assertEquals(401, login(node, "aud", typo).statusCode());
    assertEquals(401, login(node, "nobody-" + UUID.randomUUID(), typo).statusCode());
    node.admin("PATCH", "/admin/api/settings/security", body("{\"requireTwoFactor\":false}"));
    node.admin("POST", "/admin/api/usage/reprice",
        body("{\"from\":\"" + Instant.now().minusSeconds(3600) + "\",\"to\":\"" + Instant.now() + "\"}"));
    node.admin("DELETE", "/admin/api/admins/aud", null);

    HttpResponse<String> all = node.send("GET", "/admin/api/audit?limit=1000", null, node.login());
    assertEquals(200, all.statusCode(), all.body());
    for (String secret : secrets) {
      assertFalse(all.body().contains(secret), "a secret in the audit log: " + secret);
    }
    JsonNode data = json(all).get("data");
    String owner = TestNode.ADMIN_USER;
    entry(data, owner, "created", "key", keyId, "audited key");
    JsonNode changed = entry(data, owner, "changed", "key", keyId, "audited key 2");
    assertEquals("[\"name\",\"concurrencyLimit\"]", changed.get("fields").toString());
    assertEquals("127.0.0.1", changed.get("client").asText());
    entry(data, owner, "revoked", "key", keyId, "audited key 2");
    JsonNode created = entry(data, owner, "created", "account", accountId, "audited account");
    assertTrue(created.get("fields").toString().contains("\"apiKey\""), created.toString());
    assertEquals("[\"apiKey\"]", entry(data, owner, "changed", "account", accountId, "audited account")
        .get("fields").toString());
    entry(data, owner, "deleted", "account", accountId, "audited account");
    entry(data, owner, "created", "webhook-target", targetId, "audited target");
    entry(data, owner, "deleted", "webhook-target", targetId, "audited target");
    assertEquals("role=admin", entry(data, owner, "created", "admin", "aud", "aud").get("detail").asText());
    assertEquals("role=viewer", entry(data, owner, "role-changed", "admin", "aud", "aud").get("detail").asText());
    entry(data, owner, "password-reset", "admin", "aud", "aud");
    entry(data, owner, "deleted", "admin", "aud", "aud");
    assertEquals("POST /keys", entry(data, "aud", "denied", "keys", null, null).get("detail").asText());
    entry(data, "aud", "totp-enrolment-started", "admin", "aud", "aud");
    entry(data, "aud", "totp-enabled", "admin", "aud", "aud");
    assertEquals("password", entry(data, "aud", "logged-in", "session", "aud", "aud").get("detail").asText());
    entry(data, "aud", "password-accepted", "session", "aud", "aud");
    entry(data, "aud", "login-failed", "session", "aud", "aud");
    entry(data, null, "login-failed", "session", null, null);
    entry(data, owner, "changed", "settings", "security", null);
    entry(data, owner, "repriced", "usage", null, null);

    // Newest first; by admin; by time; paged.
    // Compared as instants: an instant on a whole second prints without a fraction ("…52Z"),
    // which sorts after "…52.624Z" as text.
    List<Instant> times = new ArrayList<>();
    data.forEach(e -> times.add(Instant.parse(e.get("at").asText())));
    List<Instant> sorted = new ArrayList<>(times);
    sorted.sort(java.util.Comparator.reverseOrder());
    assertEquals(sorted, times);
    JsonNode byAud = node.admin("GET", "/admin/api/audit?actor=aud", null).get("data");
    assertTrue(byAud.size() >= 5);
    byAud.forEach(e -> assertEquals("aud", e.get("actor").asText()));
    assertEquals(0, node.admin("GET", "/admin/api/audit?from=" + Instant.now().plusSeconds(60), null)
        .get("data").size());
    assertEquals(0, node.admin("GET", "/admin/api/audit?to=" + started, null).get("data").size());
    JsonNode paged = node.admin("GET", "/admin/api/audit?limit=2&offset=1", null);
    JsonNode page = paged.get("data");
    assertEquals(2, page.size());
    assertEquals(data.get(1).get("id"), page.get(0).get("id"));
    assertTrue(paged.get("limit").isInt() && paged.get("offset").isInt(), "limit and offset are numbers: " + paged);
    assertEquals(2, paged.get("limit").asInt());
    assertEquals(1, paged.get("offset").asInt());
    assertEquals(3, paged.get("nextOffset").asInt(), "a full page has a next one");
    JsonNode defaults = node.admin("GET", "/admin/api/audit?limit=1000", null);
    assertEquals(1000, defaults.get("limit").asInt());
    assertEquals(0, defaults.get("offset").asInt());
    assertTrue(defaults.get("nextOffset").isNull(), "a page that is not full is the last");
    assertEquals(100, node.admin("GET", "/admin/api/audit", null).get("limit").asInt());

    // By action, by kind of object, by object.
    JsonNode deleted = node.admin("GET", "/admin/api/audit?action=deleted&limit=1000", null).get("data");
    assertTrue(deleted.size() >= 3, deleted.toString());
    deleted.forEach(e -> assertEquals("deleted", e.get("action").asText()));
    JsonNode onKeys = node.admin("GET", "/admin/api/audit?objectType=key&limit=1000", null).get("data");
    onKeys.forEach(e -> assertEquals("key", e.get("objectType").asText()));
    assertEquals(3, onKeys.size(), "created, changed, revoked: " + onKeys);
    JsonNode onKey = node.admin("GET", "/admin/api/audit?objectType=key&objectId=" + keyId + "&action=changed",
        null).get("data");
    assertEquals(1, onKey.size());
    assertEquals("audited key 2", onKey.get(0).get("objectName").asText());
    assertEquals(400, node.send("GET", "/admin/api/audit?limit=0", null, node.login()).statusCode());
    assertEquals(400, node.send("GET", "/admin/api/audit?from=yesterday", null, node.login()).statusCode());
  }

  @Test
  @Order(2)
  void aViewerReadsTheLogAndCannotWriteIt() throws Exception {
    createAdmin(node, "val", "viewer", PASSWORD);
    String val = token(node, "val", PASSWORD);
    assertEquals(200, node.send("GET", "/admin/api/audit", null, val).statusCode());
    assertEquals(403, node.send("POST", "/admin/api/audit", body("{}"), val).statusCode());
    assertEquals(404, node.send("DELETE", "/admin/api/audit", null, node.login()).statusCode(), "no one changes it");
  }

  /** The one entry with these facts (objectId and name when given). */
  private static JsonNode entry(JsonNode data, String actor, String action, String type, String id, String name) {
    List<JsonNode> found = new ArrayList<>();
    data.forEach(e -> {
      if (e.get("action").asText().equals(action) && e.get("objectType").asText().equals(type)
          && (actor == null ? e.get("actor").isNull() : actor.equals(e.get("actor").asText()))
          && (id == null || id.equals(e.get("objectId").asText()))
          && (name == null || name.equals(e.get("objectName").asText()))) {
        found.add(e);
      }
    });
    assertEquals(1, found.size(), actor + " " + action + " " + type + " " + id + " " + name + " in " + data);
    return found.get(0);
  }
}
