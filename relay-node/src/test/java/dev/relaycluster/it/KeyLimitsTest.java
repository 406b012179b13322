package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.TestNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every key limit end to end through HTTP on one node (PostgreSQL journal, Redis) with a mock Anthropic
 * upstream: the admin API that
 * sets them, each refusal's status, headers and Anthropic error body, the refusals in the ledger, and
 * the key holder's own usage endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyLimitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SONNET = "claude-sonnet-4-5-20250929";
  private static final String OPUS = "claude-opus-4-1-20250805";
  private static final String CLAUDE_CODE_UA = "claude-cli/2.0.14 (external, cli)";
  private static final String CODEX_UA = "codex_cli_rs/0.46.0 (Mac OS 15.6.1; arm64) iTerm.app/3.6.1";
  private static final String GEMINI_UA = "GeminiCLI/0.9.0 (darwin; arm64)";

  private MockAnthropic mock;
  private TestNode node;
  private String database;

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("relay-keys-");
    mock = new MockAnthropic();
    database = TestDatabases.create();
    node = TestNode.postgresAndRedis(dir, database, "relay-keys-" + UUID.randomUUID() + ":", Map.of());
    node.createConsoleAccount("account", mock.baseUrl(), "sk-ant-api03-keys", 10);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (mock != null) {
      mock.close();
    }
    if (database != null) {
      TestDatabases.drop(database);
    }
  }

  @BeforeEach
  void clearMock() {
    mock.clear();
  }

  private JsonNode createKey(String options) throws Exception {
    ObjectNode body = (ObjectNode) JSON.readTree(options);
    body.put("name", "key-" + UUID.randomUUID());
    return node.admin("POST", "/admin/api/keys", body);
  }

  private HttpResponse<String> call(String key, String model, String userAgent) throws Exception {
    return call(key, model, userAgent, Map.of());
  }

  private HttpResponse<String> call(String key, String model, String userAgent, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"));
    if (key != null) {
      b.header("x-api-key", key);
    }
    if (userAgent != null) {
      b.header("user-agent", userAgent);
    }
    headers.forEach(b::header);
    return node.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Asserts an Anthropic error body of this status and type, and returns its message. */
  private static String error(HttpResponse<String> r, int status, String type) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("error", body.get("type").asText());
    assertEquals(type, body.get("error").get("type").asText(), r.body());
    assertFalse(r.body().contains("Exception"), r.body());
    return body.get("error").get("message").asText();
  }

  private static void assertUsd(String expected, JsonNode actual) {
    assertUsd(expected, actual, actual.toString());
  }

  private static void assertUsd(String expected, JsonNode actual, String message) {
    assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual.asText())),
        () -> message + ": expected $" + expected + " but was " + actual);
  }

  private JsonNode keyView(String id) throws Exception {
    return node.admin("GET", "/admin/api/keys/" + id, null);
  }

  // ---- admin API

  @Test
  void theAdminApiCreatesWithEveryOptionShowsEditsAndRejectsBadInputWithoutWriting() throws Exception {
    JsonNode created = createKey("""
        {"description": "ci", "tags": ["ci"], "permissions": ["claude"], "concurrencyLimit": 2,
         "rateLimit": {"windowMinutes": 5, "requests": 50, "cost": 1.25}, "dailyCostLimit": 3,
         "totalCostLimit": 30, "weeklyOpusCostLimit": 10, "weeklyResetDay": 5, "weeklyResetHour": 18,
         "expiry": {"mode": "fixed", "expiresAt": "2099-01-01T00:00:00Z"}, "blockedModels": ["claude-opus-*"],
         "allowedClients": ["claude-code"], "serviceRates": {"claude": 1.2},
         "bindings": {"claude": {"group": "ci-accounts"}}}""");
    String id = created.get("id").asText();
    assertTrue(created.get("key").asText().matches("cr_[0-9a-f]{64}"));
    assertUsd("1.25", created.get("rateLimit").get("cost"));
    assertEquals("2099-01-01T00:00:00Z", created.get("expiresAt").asText());
    assertEquals("ci-accounts", created.get("bindings").get("claude").get("group").asText());
    assertFalse(created.has("keyHash"));

    JsonNode shown = keyView(id);
    assertEquals(0, shown.get("usage").get("requests").asLong());
    assertUsd("3", shown.get("remaining").get("dailyCost"));
    assertEquals(2, shown.get("remaining").get("concurrency").asInt());
    assertEquals(50, shown.get("remaining").get("windowRequests").asLong());
    assertFalse(shown.toString().contains(created.get("key").asText()), "the plain key is shown once");

    JsonNode patched = node.admin("PATCH", "/admin/api/keys/" + id,
        JSON.readTree("{\"dailyCostLimit\": 4.5, \"rateLimit\": null, \"tags\": [\"ci\", \"nightly\"]}"));
    assertUsd("4.5", patched.get("dailyCostLimit"));
    assertTrue(patched.get("rateLimit").isNull());
    assertEquals(2, patched.get("concurrencyLimit").asInt(), "fields not named stay");
    assertEquals("nightly", keyView(id).get("tags").get(1).asText());

    int keysBefore = node.admin("GET", "/admin/api/keys", null).get("data").size();
    String token = node.login();
    HttpResponse<String> bad = node.send("POST", "/admin/api/keys",
        JSON.readTree("{\"name\":\"bad\",\"dailyCostLimit\":-1}"), token);
    assertEquals(400, bad.statusCode());
    assertTrue(JSON.readTree(bad.body()).get("error").get("message").asText().startsWith("dailyCostLimit:"), bad.body());
    HttpResponse<String> unknownClient = node.send("POST", "/admin/api/keys",
        JSON.readTree("{\"name\":\"bad\",\"allowedClients\":[\"cursor\"]}"), token);
    assertEquals(400, unknownClient.statusCode());
    assertEquals(keysBefore, node.admin("GET", "/admin/api/keys", null).get("data").size(), "nothing was written");
    HttpResponse<String> badPatch = node.send("PATCH", "/admin/api/keys/" + id,
        JSON.readTree("{\"weeklyResetHour\": 24, \"dailyCostLimit\": 1}"), token);
    assertEquals(400, badPatch.statusCode());
    assertUsd("4.5", keyView(id).get("dailyCostLimit"), "a bad patch changes nothing");
    assertEquals(404, node.send("PATCH", "/admin/api/keys/no-such-key", JSON.readTree("{}"), token).statusCode());
  }

  @Test
  void softDeleteRestoreAndRevoke() throws Exception {
    JsonNode created = createKey("{}");
    String id = created.get("id").asText();
    String key = created.get("key").asText();
    assertEquals(200, call(key, SONNET, null).statusCode());
    assertEquals("deleted", node.admin("DELETE", "/admin/api/keys/" + id, null).get("status").asText());
    assertTrue(error(call(key, SONNET, null), 401, "authentication_error").contains("deleted"));
    assertFalse(node.admin("GET", "/admin/api/keys", null).toString().contains(id), "deleted keys leave the list");
    assertTrue(node.admin("GET", "/admin/api/keys?deleted=true", null).toString().contains(id));
    assertEquals("active", node.admin("POST", "/admin/api/keys/" + id + "/restore", null).get("status").asText());
    assertEquals(200, call(key, SONNET, null).statusCode());
    assertEquals(3, keyView(id).get("usage").get("requests").asLong(), "two answered, one refused while deleted");
    node.admin("POST", "/admin/api/keys/" + id + "/revoke", null);
    assertTrue(error(call(key, SONNET, null), 401, "authentication_error").contains("revoked"));
    assertEquals(409, node.send("POST", "/admin/api/keys/" + id + "/restore", null, node.login()).statusCode());
    JsonNode rows = node.awaitRequests(id, data -> data.size() >= 4);
    long refused401 = 0;
    for (JsonNode row : rows) {
      refused401 += row.get("outcome").asText().equals("REFUSED") && row.get("status").asInt() == 401 ? 1 : 0;
    }
    assertEquals(2, refused401, "the deleted and the revoked key's calls are in its ledger: " + rows);
  }

  // ---- static policy

  @Test
  void permissionModelAndClientRulesAre403NamingTheRuleAndReachNoUpstream() throws Exception {
    String openaiOnly = createKey("{\"permissions\": [\"openai\"]}").get("key").asText();
    assertTrue(error(call(openaiOnly, SONNET, CLAUDE_CODE_UA), 403, "permission_error").startsWith("permission rule:"));

    String noOpus = createKey("{\"blockedModels\": [\"claude-opus-*\"]}").get("key").asText();
    assertEquals("model rule: this API key may not use model " + OPUS + " (blocked: claude-opus-*)",
        error(call(noOpus, OPUS, CLAUDE_CODE_UA), 403, "permission_error"));
    assertEquals(0, mock.received().size(), "refused requests reach no upstream");
    assertEquals(200, call(noOpus, SONNET, CLAUDE_CODE_UA).statusCode());
    HttpResponse<String> models = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/models"))
        .header("x-api-key", noOpus).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(models.body().contains("claude-sonnet-4-5"), "the model list shows what the key may use");
    for (JsonNode m : JSON.readTree(models.body()).get("data")) {
      assertFalse(m.get("id").asText().startsWith("claude-opus-"), "and leaves out what it may not: " + m);
    }

    String claudeCodeOnly = createKey("{\"allowedClients\": [\"claude-code\"]}").get("key").asText();
    assertEquals(200, call(claudeCodeOnly, SONNET, CLAUDE_CODE_UA).statusCode());
    assertTrue(error(call(claudeCodeOnly, SONNET, CODEX_UA), 403, "permission_error").startsWith("client rule:"));
    assertTrue(error(call(claudeCodeOnly, SONNET, GEMINI_UA), 403, "permission_error").startsWith("client rule:"));
    assertTrue(error(call(claudeCodeOnly, SONNET, null), 403, "permission_error").startsWith("client rule:"));
    String codexOnly = createKey("{\"allowedClients\": [\"codex\"]}").get("key").asText();
    assertTrue(error(call(codexOnly, SONNET, CODEX_UA), 403, "permission_error")
        .contains("codex does not use anthropic paths"));
    assertEquals(2, mock.received().size());
  }

  @Test
  void anExpiredKeyIs401AndAnActivationKeyStartsItsClockAtFirstUse() throws Exception {
    String expired = createKey("{\"expiry\": {\"mode\": \"fixed\", \"expiresAt\": \"2020-01-01T00:00:00Z\"}}")
        .get("key").asText();
    assertEquals("this API key expired at 2020-01-01T00:00:00Z", error(call(expired, SONNET, null), 401,
        "authentication_error"));

    JsonNode activation = createKey("{\"expiry\": {\"mode\": \"activation\", \"days\": 2}}");
    String id = activation.get("id").asText();
    assertFalse(keyView(id).has("activatedAt"));
    long before = System.currentTimeMillis();
    assertEquals(200, call(activation.get("key").asText(), SONNET, null).statusCode());
    JsonNode view = keyView(id);
    long activatedAt = Instant.parse(view.get("activatedAt").asText()).toEpochMilli();
    assertTrue(activatedAt >= before - 1000 && activatedAt <= System.currentTimeMillis());
    assertEquals(activatedAt + Duration.ofDays(2).toMillis(), Instant.parse(view.get("expiresAt").asText()).toEpochMilli());
    assertEquals(200, call(activation.get("key").asText(), SONNET, null).statusCode());
    assertEquals(view.get("activatedAt"), keyView(id).get("activatedAt"), "only the first use activates");
  }

  // ---- limits in the entity

  @Test
  void overTheRateWindowIs429WithRetryAfter() throws Exception {
    String key = createKey("{\"rateLimit\": {\"windowMinutes\": 60, \"requests\": 2}}").get("key").asText();
    assertEquals(200, call(key, SONNET, null).statusCode());
    assertEquals(200, call(key, SONNET, null).statusCode());
    HttpResponse<String> third = call(key, SONNET, null);
    assertTrue(error(third, 429, "rate_limit_error").startsWith("rate limit of this API key reached: 2 requests per"
        + " 60-minute window; the window resets at "));
    long retryAfter = Long.parseLong(third.headers().firstValue("retry-after").orElseThrow());
    assertTrue(retryAfter > 3500 && retryAfter <= 3600, "retry-after " + retryAfter);
    assertEquals(2, mock.received().size());
  }

  @Test
  void overTheDailyCostOfRatedCostIs402WithTheResetTime() throws Exception {
    // Each answer costs 100 input + 20 output tokens of Sonnet 4.5 = 600 µ$, rated ×2 = 1 200 µ$.
    JsonNode created = createKey("{\"dailyCostLimit\": 0.002, \"serviceRates\": {\"claude\": 2}}");
    String key = created.get("key").asText();
    assertEquals(200, call(key, SONNET, null).statusCode());
    assertEquals(200, call(key, SONNET, null).statusCode());
    HttpResponse<String> refused = call(key, SONNET, null);
    String message = error(refused, 402, "billing_error");
    String tomorrow = Instant.ofEpochMilli(dayAfter()).toString();
    assertEquals("daily cost limit of this API key ($0.002) reached; it resets at " + tomorrow, message);
    assertEquals(tomorrow, refused.headers().firstValue("x-relay-limit-reset").orElseThrow());
    assertTrue(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow()) > 0);
    JsonNode view = keyView(created.get("id").asText());
    JsonNode listed = null;
    for (JsonNode k : node.admin("GET", "/admin/api/keys?usage=true", null).get("data")) {
      listed = k.get("id").asText().equals(created.get("id").asText()) ? k : listed;
    }
    assertUsd("0.0024", listed.get("usage").get("costToday"), "the list shows usage when asked");
    assertUsd("0.0024", view.get("usage").get("costToday"));
    assertUsd("0.0012", view.get("usage").get("realCostTotal"));
    assertUsd("0", view.get("remaining").get("dailyCost"));
    assertEquals(tomorrow, view.get("resets").get("daily").asText());
  }

  private static long dayAfter() {
    return java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC)
        .toInstant().toEpochMilli();
  }

  @Test
  void theWeeklyOpusLimitStopsOpusOnlyAndTheTotalLimitDoesNotReset() throws Exception {
    String weekly = createKey("{\"weeklyOpusCostLimit\": 0.0001}").get("key").asText();
    assertEquals(200, call(weekly, OPUS, null).statusCode());
    HttpResponse<String> opus = call(weekly, OPUS, null);
    assertTrue(error(opus, 402, "billing_error").startsWith("weekly Opus cost limit of this API key ($0.0001) reached;"
        + " it resets at "));
    assertTrue(opus.headers().firstValue("retry-after").isPresent());
    assertEquals(200, call(weekly, SONNET, null).statusCode(), "Sonnet is not counted or stopped");

    String total = createKey("{\"totalCostLimit\": 0.0001}").get("key").asText();
    assertEquals(200, call(total, SONNET, null).statusCode());
    HttpResponse<String> over = call(total, SONNET, null);
    assertEquals("total cost limit of this API key ($0.0001) reached; it does not reset",
        error(over, 402, "billing_error"));
    assertTrue(over.headers().firstValue("retry-after").isEmpty());
  }

  @Test
  void everyRefusalIsInTheLedgerOnceWithItsStatusAndNoTokens() throws Exception {
    JsonNode created = createKey("{\"rateLimit\": {\"windowMinutes\": 60, \"requests\": 1},"
        + " \"blockedModels\": [\"claude-opus-*\"]}");
    String key = created.get("key").asText();
    assertEquals(200, call(key, SONNET, null).statusCode());
    Map<String, Integer> refusedIds = new HashMap<>();
    for (HttpResponse<String> r : List.of(call(key, SONNET, null), call(key, OPUS, null), call(key, SONNET, null))) {
      String requestId = r.headers().firstValue("x-relay-request-id").orElse(null);
      assertNotNull(requestId, "a refusal carries the id it is recorded under");
      refusedIds.put(requestId, r.statusCode());
    }
    assertEquals(List.of(403, 429, 429), refusedIds.values().stream().sorted().toList());
    JsonNode rows = node.awaitRequests(created.get("id").asText(), data -> data.size() >= 4);
    List<String> refusedRows = new ArrayList<>();
    for (JsonNode row : rows) {
      if (row.get("outcome").asText().equals("REFUSED")) {
        String id = row.get("requestId").asText();
        refusedRows.add(id);
        assertEquals((int) refusedIds.get(id), row.get("status").asInt(), row.toString());
        assertEquals(0, row.get("inputTokens").asLong() + row.get("outputTokens").asLong());
        assertEquals(0, row.get("costMicros").asLong());
        assertEquals(row.get("status").asInt() == 403 ? "permission_error" : "rate_limit_error",
            row.get("errorType").asText());
      }
    }
    assertEquals(3, refusedRows.size(), rows.toString());
    assertEquals(refusedIds.keySet(), new java.util.HashSet<>(refusedRows));
    assertEquals(4, rows.size(), "one row per request");
  }

  // ---- the key holder's own view

  @Test
  void aKeyHolderReadsTheirOwnUsageWithTheKeyNeverByIdAlone() throws Exception {
    JsonNode created = createKey("{\"dailyCostLimit\": 5, \"concurrencyLimit\": 3}");
    String key = created.get("key").asText();
    String id = created.get("id").asText();
    assertEquals(200, call(key, SONNET, null).statusCode());

    HttpResponse<String> own = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/key-usage"))
        .header("authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, own.statusCode(), own.body());
    JsonNode usage = JSON.readTree(own.body());
    assertEquals(id, usage.get("id").asText());
    assertEquals(1, usage.get("usage").get("requests").asLong());
    assertUsd("4.9994", usage.get("remaining").get("dailyCost"));
    // The node's share of the key's slots may still hold a free slot for a moment: it goes back once idle.
    int remaining = usage.get("remaining").get("concurrency").asInt();
    for (long until = System.currentTimeMillis() + 5_000; remaining < 3 && System.currentTimeMillis() < until; ) {
      Thread.sleep(100);
      remaining = JSON.readTree(node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl()
              + "/api/v1/key-usage")).header("authorization", "Bearer " + key).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body()).get("remaining").get("concurrency").asInt();
    }
    assertEquals(3, remaining);
    assertFalse(own.body().contains(key));

    HttpResponse<String> wrong = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/key-usage"))
        .header("x-api-key", "cr_" + "0".repeat(64)).GET().build(), HttpResponse.BodyHandlers.ofString());
    error(wrong, 401, "authentication_error");

    HttpResponse<String> crs = node.post("/apiStats/api/user-stats", JSON.createObjectNode().put("apiKey", key), null);
    assertEquals(200, crs.statusCode(), crs.body());
    assertTrue(JSON.readTree(crs.body()).get("success").asBoolean());
    JsonNode data = JSON.readTree(crs.body()).get("data");
    assertEquals(id, data.get("id").asText());
    assertEquals(1, data.get("usage").get("total").get("requests").asLong());
    assertEquals(120, data.get("usage").get("total").get("allTokens").asLong());
    assertUsd("5", data.get("limits").get("dailyCostLimit"));
    assertUsd("0.0006", data.get("limits").get("currentDailyCost"));
    assertEquals(401, node.post("/apiStats/api/user-stats", JSON.createObjectNode().put("apiId", id), null).statusCode());
    assertEquals(401, node.post("/apiStats/api/user-stats",
        JSON.createObjectNode().put("apiKey", "cr_" + "1".repeat(64)), null).statusCode());
  }
}
