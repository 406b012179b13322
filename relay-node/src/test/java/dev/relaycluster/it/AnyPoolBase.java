package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockGemini;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One embedded node with one account in each pool, each on a mock upstream that speaks its vendor's real wire
 * format: a Claude Console account (mock Anthropic), a Gemini API-key account (mock Gemini) and a ChatGPT
 * Codex account (mock Codex backend, Responses only). Clients of one dialect reach another dialect's pool by
 * the default model prefixes or a key's model map, and every answer is converted back (issue 20).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AnyPoolBase {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CONSOLE_KEY = "sk-ant-api03-any-pool";
  static final String CODEX_TOKEN = "chatgpt-access-token-any-pool";
  static final String CODEX_ACCOUNT = "acct-chatgpt-any-pool";
  static final String CLAUDE_MODEL = "claude-sonnet-4-5";
  static final String GEMINI_MODEL = "gemini-2.5-pro";
  static final String CODEX_MODEL = "gpt-5.1-codex";

  MockAnthropic anthropic;
  MockGemini gemini;
  MockOpenAi openai;
  TestNode node;
  String claudeAccount;
  String geminiAccount;
  String codexAccount;

  @BeforeAll
  void start() throws Exception {
    anthropic = new MockAnthropic();
    gemini = MockGemini.start();
    openai = new MockOpenAi();
    openai.acceptAccessToken(CODEX_TOKEN, CODEX_ACCOUNT);
    node = startNode();
    claudeAccount = account(JSON.createObjectNode().put("name", "console").put("platform", "claude")
        .put("type", "claude-console").put("baseUrl", anthropic.baseUrl()).put("apiKey", CONSOLE_KEY));
    geminiAccount = account(JSON.createObjectNode().put("name", "gemini").put("platform", "gemini")
        .put("type", "gemini-api").put("baseUrl", gemini.baseUrl()).put("apiKey", MockGemini.API_KEY));
    codexAccount = account(JSON.createObjectNode().put("name", "codex").put("platform", "openai")
        .put("type", "codex-oauth").put("baseUrl", openai.codexBaseUrl()).put("accessToken", CODEX_TOKEN)
        .put("chatgptAccountId", CODEX_ACCOUNT));
  }

  /** The node under test: the embedded default here; the cluster profile in a subclass. */
  TestNode startNode() throws Exception {
    return TestNode.embedded(Files.createTempDirectory("relay-any-pool-"), Map.of());
  }

  /** Runs after the node and the mocks stopped. */
  void afterNodeStopped() {}

  private String account(ObjectNode body) throws Exception {
    return node.admin("POST", "/admin/api/accounts", body).get("id").asText();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    for (AutoCloseable mock : new AutoCloseable[] {anthropic, gemini, openai}) {
      if (mock != null) {
        mock.close();
      }
    }
    afterNodeStopped();
  }

  @BeforeEach
  void clearMocks() {
    anthropic.clear();
    gemini.clear();
    openai.clear();
  }

  /** A key with no map: model names reach pools by their prefixes. */
  JsonNode key() throws Exception {
    return node.createKey("any-" + UUID.randomUUID(), 0);
  }

  /** A key whose own map sends each of {@code matches} to {@code pool} as {@code model}. */
  JsonNode mappedKey(String pool, String model, String... matches) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", "any-" + UUID.randomUUID());
    ArrayNode map = body.putArray("modelMap");
    for (String match : matches) {
      map.addObject().put("match", match).put("pool", pool).put("model", model);
    }
    return node.admin("POST", "/admin/api/keys", body);
  }

  /** The key's request-log rows, oldest first, once there are {@code n}. */
  List<JsonNode> rows(JsonNode key, int n) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    node.awaitRequests(key.get("id").asText(), r -> r.size() == n).forEach(out::add);
    out.sort(Comparator.comparingLong(r -> r.get("startedAt").asLong()));
    return out;
  }

  /** A completed row of a converted request, exact to the token as the upstream counted them. */
  static void assertConverted(JsonNode row, String account, String pool, String clientDialect, String upstreamDialect,
      long input, long cacheRead, long cacheWrite, long output) {
    assertEquals(account, row.get("accountId").asText(), row.toString());
    assertEquals(pool, row.get("pool").asText(), row.toString());
    assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
    assertEquals(clientDialect, row.get("clientDialect").asText(), row.toString());
    assertEquals(upstreamDialect, row.get("upstreamDialect").asText(), row.toString());
    assertEquals(input, row.get("inputTokens").asLong(), row.toString());
    assertEquals(cacheRead, row.get("cacheReadTokens").asLong(), row.toString());
    assertEquals(cacheWrite, row.get("cacheWriteTokens").asLong(), row.toString());
    assertEquals(output, row.get("outputTokens").asLong(), row.toString());
    assertTrue(row.get("costMicros").asLong() > 0, "priced in the upstream's pool: " + row);
  }

  HttpResponse<String> raw(String path, String key, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json")
        .header("authorization", "Bearer " + key);
    headers.forEach(b::header);
    return node.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertNoInternals(String body) {
    assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("com.fasterxml"),
        "no stack trace or library names to clients: " + body);
  }

  /** The JSON of the mock Anthropic's requests, in order. */
  List<JsonNode> anthropicBodies() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (MockAnthropic.Received r : anthropic.received()) {
      out.add(JSON.readTree(r.body()));
    }
    return out;
  }

  /** The JSON of the mock Codex backend's POSTs, in order. */
  List<JsonNode> codexBodies() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (MockOpenAi.Received r : openai.received()) {
      if (r.method().equals("POST")) {
        assertEquals("/backend-api/codex/responses", r.path(), "converted to Responses for the Codex backend");
        out.add(r.json());
      }
    }
    return out;
  }

  /** The JSON of the mock Gemini's model calls, in order. */
  List<JsonNode> geminiBodies() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (MockGemini.Received r : gemini.received()) {
      if (r.path().contains(":")) {
        out.add(JSON.readTree(r.body()));
      }
    }
    return out;
  }
}
