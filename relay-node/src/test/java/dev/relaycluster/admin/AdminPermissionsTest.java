package dev.relaycluster.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one table of who may call what, over every admin endpoint there is. */
class AdminPermissionsTest {
  private static List<String> path(String p) {
    return p.isEmpty() ? List.of() : Arrays.asList(p.split("/", -1));
  }

  private static AdminRole least(String method, String p) {
    return AdminPermissions.required(method, path(p));
  }

  /** Every endpoint of the admin API with the least role it needs (kept in step with AdminRolesTest). */
  static final String[][] ENDPOINTS = {
      {"POST", "logout", "viewer"},
      {"GET", "me", "viewer"}, {"PATCH", "me", "viewer"},
      {"POST", "me/totp", "viewer"}, {"POST", "me/totp/confirm", "viewer"}, {"POST", "me/totp/disable", "viewer"},
      {"GET", "admins", "owner"}, {"POST", "admins", "owner"}, {"GET", "admins/bob", "owner"},
      {"PATCH", "admins/bob", "owner"}, {"DELETE", "admins/bob", "owner"},
      {"POST", "admins/bob/password", "owner"}, {"DELETE", "admins/bob/totp", "owner"},
      {"GET", "settings/security", "viewer"}, {"PATCH", "settings/security", "owner"},
      {"GET", "model-map", "viewer"}, {"PUT", "model-map", "admin"}, {"DELETE", "model-map", "admin"},
      {"GET", "audit", "viewer"},
      {"GET", "accounts", "viewer"}, {"POST", "accounts", "admin"}, {"GET", "accounts/a1", "viewer"},
      {"PATCH", "accounts/a1", "admin"}, {"DELETE", "accounts/a1", "admin"},
      {"POST", "accounts/a1/reset", "admin"}, {"POST", "accounts/a1/test", "admin"},
      {"POST", "accounts/oauth/generate-auth-url", "admin"}, {"POST", "accounts/oauth/exchange-code", "admin"},
      {"POST", "accounts/openai-oauth/generate-auth-url", "admin"},
      {"POST", "accounts/droid-oauth/device-authorization", "admin"},
      {"GET", "accounts/droid-oauth/device-authorization/0f6d1c1e", "admin"},
      {"POST", "accounts/openai-oauth/exchange-code", "admin"},
      {"POST", "accounts/gemini-oauth/generate-auth-url", "admin"},
      {"POST", "accounts/gemini-oauth/exchange-code", "admin"},
      {"POST", "accounts/gemini-oauth/import-creds", "admin"},
      {"GET", "keys", "viewer"}, {"POST", "keys", "admin"}, {"GET", "keys/k1", "viewer"},
      {"PATCH", "keys/k1", "admin"}, {"DELETE", "keys/k1", "admin"},
      {"POST", "keys/k1/restore", "admin"}, {"POST", "keys/k1/revoke", "admin"},
      {"GET", "requests/r1/trace", "viewer"},
      {"GET", "cluster", "viewer"},
      {"GET", "usage/requests", "viewer"}, {"GET", "usage/requests.csv", "viewer"},
      {"GET", "usage/aggregates", "viewer"}, {"GET", "usage/aggregates.csv", "viewer"},
      {"GET", "usage/accounts", "viewer"}, {"GET", "usage/dashboard", "viewer"}, {"GET", "usage/prices", "viewer"},
      {"POST", "usage/reprice", "admin"}, {"POST", "usage/rebuild", "admin"},
      {"POST", "import/crs", "admin"},
      {"GET", "webhooks", "viewer"}, {"POST", "webhooks", "admin"}, {"GET", "webhooks/channels", "viewer"},
      {"GET", "webhooks/w1", "viewer"}, {"PATCH", "webhooks/w1", "admin"}, {"DELETE", "webhooks/w1", "admin"},
      {"POST", "webhooks/w1/enable", "admin"}, {"POST", "webhooks/w1/disable", "admin"},
      {"POST", "webhooks/w1/test", "admin"},
  };

  @Test
  void everyEndpointNeedsItsRole() {
    for (String[] e : ENDPOINTS) {
      assertEquals(e[2], least(e[0], e[1]).wireName(), e[0] + " " + e[1]);
    }
  }

  @Test
  void viewersReadAndNeverWriteTheRelaysObjects() {
    for (String p : List.of("accounts", "keys/k1", "webhooks/w1", "usage/reprice", "settings/branding")) {
      assertEquals(AdminRole.ADMIN, least("POST", p), p);
      assertEquals(AdminRole.ADMIN, least("PUT", p), p);
    }
    assertEquals(AdminRole.VIEWER, least("HEAD", "keys"));
    assertEquals(AdminRole.VIEWER, least("get", "keys"));
  }

  @Test
  void whatTheTableDoesNotNameIsTheOwnersOnly() {
    assertEquals(AdminRole.OWNER, least("GET", "something-new"));
    assertEquals(AdminRole.OWNER, least("POST", "requests/r1/trace"));
    assertEquals(AdminRole.OWNER, least("POST", "cluster"));
    assertEquals(AdminRole.OWNER, least("GET", "me/totp"));
    assertEquals(AdminRole.OWNER, least("GET", ""));
    assertEquals(AdminRole.OWNER, least("GET", "requests/r1/trace/more"));
    assertEquals(AdminRole.OWNER, least("GET", "adminsx"));
  }

  @Test
  void revealingASecretIsNeverForViewers() {
    assertEquals(AdminRole.ADMIN, least("GET", "keys/k1/reveal"));
    assertEquals(AdminRole.ADMIN, least("POST", "accounts/a1/reveal"));
    assertEquals(AdminRole.OWNER, least("GET", "admins/bob/reveal"));
  }

  @Test
  void anEnrolmentSessionOnlyEnrols() {
    assertTrue(AdminPermissions.allowedWhileEnrolling("GET", path("me")));
    assertTrue(AdminPermissions.allowedWhileEnrolling("POST", path("me/totp")));
    assertTrue(AdminPermissions.allowedWhileEnrolling("POST", path("me/totp/confirm")));
    assertTrue(AdminPermissions.allowedWhileEnrolling("POST", path("logout")));
    assertFalse(AdminPermissions.allowedWhileEnrolling("PATCH", path("me")));
    assertFalse(AdminPermissions.allowedWhileEnrolling("POST", path("me/totp/disable")));
    assertFalse(AdminPermissions.allowedWhileEnrolling("GET", path("keys")));
    assertFalse(AdminPermissions.allowedWhileEnrolling("GET", path("audit")));
  }

  @Test
  void rolesAreOrdered() {
    assertTrue(AdminRole.OWNER.atLeast(AdminRole.ADMIN));
    assertTrue(AdminRole.ADMIN.atLeast(AdminRole.VIEWER));
    assertTrue(AdminRole.ADMIN.atLeast(AdminRole.ADMIN));
    assertFalse(AdminRole.VIEWER.atLeast(AdminRole.ADMIN));
    assertFalse(AdminRole.ADMIN.atLeast(AdminRole.OWNER));
    assertEquals(AdminRole.VIEWER, AdminRole.parse("viewer").orElseThrow());
    assertTrue(AdminRole.parse("OWNER").isEmpty());
  }
}
