package dev.relaycluster.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.admin.Totp;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Secrets never reach the page. The test makes keys, an account of every type with its credentials (and one
 * behind a proxy with a password), alert targets whose URL and signing secret are secret, and an admin with a
 * password and two-factor sign-in; then it opens every admin page and reads what the browser holds (the DOM,
 * the values of fields, storage) and every JSON answer the pages received, and also fetches every GET endpoint
 * of the admin API itself; none may contain any of those secrets, whole or the random part of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsBrowserTest {
  private static final String PASSWORD_PREFIX = "a-long-enough-password-";

  private SeededNode seeded;
  private Browser browser;
  private String token;
  /** Secret → its random part (what a masked or cut form of it could still reveal). */
  private final Map<String, String> secrets = new LinkedHashMap<>();
  private final List<String> accountIds = new ArrayList<>();
  private final List<String> webhookIds = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    Chromium.require();
    seeded = SeededNode.start("secrets");
    secrets.put(seeded.keySecret, seeded.keySecret.substring(3));
    secrets.put(seeded.accountSecret, seeded.accountSecret.substring("sk-ant-api03-".length()));
    accountIds.add(seeded.accountId);
    webhookIds.add(seeded.webhookId);

    JsonNode key = seeded.node.admin("POST", "/admin/api/keys", SeededNode.body("{\"name\":\"Second key\"}"));
    secrets.put(key.get("key").asText(), key.get("key").asText().substring(3));
    long later = System.currentTimeMillis() + 30L * 24 * 3600 * 1000;
    account("claude-oauth", "claude", Map.of("accessToken", "sk-ant-oat01-", "refreshToken", "sk-ant-ort01-"),
        Map.of("expiresAt", later));
    account("openai-api", "openai", Map.of("apiKey", "sk-proj-"),
        Map.of("proxy", secret("socks5://relay:proxypass-", "@127.0.0.1:1080")));
    account("codex-oauth", "openai", Map.of("accessToken", "eyJcodex.", "refreshToken", "rt_"),
        Map.of("expiresAt", later, "chatgptAccountId", "acct-web"));
    account("gemini-api", "gemini", Map.of("apiKey", "AIza"), Map.of());
    account("gemini-oauth", "gemini", Map.of("accessToken", "ya29.", "refreshToken", "1//"),
        Map.of("expiresAt", later, "projectId", "web-project"));

    webhook("slack", "{\"url\":\"" + secret("https://hooks.slack.com/services/T0/B0/", "") + "\"}");
    webhook("webhook", "{\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"" + secret("whsec_", "") + "\"}");

    String password = secret(PASSWORD_PREFIX, "");
    seeded.createAdmin("sam", "admin", password);
    String sam = seeded.login("sam", password).get("token").asText();
    HttpResponse<String> enrol = seeded.send("POST", "/admin/api/me/totp", null, sam);
    String base32 = SeededNode.JSON.readTree(enrol.body()).get("secret").asText();
    secrets.put(base32, base32);
    byte[] totpSecret = org.bouncycastle.util.encoders.Base32.decode(base32);
    HttpResponse<String> confirmed = seeded.send("POST", "/admin/api/me/totp/confirm",
        "{\"code\":\"" + new Totp().code(totpSecret, Instant.now()) + "\"}", sam);
    assertEquals(200, confirmed.statusCode(), confirmed.body());
    SeededNode.JSON.readTree(confirmed.body()).get("recoveryCodes").forEach(c -> secrets.put(c.asText(), c.asText()));

    token = seeded.ownerToken();
    browser = Browser.start(seeded.baseUrl());
    browser.language("en");
    browser.signIn(token);
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

  /** A new secret: prefix + 24 random hex digits + suffix; remembered with its random part. */
  private String secret(String prefix, String suffix) {
    String core = SeededNode.random();
    String whole = prefix + core + suffix;
    secrets.put(whole, core);
    return whole;
  }

  private void account(String type, String platform, Map<String, String> secretFields, Map<String, Object> plain)
      throws Exception {
    ObjectNode body = SeededNode.JSON.createObjectNode().put("name", "Secret " + type).put("platform", platform)
        .put("type", type);
    secretFields.forEach((field, prefix) -> body.put(field, secret(prefix, "")));
    plain.forEach((field, value) -> body.set(field, SeededNode.JSON.valueToTree(value)));
    accountIds.add(seeded.node.admin("POST", "/admin/api/accounts", body).get("id").asText());
  }

  private void webhook(String channel, String config) throws Exception {
    webhookIds.add(seeded.node.admin("POST", "/admin/api/webhooks", SeededNode.body(
        "{\"name\":\"Secret " + channel + "\",\"channel\":\"" + channel + "\",\"config\":" + config + "}"))
        .get("id").asText());
  }

  private List<String> routes() {
    List<String> routes = new ArrayList<>(List.of("dashboard", "keys", "keys/" + seeded.keyId, "accounts", "usage",
        "webhooks", "cluster", "admins", "me", "audit", "trace/" + seeded.requestId, "settings"));
    accountIds.forEach(id -> routes.add("accounts/" + id));
    return routes;
  }

  @Test
  void noPageHoldsOrReceivesASecret() {
    List<String> leaks = new ArrayList<>();
    List<String> called = new ArrayList<>();
    for (String route : routes()) {
      browser.admin(route);
      leaks.addAll(leaks("page #/" + route, browser.content()));
      for (Browser.Answer a : browser.answers()) {
        called.add(a.url());
        leaks.addAll(leaks("answer to " + a.url() + " on #/" + route, a.body()));
      }
    }
    browser.errors();
    assertEquals(List.of(), leaks);
    assertTrue(called.stream().anyMatch(u -> u.contains("/admin/api/accounts")), "the pages read the accounts: " + called);
    assertTrue(called.stream().anyMatch(u -> u.contains("/admin/api/keys")), "the pages read the keys: " + called);
    assertTrue(called.stream().anyMatch(u -> u.contains("/admin/api/webhooks")), "the pages read the targets: " + called);
  }

  @Test
  void noGetAnswerOfTheAdminApiHoldsASecret() throws Exception {
    List<String> paths = new ArrayList<>(List.of("/me", "/admins", "/admins/sam", "/settings/security", "/audit",
        "/accounts", "/keys", "/keys?usage=true", "/keys/" + seeded.keyId, "/requests/" + seeded.requestId + "/trace",
        "/cluster", "/usage/requests", "/usage/requests.csv", "/usage/aggregates", "/usage/aggregates.csv",
        "/usage/accounts", "/usage/dashboard", "/usage/prices", "/webhooks", "/webhooks/channels", "/openapi.json"));
    accountIds.forEach(id -> paths.add("/accounts/" + id));
    webhookIds.forEach(id -> paths.add("/webhooks/" + id));
    List<String> leaks = new ArrayList<>();
    for (String path : paths) {
      HttpResponse<String> r = seeded.send("GET", "/admin/api" + path, null, token);
      assertEquals(200, r.statusCode(), path + " → " + r.body());
      leaks.addAll(leaks("GET " + path, r.body()));
    }
    assertEquals(List.of(), leaks);
  }

  @Test
  void theScanFindsASecretWhereThereIsOne() {
    String someSecret = secrets.keySet().iterator().next();
    assertEquals(1, leaks("a text holding a key", "{\"x\":\"" + someSecret + "\"}").size());
    assertTrue(secrets.size() >= 20, "keys, account credentials, a proxy password, targets, an admin: " + secrets.size());
  }

  private List<String> leaks(String where, String text) {
    List<String> found = new ArrayList<>();
    if (text == null) {
      return found;
    }
    secrets.forEach((whole, core) -> {
      if (text.contains(whole) || text.contains(core)) {
        int at = Math.max(text.indexOf(whole), text.indexOf(core));
        found.add(where + " holds " + whole + ": …" + text.substring(Math.max(0, at - 80),
            Math.min(text.length(), at + core.length() + 40)) + "…");
      }
    });
    return found;
  }
}
