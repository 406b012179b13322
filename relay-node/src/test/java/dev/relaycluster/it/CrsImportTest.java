package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.CrsExport;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.TestNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Moving from claude-relay-service (issue 22), end to end: the real Redis export of a claude-relay-service 1.1.314
 * (test resources {@code crs/}) is loaded into Redis database 9 with two damaged records added, and imported into
 * a node through {@code POST /admin/api/import/crs}: a wrong old key and an unreachable Redis write nothing, the
 * dry run counts, the import brings every key and account across, the old {@code cr_…} keys authenticate
 * unchanged with their limits (the deleted and the disabled one do not), a request through the imported Console
 * account reaches the upstream with the same API key, cost totals equal the old relay's, the webhook platforms are
 * alert targets (secrets masked), the request-detail log is in the request log without counting usage twice, and a
 * second run imports nothing twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrsImportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DB = 9;
  private static final String SONNET = "claude-sonnet-4-5-20250929";

  private JsonNode export;
  private JsonNode scenario;
  private MockAnthropic mock;
  private TestNode node;

  @BeforeAll
  void start() throws Exception {
    export = CrsExport.export();
    scenario = CrsExport.scenario();
    CrsExport.load(export, DB);
    CrsExport.with(DB, r -> {
      // A console account whose API key was damaged, and a key record that is not a hash.
      r.hset("claude_console_account:0badc0de-0000-4000-8000-000000000001", Map.of("id",
          "0badc0de-0000-4000-8000-000000000001", "name", "damaged-console", "apiUrl", "http://127.0.0.1:1",
          "apiKey", "00112233445566778899aabbccddeeff:00112233445566778899aabbccddeeff"));
      r.set("apikey:0badc0de-0000-4000-8000-000000000002", "not a hash");
    });
    mock = new MockAnthropic();
    node = TestNode.embedded(Files.createTempDirectory("relay-crs-import-"), Map.of());
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (mock != null) {
      mock.close();
    }
  }

  private ObjectNode body(String encryptionKey, boolean dryRun) {
    ObjectNode b = JSON.createObjectNode();
    b.putObject("redis").put("host", "127.0.0.1").put("port", 6379).put("db", DB);
    b.put("encryptionKey", encryptionKey).put("dryRun", dryRun)
        .put("timezoneOffsetHours", export.get("timezoneOffset").asInt());
    return b;
  }

  private HttpResponse<String> importCrs(ObjectNode body) throws Exception {
    return node.post("/admin/api/import/crs", body, node.login());
  }

  private JsonNode key(String name) {
    for (JsonNode k : scenario.get("keys")) {
      if (k.get("name").asText().equals(name)) {
        return k;
      }
    }
    throw new AssertionError(name);
  }

  private JsonNode account(String name) {
    for (JsonNode a : scenario.get("accounts")) {
      if (a.get("name").asText().equals(name)) {
        return a;
      }
    }
    throw new AssertionError(name);
  }

  private void assertNothingWritten() throws Exception {
    assertEquals(0, node.admin("GET", "/admin/api/keys?deleted=true", null).get("data").size());
    assertEquals(0, node.admin("GET", "/admin/api/accounts", null).get("data").size());
    assertEquals(0, node.admin("GET", "/admin/api/webhooks", null).get("data").size());
  }

  /** The export's {@code usage:records:{keyId}} lists: key id → the requests' JSON. */
  private Map<String, List<JsonNode>> crsRequests() throws Exception {
    Map<String, List<JsonNode>> out = new HashMap<>();
    for (JsonNode e : export.get("keys")) {
      String k = e.get("key").asText();
      if (k.startsWith("usage:records:")) {
        List<JsonNode> records = new java.util.ArrayList<>();
        for (JsonNode r : e.get("value")) {
          records.add(JSON.readTree(r.asText()));
        }
        out.put(k.substring("usage:records:".length()), records);
      }
    }
    return out;
  }

  private HttpResponse<String> messages(String plainKey, String model) throws Exception {
    String body = "{\"model\":\"" + model + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    return node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .timeout(Duration.ofSeconds(20)).header("content-type", "application/json").header("x-api-key", plainKey)
        .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(1)
  void aWrongOldEncryptionKeyIsRefusedBeforeAnythingIsWritten() throws Exception {
    HttpResponse<String> r = importCrs(body("not-the-old-key-at-all-000000000", false));
    assertEquals(400, r.statusCode(), r.body());
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertEquals("invalid_request_error", error.get("type").asText());
    assertTrue(error.get("message").asText().startsWith("encryptionKey: it opens none of the"), r.body());
    assertNothingWritten();
  }

  @Test
  @Order(2)
  void anUnreachableRedisIsA502AndWritesNothing() throws Exception {
    ObjectNode b = body(export.get("encryptionKey").asText(), false);
    ((ObjectNode) b.get("redis")).put("port", 1);
    HttpResponse<String> r = importCrs(b);
    assertEquals(502, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).at("/error/message").asText().contains("127.0.0.1:1/9"), r.body());
    assertNothingWritten();
    // And a body that is not an import: refused by name.
    b.put("overrideEverything", true);
    assertEquals(400, importCrs(b).statusCode());
  }

  @Test
  @Order(3)
  void aDryRunCountsAndWritesNothing() throws Exception {
    HttpResponse<String> r = importCrs(body(export.get("encryptionKey").asText(), true));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode report = JSON.readTree(r.body());
    assertTrue(report.get("dryRun").asBoolean());
    // 6 keys and the damaged one; 14 accounts (the Droid one has two API keys: two accounts) and the damaged one.
    assertEquals(JSON.readTree("{\"found\":7,\"imported\":6,\"skipped\":1,\"alreadyPresent\":0}"),
        report.at("/counts/keys"), report.toString());
    assertEquals(JSON.readTree("{\"found\":16,\"imported\":14,\"skipped\":2,\"alreadyPresent\":0}"),
        report.at("/counts/accounts"), report.toString());
    // CRS's request-detail log covers every bucket of this export: no bucket entry is left beside the requests.
    assertEquals(0, report.at("/counts/usage/imported").asInt(), report.toString());
    // The request-detail log of alice (3), bob (1) and frank (1); the three webhook platforms.
    assertEquals(JSON.readTree("{\"found\":5,\"imported\":5,\"skipped\":0,\"alreadyPresent\":0}"),
        report.at("/counts/requests"), report.toString());
    assertEquals(JSON.readTree("{\"found\":3,\"imported\":3,\"skipped\":0,\"alreadyPresent\":0}"),
        report.at("/counts/webhooks"), report.toString());
    String skipped = report.get("skipped").toString();
    assertTrue(skipped.contains("ccr accounts are not supported here"), skipped);
    assertTrue(skipped.contains("0badc0de-0000-4000-8000-000000000001"), skipped);
    assertTrue(skipped.contains("0badc0de-0000-4000-8000-000000000002"), skipped);
    assertNothingWritten();
  }

  @Test
  @Order(4)
  void theImportBringsKeysAndAccountsAcrossAndOldKeysKeepWorking() throws Exception {
    HttpResponse<String> r = importCrs(body(export.get("encryptionKey").asText(), false));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode report = JSON.readTree(r.body());
    assertFalse(report.get("dryRun").asBoolean());
    assertEquals(6, report.at("/counts/keys/imported").asInt(), report.toString());
    assertEquals(14, report.at("/counts/accounts/imported").asInt(), report.toString());

    // Accounts: every supported one, with its type; schedulable unless CRS said otherwise.
    Map<String, JsonNode> accounts = new HashMap<>();
    node.admin("GET", "/admin/api/accounts", null).get("data").forEach(a -> accounts.put(a.get("id").asText(), a));
    Map<String, String> types = Map.of("claude-oauth", "claude-oauth", "claude-console", "claude-console",
        "bedrock", "bedrock", "gemini-oauth", "gemini-oauth", "gemini-api", "gemini-api", "openai-oauth",
        "codex-oauth", "openai-responses", "openai-api", "azure-openai", "azure-openai", "droid", "droid-api");
    for (JsonNode a : scenario.get("accounts")) {
      JsonNode here = accounts.get(a.get("id").asText());
      if (a.get("crsType").asText().equals("ccr")) {
        assertTrue(here == null);
        continue;
      }
      assertTrue(here != null, "missing " + a.get("name"));
      assertEquals(types.get(a.get("crsType").asText()), here.get("type").asText(), here.toString());
      boolean schedulable = a.at("/settings/schedulable").asBoolean(true);
      assertEquals(schedulable ? "active" : "paused", here.get("status").asText(), here.toString());
    }

    // Keys: the same ids; limits and permissions as set in CRS; cost totals as CRS counted them.
    JsonNode alice = key("alice-claude");
    JsonNode aliceHere = node.admin("GET", "/admin/api/keys/" + alice.get("id").asText(), null);
    assertEquals(3, aliceHere.get("concurrencyLimit").asInt());
    assertEquals(JSON.readTree("[\"claude\"]"), aliceHere.get("permissions"));
    assertEquals(0, new BigDecimal("10").compareTo(aliceHere.get("dailyCostLimit").decimalValue()));
    for (JsonNode k : scenario.get("keys")) {
      String total = null;
      for (JsonNode e : export.get("keys")) {
        if (e.get("key").asText().equals("usage:cost:total:" + k.get("id").asText())) {
          total = e.get("value").asText();
        }
      }
      JsonNode here = node.admin("GET", "/admin/api/keys/" + k.get("id").asText(), null);
      BigDecimal expected = total == null ? BigDecimal.ZERO : new BigDecimal(total);
      BigDecimal actual = here.at("/usage/costTotal").decimalValue();
      assertTrue(expected.subtract(actual).abs().compareTo(new BigDecimal("0.000005")) <= 0,
          k.get("name") + ": CRS " + expected + ", here " + actual);
      assertEquals(k.get("deleted").asBoolean() || k.at("/settings/isActive").asText("true").equals("false")
          ? "deleted" : "active", here.get("status").asText(), here.toString());
    }

    // The usage history is in the ledger as imported entries, and re-pricing leaves them as they are: for alice,
    // her three requests of CRS's request log, which replace the day buckets they make up entirely.
    String aliceId = alice.get("id").asText();
    node.awaitRequests(aliceId, rows -> rows.size() == 3);
    java.time.Instant now = java.time.Instant.now();
    JsonNode repriced = node.admin("POST", "/admin/api/usage/reprice", JSON.createObjectNode()
        .put("from", now.minus(Duration.ofDays(2)).toString()).put("to", now.plus(Duration.ofMinutes(1)).toString()));
    assertEquals(0, repriced.get("requestsRepriced").asLong(), repriced.toString());
    JsonNode rows = node.awaitRequests(aliceId, x -> x.size() == 3);
    for (JsonNode row : rows) {
      assertEquals("imported:crs", row.get("priceVersion").asText(), row.toString());
      assertTrue(row.get("requestId").asText().startsWith("crs-req-"), row.toString());
    }

    // The imported Console account, pointed at this test's upstream (its CRS apiUrl was the old mock's).
    JsonNode console = account("console-mock-shared");
    node.admin("PATCH", "/admin/api/accounts/" + console.get("id").asText(),
        JSON.createObjectNode().put("baseUrl", mock.baseUrl()));
    AnthropicClient sdk = AnthropicOkHttpClient.builder().baseUrl(node.baseUrl() + "/api")
        .apiKey(alice.get("plainKey").asText()).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    try {
      Message whole = sdk.messages().create(MessageCreateParams.builder().model(SONNET).maxTokens(64)
          .addUserMessage("hello").build());
      assertEquals(MockAnthropic.MESSAGE_TEXT, whole.content().get(0).text().orElseThrow().text());
      MessageAccumulator acc = MessageAccumulator.create();
      try (StreamResponse<RawMessageStreamEvent> s = sdk.messages().createStreaming(MessageCreateParams.builder()
          .model(SONNET).maxTokens(64).addUserMessage("hello").build())) {
        s.stream().forEach(acc::accumulate);
      }
      assertEquals(MockAnthropic.STREAM_TEXT, acc.message().content().get(0).text().orElseThrow().text());
    } finally {
      sdk.close();
    }
    List<MockAnthropic.Received> seen = mock.received();
    assertEquals(2, seen.size());
    for (MockAnthropic.Received s : seen) {
      assertEquals(console.at("/credentials/apiKey").asText(), s.header("x-api-key"));
    }

    // The Claude OAuth account bound to bob: same access token upstream (its proxy removed for the test).
    JsonNode dedicated = account("claude-max-dedicated");
    ObjectNode patch = JSON.createObjectNode().put("baseUrl", mock.baseUrl());
    patch.putNull("proxy");
    node.admin("PATCH", "/admin/api/accounts/" + dedicated.get("id").asText(), patch);
    mock.clear();
    HttpResponse<String> bob = messages(key("bob-everything").get("plainKey").asText(), SONNET);
    assertEquals(200, bob.statusCode(), bob.body());
    assertEquals("Bearer " + dedicated.at("/credentials/accessToken").asText(),
        mock.received().get(0).header("authorization"));
    // Bob's model blacklist came across.
    assertEquals(403, messages(key("bob-everything").get("plainKey").asText(), "claude-opus-4-1-20250805")
        .statusCode());

    // The soft-deleted and the disabled key do not authenticate; a key that never existed neither.
    assertEquals(401, messages(key("frank-deleted").get("plainKey").asText(), SONNET).statusCode());
    assertEquals(401, messages(key("erin-openai-disabled").get("plainKey").asText(), SONNET).statusCode());
    assertEquals(401, messages("cr_" + "0".repeat(64), SONNET).statusCode());
    // Dave may use Gemini and Droid only: the Claude endpoint is refused for the pool.
    assertEquals(403, messages(key("dave-gemini").get("plainKey").asText(), SONNET).statusCode());

    // The import is in the audit log, with its counts.
    JsonNode audit = node.admin("GET", "/admin/api/audit?action=imported", null);
    assertTrue(audit.toString().contains("keys 6/7"), audit.toString());
  }

  @Test
  @Order(5)
  void webhookPlatformsBecomeAlertTargets() throws Exception {
    JsonNode targets = node.admin("GET", "/admin/api/webhooks", null).get("data");
    assertEquals(3, targets.size(), targets.toString());
    Map<String, JsonNode> byName = new HashMap<>();
    targets.forEach(t -> byName.put(t.get("name").asText(), t));
    // The whole config is on; the custom hook is on, dingtalk and telegram were turned off in CRS.
    JsonNode ops = byName.get("ops-hook");
    assertEquals("webhook", ops.get("channel").asText());
    assertTrue(ops.get("enabled").asBoolean());
    JsonNode ding = byName.get("dingtalk-team");
    assertEquals("dingtalk", ding.get("channel").asText());
    assertFalse(ding.get("enabled").asBoolean());
    JsonNode tg = byName.get("tg-alerts");
    assertEquals("telegram", tg.get("channel").asText());
    assertFalse(tg.get("enabled").asBoolean());
    assertEquals("-1001234567890", tg.at("/config/chatId").asText());
    assertEquals("https://api.telegram.org", tg.at("/config/apiBase").asText());
    // CRS sends no rate-limit recoveries: every account alert but "recovered".
    assertEquals(JSON.readTree("[\"blocked\",\"disabled_by_admin\",\"rate_limited\",\"refresh_failed\","
        + "\"unauthorized\"]"), ops.get("kinds"), ops.toString());
    // Secrets are masked in every GET answer.
    String listed = targets.toString() + node.admin("GET", "/admin/api/webhooks/" + ding.get("id").asText(), null);
    for (String secret : List.of("SECFAKE0015", "FAKE0015", "FAKE-telegram-0016", "/webhook/ops")) {
      assertFalse(listed.contains(secret), secret + " shown in " + listed);
    }
    assertEquals("****", ding.at("/config/secret").asText(), ding.toString());
    assertEquals("https://oapi.dingtalk.com/****", ding.at("/config/url").asText(), ding.toString());
    assertEquals("****", tg.at("/config/botToken").asText(), tg.toString());
    // The secrets came across: a test alert to the custom hook reaches its URL, which this test listens on.
    com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 3391), 0);
    List<String> got = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    receiver.createContext("/webhook/ops", ex -> {
      got.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    receiver.start();
    try {
      JsonNode sent = node.admin("POST", "/admin/api/webhooks/" + ops.get("id").asText() + "/test", null);
      assertTrue(sent.get("delivered").asBoolean(), sent.toString());
      assertEquals(1, got.size());
      assertTrue(got.get(0).startsWith("/webhook/ops {"), got.get(0));
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  @Order(6)
  void theRequestLogHasCrsRequestsWithoutCountingUsageTwice() throws Exception {
    Map<String, List<JsonNode>> crs = crsRequests();
    assertEquals(3, crs.size());
    for (Map.Entry<String, List<JsonNode>> e : crs.entrySet()) {
      JsonNode rows = node.awaitRequests(e.getKey(), x -> x.size() >= e.getValue().size());
      Map<String, JsonNode> byId = new HashMap<>();
      rows.forEach(r -> byId.put(r.get("requestId").asText(), r));
      for (JsonNode r : e.getValue()) {
        JsonNode row = byId.get("crs-req-" + r.get("requestId").asText());
        assertTrue(row != null, "missing " + r + " in " + rows);
        assertEquals(r.get("model").asText(), row.get("model").asText());
        assertEquals(r.get("inputTokens").asLong(), row.get("inputTokens").asLong());
        assertEquals(r.get("outputTokens").asLong(), row.get("outputTokens").asLong());
        assertEquals(r.get("cacheReadTokens").asLong(), row.get("cacheReadTokens").asLong());
        assertEquals(r.get("cacheCreateTokens").asLong(), row.get("cacheWriteTokens").asLong());
        assertEquals(r.get("endpoint").asText(), row.get("endpoint").asText());
        assertEquals(r.get("accountId").asText(), row.get("accountId").asText());
        assertEquals(java.time.Instant.parse(r.get("timestamp").asText()).toEpochMilli(),
            row.get("startedAt").asLong());
        assertEquals("imported:crs", row.get("priceVersion").asText());
        assertEquals(new BigDecimal(r.get("realCost").asText()).movePointRight(6).setScale(0,
            java.math.RoundingMode.HALF_UP).longValueExact(), row.get("costMicros").asLong(), row.toString());
      }
      // The imported rows hold what CRS counted for the key, once (the key's totals were checked against CRS's
      // right after the import; alice has two requests of this test since).
      long realMicros = 0;
      long input = 0;
      for (JsonNode row : rows) {
        if (row.get("priceVersion").asText().equals("imported:crs")) {
          realMicros += row.get("costMicros").asLong();
          input += row.get("inputTokens").asLong();
        }
      }
      long crsReal = 0;
      long crsInput = 0;
      for (JsonNode x : export.get("keys")) {
        if (x.get("key").asText().startsWith("usage:" + e.getKey() + ":model:alltime:")) {
          crsInput += x.at("/value/inputTokens").asLong();
          crsReal += x.at("/value/realCostMicro").asLong();
        }
      }
      assertEquals(crsInput, input, e.getKey());
      assertEquals(crsReal, realMicros, e.getKey());
    }
  }

  @Test
  @Order(7)
  void runningItAgainImportsNothingTwice() throws Exception {
    // The command line first, as a dry run against the running node, logging in as the admin of a data/init.json.
    java.nio.file.Path dataDir = java.nio.file.Files.createTempDirectory("crs-cli-");
    java.nio.file.Files.writeString(dataDir.resolve("init.json"), JSON.createObjectNode()
        .put("username", TestNode.ADMIN_USER).put("password", TestNode.ADMIN_PASSWORD).toString());
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = dev.relaycluster.node.ImportCrsCommand.run(new String[] {"import-crs", "--redis",
        "redis://127.0.0.1:6379/" + DB, "--dry-run", "--node", node.baseUrl(), "--timezone-offset", "8"},
        Map.of("CRS_ENCRYPTION_KEY", export.get("encryptionKey").asText(), "RELAY_DATA_DIR", dataDir.toString()),
        new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
        new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(java.nio.charset.StandardCharsets.UTF_8));
    JsonNode dry = JSON.readTree(out.toString(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(dry.get("dryRun").asBoolean());
    assertEquals(6, dry.at("/counts/keys/alreadyPresent").asInt(), dry.toString());

    HttpResponse<String> r = importCrs(body(export.get("encryptionKey").asText(), false));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode report = JSON.readTree(r.body());
    assertEquals(JSON.readTree("{\"found\":7,\"imported\":0,\"skipped\":1,\"alreadyPresent\":6}"),
        report.at("/counts/keys"), report.toString());
    assertEquals(0, report.at("/counts/accounts/imported").asInt(), report.toString());
    assertEquals(14, report.at("/counts/accounts/alreadyPresent").asInt(), report.toString());
    assertEquals(0, report.at("/counts/usage/imported").asInt(), report.toString());
    assertEquals(0, report.at("/counts/requests/imported").asInt(), report.toString());
    assertEquals(JSON.readTree("{\"found\":3,\"imported\":0,\"skipped\":0,\"alreadyPresent\":3}"),
        report.at("/counts/webhooks"), report.toString());
    assertEquals(6, node.admin("GET", "/admin/api/keys?deleted=true", null).get("data").size());
    assertEquals(3, node.admin("GET", "/admin/api/webhooks", null).get("data").size());
    JsonNode aliceRows = node.awaitRequests(key("alice-claude").get("id").asText(), x -> x.size() == 5);
    assertEquals(3, aliceRows.findValuesAsText("priceVersion").stream().filter("imported:crs"::equals).count());
  }

  @Test
  @Order(8)
  void importedKeysStillWorkAfterARestart() throws Exception {
    java.nio.file.Path dir = java.nio.file.Path.of(node.node().settings().dataDir().toString());
    node.close();
    node = TestNode.embedded(dir, Map.of());
    mock.clear();
    HttpResponse<String> r = messages(key("alice-claude").get("plainKey").asText(), SONNET);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(account("console-mock-shared").at("/credentials/apiKey").asText(),
        mock.received().get(0).header("x-api-key"));
    assertEquals(401, messages(key("frank-deleted").get("plainKey").asText(), SONNET).statusCode());
  }
}
