package dev.relaycluster.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Which audit action each admin write is, and that reads are not logged. */
class AuditActionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static AuditAction of(String method, String path, String body) throws Exception {
    JsonNode node = body == null ? null : JSON.readTree(body);
    return AuditActions.describe(method, Arrays.asList(path.split("/")), node).orElseThrow();
  }

  @Test
  void theRelaysObjects() throws Exception {
    assertEquals(new AuditAction("created", "key", null, null), of("POST", "keys", "{}"));
    assertEquals(new AuditAction("changed", "key", "k1", null), of("PATCH", "keys/k1", "{}"));
    assertEquals(new AuditAction("revoked", "key", "k1", null), of("POST", "keys/k1/revoke", null));
    assertEquals(new AuditAction("deleted", "account", "a1", null), of("DELETE", "accounts/a1", null));
    assertEquals(new AuditAction("oauth-started", "account", null, "gemini-oauth"),
        of("POST", "accounts/gemini-oauth/generate-auth-url", "{}"));
    assertEquals(new AuditAction("created", "account", null, "oauth"),
        of("POST", "accounts/oauth/exchange-code", "{}"));
    assertEquals(new AuditAction("disabled", "webhook-target", "w1", null), of("POST", "webhooks/w1/disable", null));
    assertEquals(new AuditAction("repriced", "usage", null, null), of("POST", "usage/reprice", "{}"));
    assertEquals(new AuditAction("changed", "settings", "security", null), of("PATCH", "settings/security", "{}"));
    assertEquals(new AuditAction("changed", "model-map", null, "rules=2"),
        of("PUT", "model-map", "{\"rules\":[{\"match\":\"a\",\"pool\":\"claude\"},{\"match\":\"b\",\"pool\":\"gemini\"}]}"));
    assertEquals(new AuditAction("changed", "model-map", null, null), of("PUT", "model-map", "{\"rules\":7}"));
    assertEquals(new AuditAction("reset", "model-map", null, null), of("DELETE", "model-map", null));
  }

  @Test
  void adminsAndTheirOwnSettings() throws Exception {
    assertEquals(new AuditAction("created", "admin", null, "role=viewer"),
        of("POST", "admins", "{\"username\":\"v\",\"role\":\"viewer\",\"password\":\"p\"}"));
    assertEquals(new AuditAction("role-changed", "admin", "bob", "role=admin"),
        of("PATCH", "admins/bob", "{\"role\":\"admin\"}"));
    assertEquals(new AuditAction("disabled", "admin", "bob", null), of("PATCH", "admins/bob", "{\"disabled\":true}"));
    assertEquals(new AuditAction("changed", "admin", "bob", null), of("PATCH", "admins/bob", "{\"role\":\"king\"}"));
    assertEquals(new AuditAction("password-reset", "admin", "bob", null), of("POST", "admins/bob/password", "{}"));
    assertEquals(new AuditAction("totp-reset", "admin", "bob", null), of("DELETE", "admins/bob/totp", null));
    assertEquals(new AuditAction("totp-enabled", "admin", null, null), of("POST", "me/totp/confirm", "{}"));
    assertEquals(new AuditAction("password-changed", "admin", null, null), of("PATCH", "me", "{}"));
  }

  @Test
  void readsAreNotLoggedAndUnknownWritesAreLoggedAsTheirMethod() throws Exception {
    assertTrue(AuditActions.describe("GET", Arrays.asList("keys"), null).isEmpty());
    assertTrue(AuditActions.describe("HEAD", Arrays.asList("audit"), null).isEmpty());
    assertEquals(new AuditAction("post", "future", "x", "future/x/y"), of("POST", "future/x/y", null));
  }
}
