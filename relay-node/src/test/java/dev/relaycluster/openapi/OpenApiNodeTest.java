package dev.relaycluster.openapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.admin.Totp;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import dev.relaycluster.testing.WebhookReceiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The document against a running node (embedded default, a mock Anthropic upstream): it is served without
 * a token; the answers of the main calls validate against its schemas (and the bodies sent against its
 * request schemas); every documented operation is served (not the node's "no such endpoint" 404 or 405)
 * with a documented status, and every other method of a documented path is not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SONNET = "claude-sonnet-4-5-20250929";
  private static final Set<String> NOT_SERVED = Set.of("no such admin endpoint", "no such endpoint on this relay");
  private static final List<String> PROBED_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

  private final AdminApiDocument doc = AdminApiDocument.get();
  private final List<String> problems = new ArrayList<>();
  private MockAnthropic mock;
  private WebhookReceiver receiver;
  private TestNode node;
  private String token;

  @BeforeAll
  void start() throws Exception {
    mock = new MockAnthropic();
    receiver = new WebhookReceiver();
    node = TestNode.embedded(Files.createTempDirectory("relay-openapi-"), Map.of());
    token = node.login();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (mock != null) {
      mock.close();
    }
  }

  @Test
  @Order(1)
  void theDocumentIsServedWithoutAToken() throws Exception {
    HttpResponse<byte[]> r = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl()
        + "/admin/api/openapi.json")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    assertArrayEquals(doc.bytes(), r.body(), "the node serves the document of the repository");
    assertEquals(List.of(), doc.answerProblems("GET", "/admin/api/openapi.json", 200, "application/json",
        new String(r.body(), StandardCharsets.UTF_8)));
    // Only reading: any other method is an admin call like the others.
    assertEquals(401, send("POST", "/admin/api/openapi.json", "{}", null).statusCode());
  }

  @Test
  @Order(2)
  void realAnswersMatchTheDocument() throws Exception {
    problems.clear();
    check("POST", "/admin/api/login", "/admin/api/login",
        "{\"username\":\"" + TestNode.ADMIN_USER + "\",\"password\":\"" + TestNode.ADMIN_PASSWORD + "\"}", null, 200);
    check("POST", "/admin/api/login", "/admin/api/login", "{\"username\":\"admin\",\"password\":\"wrong\"}", null, 401);
    check("GET", "/admin/api/keys", "/admin/api/keys", null, null, 401);

    String account = check("POST", "/admin/api/accounts", "/admin/api/accounts", "{\"name\":\"console\","
        + "\"platform\":\"claude\",\"type\":\"claude-console\",\"baseUrl\":\"" + mock.baseUrl() + "\","
        + "\"apiKey\":\"sk-ant-api03-openapi\",\"priority\":10}", token, 201).get("id").asText();
    JsonNode key = check("POST", "/admin/api/keys", "/admin/api/keys", "{\"name\":\"alice\",\"tags\":[\"team-a\"],"
        + "\"concurrencyLimit\":2,\"rateLimit\":{\"windowMinutes\":60,\"requests\":100},\"dailyCostLimit\":5,"
        + "\"expiry\":{\"mode\":\"activation\",\"days\":30},\"allowedModels\":[\"claude-*\"]}", token, 201);
    String keyId = key.get("id").asText();
    assertEquals(200, RelayCall.call(node.baseUrl(), key.get("key").asText(), false, SONNET, null).status());
    node.awaitRequests(keyId, rows -> rows.size() == 1);

    check("GET", "/admin/api/accounts", "/admin/api/accounts", null, token, 200);
    check("GET", "/admin/api/accounts/{id}", "/admin/api/accounts/" + account, null, token, 200);
    check("PATCH", "/admin/api/accounts/{id}", "/admin/api/accounts/" + account,
        "{\"groups\":[\"team-a\"],\"priceMultiplier\":1.0,\"proxy\":null}", token, 200);
    check("POST", "/admin/api/accounts/{id}/test", "/admin/api/accounts/" + account + "/test", null, token, 200);
    check("GET", "/admin/api/accounts/{id}/history", "/admin/api/accounts/" + account + "/history", null, token, 200);
    check("POST", "/admin/api/accounts/{id}/reset", "/admin/api/accounts/" + account + "/reset", null, token, 200);
    check("GET", "/admin/api/accounts/{id}", "/admin/api/accounts/missing", null, token, 404);
    check("POST", "/admin/api/accounts/oauth/generate-auth-url", "/admin/api/accounts/oauth/generate-auth-url",
        "{\"setupToken\":false}", token, 200);
    check("POST", "/admin/api/accounts/openai-oauth/generate-auth-url",
        "/admin/api/accounts/openai-oauth/generate-auth-url", "{}", token, 200);
    // No call to WorkOS here: a start whose settings are refused, and a login that does not exist.
    expect(send("POST", "/admin/api/accounts/droid-oauth/device-authorization", "{\"priority\":-1}", token), "POST",
        "/admin/api/accounts/droid-oauth/device-authorization", 400);
    check("GET", "/admin/api/accounts/droid-oauth/device-authorization/{flowId}",
        "/admin/api/accounts/droid-oauth/device-authorization/0f6d1c1e-54a7-4a49-9a4e-1d2f0c9b7e11", null, token, 404);

    check("GET", "/admin/api/keys", "/admin/api/keys", null, token, 200);
    check("GET", "/admin/api/keys", "/admin/api/keys?usage=true&deleted=true", null, token, 200);
    check("GET", "/admin/api/keys/{id}", "/admin/api/keys/" + keyId, null, token, 200);
    check("PATCH", "/admin/api/keys/{id}", "/admin/api/keys/" + keyId, "{\"description\":\"laptop\","
        + "\"bindings\":{\"claude\":{\"accountId\":\"" + account + "\",\"fallbackToPool\":true}}}", token, 200);
    // A body the document refuses is refused by the node too, naming the field.
    expect(send("PATCH", "/admin/api/keys/" + keyId, "{\"colour\":\"red\"}", token), "PATCH",
        "/admin/api/keys/{id}", 400);
    String other = check("POST", "/admin/api/keys", "/admin/api/keys", "{\"name\":\"bob\"}", token, 201)
        .get("id").asText();
    check("DELETE", "/admin/api/keys/{id}", "/admin/api/keys/" + other, null, token, 200);
    check("POST", "/admin/api/keys/{id}/restore", "/admin/api/keys/" + other + "/restore", null, token, 200);
    check("POST", "/admin/api/keys/{id}/revoke", "/admin/api/keys/" + other + "/revoke", null, token, 200);
    check("POST", "/admin/api/keys/{id}/restore", "/admin/api/keys/" + other + "/restore", null, token, 409);

    keyHolder(key.get("key").asText());
    usage(keyId);
    webhooks();
    admins();
    modelMap(keyId);
    crsImport();

    check("GET", "/admin/api/cluster", "/admin/api/cluster", null, token, 200);
    check("GET", "/health", "/health", null, null, 200);
    check("DELETE", "/admin/api/accounts/{id}", "/admin/api/accounts/" + account, null, token, 200);
    check("POST", "/admin/api/logout", "/admin/api/logout", null, freshToken(), 200);
    assertEquals(List.of(), problems);
  }

  /** The import from claude-relay-service, on the real export in Redis database 10: dry run, wrong key, no Redis. */
  private void crsImport() throws Exception {
    JsonNode export = dev.relaycluster.testing.CrsExport.export();
    dev.relaycluster.testing.CrsExport.load(export, 10);
    String redis = "{\"redis\":{\"host\":\"127.0.0.1\",\"port\":6379,\"db\":10},\"encryptionKey\":\"";
    JsonNode report = check("POST", "/admin/api/import/crs", "/admin/api/import/crs", redis
        + export.get("encryptionKey").asText() + "\",\"dryRun\":true,\"timezoneOffsetHours\":8}", token, 200);
    assertEquals(6, report.at("/counts/keys/imported").asInt(), report.toString());
    check("POST", "/admin/api/import/crs", "/admin/api/import/crs", redis + "wrong-key\",\"dryRun\":true}", token,
        400);
    check("POST", "/admin/api/import/crs", "/admin/api/import/crs", "{\"redis\":\"redis://127.0.0.1:1/10\","
        + "\"encryptionKey\":\"k\",\"dryRun\":true}", token, 502);
  }

  private void keyHolder(String plainKey) throws Exception {
    for (String path : List.of("/api/v1/key-usage", "/claude/v1/key-usage", "/v1/key-usage")) {
      HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
          .header("x-api-key", plainKey).build(), HttpResponse.BodyHandlers.ofString());
      expect(r, "GET", "/api/v1/key-usage", 200);
    }
    check("GET", "/api/v1/key-usage", "/api/v1/key-usage", null, null, 401);
    check("POST", "/apiStats/api/user-stats", "/apiStats/api/user-stats", "{\"apiKey\":\"" + plainKey + "\"}", null,
        200);
    check("POST", "/apiStats/api/user-stats", "/apiStats/api/user-stats",
        "{\"apiKey\":\"cr_" + "0".repeat(64) + "\"}", null, 401);
  }

  private void usage(String keyId) throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    check("GET", "/admin/api/usage/requests", "/admin/api/usage/requests?keyId=" + keyId, null, token, 200);
    check("GET", "/admin/api/usage/requests", "/admin/api/usage/requests?format=csv", null, token, 200);
    check("GET", "/admin/api/usage/requests.csv", "/admin/api/usage/requests.csv?limit=10", null, token, 200);
    check("GET", "/admin/api/usage/requests", "/admin/api/usage/requests?limit=0", null, token, 400);
    check("GET", "/admin/api/usage/aggregates", "/admin/api/usage/aggregates?period=hour&by=model", null, token, 200);
    check("GET", "/admin/api/usage/aggregates.csv", "/admin/api/usage/aggregates.csv", null, token, 200);
    check("GET", "/admin/api/usage/accounts", "/admin/api/usage/accounts", null, token, 200);
    check("GET", "/admin/api/usage/dashboard", "/admin/api/usage/dashboard", null, token, 200);
    check("GET", "/admin/api/usage/prices", "/admin/api/usage/prices", null, token, 200);
    check("POST", "/admin/api/usage/reprice", "/admin/api/usage/reprice",
        "{\"from\":\"" + today + "\",\"to\":\"" + today.plusDays(1) + "\"}", token, 200);
  }

  private void webhooks() throws Exception {
    check("GET", "/admin/api/webhooks/channels", "/admin/api/webhooks/channels", null, token, 200);
    String id = check("POST", "/admin/api/webhooks", "/admin/api/webhooks", "{\"name\":\"ops\",\"channel\":\"webhook\","
        + "\"kinds\":[\"blocked\",\"unauthorized\"],\"config\":{\"url\":\"" + receiver.baseUrl() + "/alerts\","
        + "\"secret\":\"a-signing-secret\"}}", token, 201).get("id").asText();
    check("GET", "/admin/api/webhooks", "/admin/api/webhooks", null, token, 200);
    check("GET", "/admin/api/webhooks/{id}", "/admin/api/webhooks/" + id, null, token, 200);
    check("PATCH", "/admin/api/webhooks/{id}", "/admin/api/webhooks/" + id, "{\"kinds\":[]}", token, 200);
    check("POST", "/admin/api/webhooks/{id}/disable", "/admin/api/webhooks/" + id + "/disable", null, token, 200);
    check("POST", "/admin/api/webhooks/{id}/enable", "/admin/api/webhooks/" + id + "/enable", null, token, 200);
    check("POST", "/admin/api/webhooks/{id}/test", "/admin/api/webhooks/" + id + "/test", null, token, 200);
    expect(send("POST", "/admin/api/webhooks", "{\"name\":\"x\",\"channel\":\"pager\"}", token), "POST",
        "/admin/api/webhooks", 400);
    check("DELETE", "/admin/api/webhooks/{id}", "/admin/api/webhooks/" + id, null, token, 200);
  }

  /**
   * The admins, two-factor sign-in (with a code from the secret the node answers), the security settings,
   * a role refused (403) and the audit log, on an admin of their own; the owner's password stays as it is.
   */
  private void admins() throws Exception {
    check("GET", "/admin/api/me", "/admin/api/me", null, token, 200);
    check("GET", "/admin/api/settings/security", "/admin/api/settings/security", null, token, 200);
    check("PATCH", "/admin/api/settings/security", "/admin/api/settings/security", "{\"requireTwoFactor\":false}",
        token, 200);
    check("PATCH", "/admin/api/settings/security", "/admin/api/settings/security", "{\"requireTwoFactor\":true}",
        token, 409);
    String one = "/admin/api/admins/{username}";
    String tina = "/admin/api/admins/openapi-tina";
    check("POST", "/admin/api/admins", "/admin/api/admins", "{\"username\":\"openapi-tina\",\"role\":\"viewer\"}",
        token, 201);
    check("POST", "/admin/api/admins", "/admin/api/admins", "{\"username\":\"openapi-tina\",\"role\":\"viewer\"}",
        token, 409);
    check("GET", "/admin/api/admins", "/admin/api/admins", null, token, 200);
    check("GET", one, tina, null, token, 200);
    check("PATCH", one, tina, "{\"role\":\"admin\"}", token, 200);
    check("PATCH", one, tina, "{\"role\":\"viewer\",\"disabled\":false}", token, 200);
    String password = check("POST", one + "/password", tina + "/password", "{}", token, 200).get("password").asText();
    String login = "{\"username\":\"openapi-tina\",\"password\":\"" + password + "\"}";
    String viewer = check("POST", "/admin/api/login", "/admin/api/login", login, null, 200).get("token").asText();
    check("POST", "/admin/api/keys", "/admin/api/keys", "{\"name\":\"not for viewers\"}", viewer, 403);
    check("GET", "/admin/api/admins", "/admin/api/admins", null, viewer, 403);

    String secret = check("POST", "/admin/api/me/totp", "/admin/api/me/totp", null, viewer, 200).get("secret").asText();
    String code = new Totp().code(Base32.decode(secret), Instant.now());
    JsonNode recovery = check("POST", "/admin/api/me/totp/confirm", "/admin/api/me/totp/confirm",
        "{\"code\":\"" + code + "\"}", viewer, 200).get("recoveryCodes");
    check("POST", "/admin/api/me/totp", "/admin/api/me/totp", null, viewer, 409);
    String challenge = check("POST", "/admin/api/login", "/admin/api/login", login, null, 200).get("challenge").asText();
    viewer = check("POST", "/admin/api/login", "/admin/api/login", "{\"challenge\":\"" + challenge + "\",\"code\":\""
        + recovery.get(0).asText() + "\"}", null, 200).get("token").asText();
    check("GET", "/admin/api/me", "/admin/api/me", null, viewer, 200);
    check("POST", "/admin/api/me/totp/disable", "/admin/api/me/totp/disable", "{\"password\":\"" + password
        + "\",\"code\":\"" + recovery.get(1).asText() + "\"}", viewer, 200);
    check("POST", "/admin/api/me/totp/disable", "/admin/api/me/totp/disable", "{\"password\":\"" + password
        + "\",\"code\":\"000000\"}", viewer, 409);
    check("DELETE", one + "/totp", tina + "/totp", null, token, 200);
    check("PATCH", "/admin/api/me", "/admin/api/me", "{\"currentPassword\":\"" + password
        + "\",\"newPassword\":\"openapi-tina-new-password\"}", viewer, 200);

    check("GET", "/admin/api/audit", "/admin/api/audit?actor=openapi-tina&limit=50", null, token, 200);
    check("GET", "/admin/api/audit", "/admin/api/audit?limit=0", null, token, 400);
    check("DELETE", one, tina, null, token, 200);
    check("GET", one, tina, null, token, 404);
  }

  /** The operator's model map (read, replaced, refused, reset) and a key's own map. */
  private void modelMap(String keyId) throws Exception {
    check("GET", "/admin/api/model-map", "/admin/api/model-map", null, token, 200);
    check("PUT", "/admin/api/model-map", "/admin/api/model-map", "{\"rules\":[{\"match\":\"claude-*\","
        + "\"pool\":\"claude\"},{\"match\":\"fast\",\"pool\":\"gemini\",\"model\":\"gemini-3.8-flash\"}]}",
        token, 200);
    expect(send("PUT", "/admin/api/model-map", "{\"rules\":[{\"match\":\"x\",\"pool\":\"mars\"}]}", token),
        "PUT", "/admin/api/model-map", 400);
    check("DELETE", "/admin/api/model-map", "/admin/api/model-map", null, token, 200);
    check("PATCH", "/admin/api/keys/{id}", "/admin/api/keys/" + keyId,
        "{\"modelMap\":[{\"match\":\"claude-*\",\"pool\":\"claude\",\"model\":\"claude-sonnet-4-5\"}]}", token, 200);
    check("PATCH", "/admin/api/keys/{id}", "/admin/api/keys/" + keyId, "{\"modelMap\":null}", token, 200);
  }

  /**
   * Every documented operation, called with an id that does not exist and an empty JSON object for a body:
   * the node serves it (its handler answers, even if only to say 400 or 404), with a status the document
   * lists for it and a body that matches.
   */
  @Test
  @Order(3)
  void everyDocumentedOperationIsServed() throws Exception {
    problems.clear();
    for (AdminApiDocument.Operation op : doc.operations()) {
      String method = op.method().toUpperCase(Locale.ROOT);
      String path = op.path().replaceAll("\\{[^}]+}", "openapi-probe-missing");
      String bearer = op.path().equals("/admin/api/logout") ? freshToken()
          : op.path().startsWith("/admin/api/") ? token : null;
      HttpResponse<String> r = send(method, path, probeBody(method), bearer);
      if (notServed(r)) {
        problems.add(op.key() + " is documented but not served: " + r.statusCode() + " " + r.body());
      } else {
        problems.addAll(doc.answerProblems(method, op.path(), r.statusCode(),
            r.headers().firstValue("content-type").orElse(null), r.body()));
      }
    }
    assertEquals(List.of(), problems);
  }

  /**
   * On every documented path, the methods the document does not list are not served. A concrete path is
   * also an instance of the templates it matches ({@code /admin/api/webhooks/channels} of {@code …/{id}}),
   * so their methods count as listed for it.
   */
  @Test
  @Order(4)
  void undocumentedMethodsAreNotServed() throws Exception {
    problems.clear();
    Set<String> paths = new LinkedHashSet<>();
    doc.operations().forEach(o -> paths.add(o.path()));
    int probed = 0;
    for (String documented : paths) {
      for (String method : PROBED_METHODS) {
        String path = documented.replaceAll("\\{[^}]+}", "openapi-probe-missing");
        if (doc.operations().stream()
            .anyMatch(o -> o.method().equalsIgnoreCase(method) && instanceOf(path, o.path()))) {
          continue;
        }
        HttpResponse<String> r = send(method, path, probeBody(method), token);
        probed++;
        if (!notServed(r)) {
          problems.add(method + " " + documented + " is served but not documented: " + r.statusCode() + " " + r.body());
        }
      }
    }
    assertTrue(probed > 100, "probed " + probed);
    assertEquals(List.of(), problems);
  }

  /** An empty JSON object for the methods that carry a body. */
  private static String probeBody(String method) {
    return method.equals("GET") || method.equals("DELETE") ? null : "{}";
  }

  /** Whether {@code path} is an instance of the path template {@code template}. */
  private static boolean instanceOf(String path, String template) {
    String[] p = path.split("/", -1);
    String[] t = template.split("/", -1);
    if (p.length != t.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (!t[i].equals(p[i]) && !(t[i].startsWith("{") && t[i].endsWith("}") && !p[i].isEmpty())) {
        return false;
      }
    }
    return true;
  }

  /** The node's answer to a route it does not have: 405, or its 404 "no such (admin) endpoint". */
  private static boolean notServed(HttpResponse<String> r) throws IOException {
    if (r.statusCode() == 405) {
      return true;
    }
    if (r.statusCode() != 404) {
      return false;
    }
    return NOT_SERVED.contains(JSON.readTree(r.body()).path("error").path("message").asText());
  }

  /** Sends a call, checks the body sent and the answer against the document, and the expected status. */
  private JsonNode check(String method, String docPath, String path, String body, String bearer, int status)
      throws Exception {
    if (body != null) {
      problems.addAll(doc.requestProblems(method, docPath, body));
    }
    return expect(send(method, path, body, bearer), method, docPath, status);
  }

  private JsonNode expect(HttpResponse<String> r, String method, String docPath, int status) throws IOException {
    if (r.statusCode() != status) {
      problems.add(method + " " + docPath + ": expected " + status + ", got " + r.statusCode() + " " + r.body());
    }
    String contentType = r.headers().firstValue("content-type").orElse(null);
    problems.addAll(doc.answerProblems(method, docPath, r.statusCode(), contentType, r.body()));
    return contentType != null && contentType.startsWith("application/json") ? JSON.readTree(r.body())
        : JSON.createObjectNode();
  }

  private HttpResponse<String> send(String method, String path, String body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    if (bearer != null) {
      b.header("authorization", "Bearer " + bearer);
    }
    return node.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A session of its own, for calls that end it. */
  private String freshToken() throws Exception {
    HttpResponse<String> r = send("POST", "/admin/api/login",
        "{\"username\":\"" + TestNode.ADMIN_USER + "\",\"password\":\"" + TestNode.ADMIN_PASSWORD + "\"}", null);
    return JSON.readTree(r.body()).path("token").asText();
  }
}
