package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.TestNode;
import dev.relaycluster.testing.WsListener;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Codex through the relay, end to end: the official OpenAI Java SDK and raw HTTP and WebSocket clients
 * against a node whose upstreams are a mock OpenAI API (API-key accounts) and a mock ChatGPT Codex
 * backend (codex-oauth accounts) that speak the real events, headers and error bodies. Run once per
 * storage profile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CodexRelayContract {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long MAX_BODY = 64 * 1024;
  static final String TOKEN_A = "chatgpt-access-token-A";
  static final String TOKEN_B = "chatgpt-access-token-B";
  static final String ACCOUNT_A = "acct-chatgpt-A";
  static final String ACCOUNT_B = "acct-chatgpt-B";

  Path dataDir;
  MockOpenAi mock;
  TestNode node;
  /** Accounts made by the test that is running; deleted after it, so each test picks from its own. */
  List<String> accounts = new java.util.ArrayList<>();

  abstract TestNode startNode(Path dataDir, Map<String, Object> extra) throws Exception;

  void afterNodeStopped() {}

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("relay-codex-it-");
    mock = new MockOpenAi();
    mock.acceptAccessToken(TOKEN_A, ACCOUNT_A);
    mock.acceptAccessToken(TOKEN_B, ACCOUNT_B);
    node = startNode(dataDir, Map.of("relay.http.max-body-size", MAX_BODY));
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (mock != null) {
      mock.close();
    }
    afterNodeStopped();
  }

  @BeforeEach
  void clearMock() {
    mock.clear();
  }

  @AfterEach
  void deleteAccounts() throws Exception {
    for (String id : accounts) {
      node.admin("DELETE", "/admin/api/accounts/" + id, null);
    }
    accounts.clear();
    mock.failWith(TOKEN_A, 0);
    mock.failWith(TOKEN_B, 0);
    mock.failWith(MockOpenAi.API_KEY, 0);
    mock.failSocketTurnsWith(TOKEN_A, 0);
  }

  String apiAccount(String name, int priority) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("platform", "openai").put("type", "openai-api")
        .put("baseUrl", mock.baseUrl()).put("apiKey", MockOpenAi.API_KEY).put("priority", priority);
    return made(node.admin("POST", "/admin/api/accounts", body));
  }

  String codexAccount(String name, String token, String chatgptAccount, int priority) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("platform", "openai").put("type", "codex-oauth")
        .put("baseUrl", mock.codexBaseUrl()).put("accessToken", token).put("chatgptAccountId", chatgptAccount)
        .put("priority", priority);
    return made(node.admin("POST", "/admin/api/accounts", body));
  }

  private String made(JsonNode account) {
    String id = account.get("id").asText();
    accounts.add(id);
    return id;
  }

  JsonNode key() throws Exception {
    return node.createKey("codex-" + UUID.randomUUID(), 0);
  }

  OpenAIClient sdk(String key, String path) {
    return OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + path).apiKey(key).maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  static String text(Response r) {
    StringBuilder s = new StringBuilder();
    r.output().forEach(item -> item.message().ifPresent(m -> m.content().forEach(
        c -> c.outputText().ifPresent(t -> s.append(t.text())))));
    return s.toString();
  }

  /** The one request-log row of a key, once the projection has it. */
  JsonNode onlyRow(JsonNode key) throws Exception {
    return node.awaitRequests(key.get("id").asText(), rows -> rows.size() == 1).get(0);
  }

  static void assertLedgered(JsonNode row, String accountId) {
    assertEquals(accountId, row.get("accountId").asText());
    assertEquals("COMPLETED", row.get("outcome").asText());
    assertEquals(MockOpenAi.INPUT_TOKENS - MockOpenAi.CACHED_TOKENS, row.get("inputTokens").asLong());
    assertEquals(MockOpenAi.CACHED_TOKENS, row.get("cacheReadTokens").asLong());
    assertEquals(MockOpenAi.OUTPUT_TOKENS, row.get("outputTokens").asLong());
    assertEquals("openai", row.get("pool").asText());
    assertTrue(row.get("costMicros").asLong() > 0, "priced from the table: " + row);
  }

  HttpResponse<String> raw(String method, String path, String key, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    b.header("content-type", "application/json");
    if (key != null) {
      b.header("authorization", "Bearer " + key);
    }
    headers.forEach(b::header);
    return node.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String codexBody(String model) {
    return "{\"model\":\"" + model + "\",\"stream\":true,\"store\":false,\"input\":[{\"type\":\"message\","
        + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"say hi\"}]}]}";
  }

  @Test
  void theSdkCreatesAResponseOnAnApiKeyAccount() throws Exception {
    String account = apiAccount("api", 10);
    JsonNode key = key();
    OpenAIClient sdk = sdk(key.get("key").asText(), "/openai/v1");
    try {
      Response r = sdk.responses().create(ResponseCreateParams.builder().model("gpt-5").input("say hi").build());
      assertEquals(MockOpenAi.TEXT, text(r));
      assertEquals(MockOpenAi.INPUT_TOKENS, r.usage().orElseThrow().inputTokens());
    } finally {
      sdk.close();
    }
    assertEquals("Bearer " + MockOpenAi.API_KEY, mock.lastHeaders(MockOpenAi.API_KEY).get("authorization"));
    assertLedgered(onlyRow(key), account);
  }

  @Test
  void theSdkStreamsFromAChatGptAccountAndTheLedgerIsExact() throws Exception {
    String account = codexAccount("chatgpt", TOKEN_A, ACCOUNT_A, 10);
    JsonNode key = key();
    ResponseAccumulator acc = ResponseAccumulator.create();
    StringBuilder deltas = new StringBuilder();
    OpenAIClient sdk = sdk(key.get("key").asText(), "/openai");
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(
        ResponseCreateParams.builder().model("gpt-5-codex").input("say hi").build())) {
      stream.stream().forEach(e -> {
        acc.accumulate(e);
        e.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
      });
    } finally {
      sdk.close();
    }
    assertEquals(MockOpenAi.TEXT, deltas.toString());
    assertEquals(MockOpenAi.OUTPUT_TOKENS, acc.response().usage().orElseThrow().outputTokens());
    Map<String, String> up = mock.lastHeaders(TOKEN_A);
    assertEquals("Bearer " + TOKEN_A, up.get("authorization"));
    assertEquals(ACCOUNT_A, up.get("chatgpt-account-id"));
    assertFalse(mock.lastBody(TOKEN_A).contains(key.get("key").asText()));
    JsonNode row = onlyRow(key);
    assertLedgered(row, account);
    assertEquals("gpt-5-codex", row.get("servedModel").asText());
    // The quota windows of x-codex-primary-* (300 minutes) and x-codex-secondary-* (a week) in the account view.
    JsonNode windows = null;
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      windows = node.admin("GET", "/admin/api/accounts/" + account, null).get("windows");
      if (!windows.get("fiveHour").isNull()) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals(0.25, windows.get("fiveHour").asDouble(), 1e-9, windows.toString());
    assertEquals(0.10, windows.get("weekly").asDouble(), 1e-9, windows.toString());
  }

  @Test
  void aWholeAnswerFromAChatGptAccountIsAddedUpFromItsStream() throws Exception {
    String account = codexAccount("chatgpt", TOKEN_A, ACCOUNT_A, 10);
    JsonNode key = key();
    OpenAIClient sdk = sdk(key.get("key").asText(), "/openai/v1");
    try {
      Response r = sdk.responses().create(ResponseCreateParams.builder().model("gpt-5-codex").input("say hi").build());
      assertEquals(MockOpenAi.TEXT, text(r));
      assertEquals(MockOpenAi.OUTPUT_TOKENS, r.usage().orElseThrow().outputTokens());
    } finally {
      sdk.close();
    }
    assertTrue(JSON.readTree(mock.lastBody(TOKEN_A)).get("stream").asBoolean(),
        "the ChatGPT backend only streams: the request went up with stream true");
    assertLedgered(onlyRow(key), account);
  }

  @Test
  void codexHeadersAndTurnStatePassBothWays() throws Exception {
    codexAccount("chatgpt", TOKEN_A, ACCOUNT_A, 10);
    String key = key().get("key").asText();
    HttpResponse<String> first = raw("POST", "/openai/responses", key, codexBody("gpt-5-codex"),
        Map.of("session-id", "thread-1", "originator", "codex_exec", "x-codex-turn-state", "ts-from-client"));
    assertEquals(200, first.statusCode(), first.body());
    assertTrue(first.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    assertEquals("ts-from-client", first.headers().firstValue("x-codex-turn-state").orElse(null));
    assertEquals("ts-from-client", mock.lastHeaders(TOKEN_A).get("x-codex-turn-state"));
    assertEquals("thread-1", mock.lastHeaders(TOKEN_A).get("session-id"));
    assertEquals("codex_exec", mock.lastHeaders(TOKEN_A).get("originator"));
    assertTrue(first.headers().firstValue("x-codex-primary-used-percent").isPresent());
    assertTrue(first.body().contains("event: response.completed"));
  }

  @Test
  void aUsageLimitFailsOverAndCoolsTheAccountUntilItsReset() throws Exception {
    String limited = codexAccount("limited", TOKEN_A, ACCOUNT_A, 10);
    String spare = codexAccount("spare", TOKEN_B, ACCOUNT_B, 20);
    mock.failWith(TOKEN_A, 429);
    JsonNode key = key();
    HttpResponse<String> r = raw("POST", "/openai/v1/responses", key.get("key").asText(), codexBody("gpt-5-codex"),
        Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, mock.requests(TOKEN_A));
    assertEquals(1, mock.requests(TOKEN_B));
    JsonNode row = onlyRow(key);
    assertEquals(spare, row.get("accountId").asText());
    assertEquals(2, row.get("attempts").asInt());
    JsonNode account = node.admin("GET", "/admin/api/accounts/" + limited, null);
    assertEquals("cooling", account.get("state").asText(), account.toString());
    long until = java.time.Instant.parse(account.get("cooldowns").get(0).get("until").asText()).toEpochMilli();
    long expected = System.currentTimeMillis() + MockOpenAi.USAGE_LIMIT_RESETS_IN_SECONDS * 1000;
    assertTrue(Math.abs(until - expected) < 120_000, "cools until the reset upstream named: " + account);
    // The next request goes straight to the spare account.
    assertEquals(200, raw("POST", "/openai/v1/responses", key.get("key").asText(), codexBody("gpt-5-codex"),
        Map.of()).statusCode());
    assertEquals(1, mock.requests(TOKEN_A));
  }

  @Test
  void aModelThePlanDoesNotIncludeCoolsThatModelOnly() throws Exception {
    String account = codexAccount("plus", TOKEN_A, ACCOUNT_A, 10);
    String key = key().get("key").asText();
    HttpResponse<String> refused = raw("POST", "/openai/v1/responses", key, codexBody("mock-not-included"), Map.of());
    assertEquals(429, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("usage_not_included"), refused.body());
    JsonNode cooldowns = null;
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      cooldowns = node.admin("GET", "/admin/api/accounts/" + account, null).get("cooldowns");
      if (cooldowns != null && cooldowns.size() > 0) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals("mock-not-included", cooldowns.get(0).get("family").asText(), String.valueOf(cooldowns));
    // The account still serves the plan's other models.
    HttpResponse<String> served = raw("POST", "/openai/v1/responses", key, codexBody("gpt-5-codex"), Map.of());
    assertEquals(200, served.statusCode(), served.body());
    assertEquals(2, mock.requests(TOKEN_A));
  }

  @Test
  void aPastedAuthJsonReplacesACodexAccountsTokens() throws Exception {
    String account = codexAccount("chatgpt", "chatgpt-access-token-stale", ACCOUNT_B, 10);
    ObjectNode tokens = JSON.createObjectNode().put("access_token", TOKEN_A).put("refresh_token", "rt-A")
        .put("account_id", ACCOUNT_A);
    ObjectNode auth = JSON.createObjectNode();
    auth.set("tokens", tokens);
    node.admin("PATCH", "/admin/api/accounts/" + account, JSON.createObjectNode().put("authJson", auth.toString()));
    HttpResponse<String> r = raw("POST", "/openai/responses", key().get("key").asText(), codexBody("gpt-5-codex"),
        Map.of());
    assertEquals(200, r.statusCode(), r.body());
    Map<String, String> up = mock.lastHeaders(TOKEN_A);
    assertTrue(up != null, "the account still sends its old token");
    assertEquals(ACCOUNT_A, up.get("chatgpt-account-id"));
  }

  @Test
  void aUsageLimitInsideTheStreamCoolsTheAccount() throws Exception {
    String account = codexAccount("chatgpt", TOKEN_A, ACCOUNT_A, 10);
    JsonNode key = key();
    HttpResponse<String> r = raw("POST", "/openai/responses", key.get("key").asText(),
        codexBody("mock-limit-in-stream"), Map.of());
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("usage_limit_reached"), r.body());
    JsonNode row = onlyRow(key);
    assertEquals("UPSTREAM_FAILED", row.get("outcome").asText());
    assertEquals("usage_limit_reached", row.get("errorType").asText());
    long deadline = System.currentTimeMillis() + 10_000;
    String state = "";
    while (System.currentTimeMillis() < deadline && !state.equals("cooling")) {
      state = node.admin("GET", "/admin/api/accounts/" + account, null).get("state").asText();
      Thread.sleep(50);
    }
    assertEquals("cooling", state);
  }

  @Test
  void aUsageLimitAtTheStartOfAWholeAnswersStreamFailsOverAndCoolsTheAccounts() throws Exception {
    String a = codexAccount("a", TOKEN_A, ACCOUNT_A, 10);
    String b = codexAccount("b", TOKEN_B, ACCOUNT_B, 20);
    JsonNode key = key();
    // A whole answer is added up from the backend's stream: nothing reached the client when its error came.
    HttpResponse<String> r = raw("POST", "/openai/responses", key.get("key").asText(),
        codexBody("mock-limit-in-stream").replace("\"stream\":true", "\"stream\":false"), Map.of());
    assertEquals(502, r.statusCode(), r.body());
    assertTrue(r.body().contains("usage_limit_reached"), r.body());
    JsonNode row = onlyRow(key);
    assertEquals("UPSTREAM_FAILED", row.get("outcome").asText());
    assertEquals(2, row.get("attempts").asInt(), "failed over to the second account: " + row);
    assertEquals(1, mock.requests(TOKEN_A));
    assertEquals(1, mock.requests(TOKEN_B));
    for (String account : List.of(a, b)) {
      long deadline = System.currentTimeMillis() + 10_000;
      String state = "";
      while (System.currentTimeMillis() < deadline && !state.equals("cooling")) {
        state = node.admin("GET", "/admin/api/accounts/" + account, null).get("state").asText();
        Thread.sleep(50);
      }
      assertEquals("cooling", state, "the usage limit cools the account it came from");
    }
  }

  @Test
  void aSessionStaysOnItsAccount() throws Exception {
    codexAccount("a", TOKEN_A, ACCOUNT_A, 10);
    codexAccount("b", TOKEN_B, ACCOUNT_B, 10);
    String key = key().get("key").asText();
    for (String thread : List.of("thread-x", "thread-y", "thread-z")) {
      mock.clear();
      for (int i = 0; i < 3; i++) {
        assertEquals(200, raw("POST", "/openai/responses", key, codexBody("gpt-5-codex"),
            Map.of("session-id", thread, "thread-id", thread)).statusCode());
      }
      int a = mock.requests(TOKEN_A);
      int b = mock.requests(TOKEN_B);
      assertTrue((a == 3 && b == 0) || (a == 0 && b == 3), thread + " went to both accounts: " + a + "/" + b);
    }
  }

  @Test
  void compactAndModelsAreServed() throws Exception {
    apiAccount("api", 10);
    String key = key().get("key").asText();
    HttpResponse<String> compact = raw("POST", "/openai/responses/compact", key,
        "{\"model\":\"gpt-5\",\"input\":\"long history\"}", Map.of());
    assertEquals(200, compact.statusCode(), compact.body());
    assertEquals(1, mock.pathHits("/v1/responses/compact"));
    HttpResponse<String> models = raw("GET", "/openai/v1/models?client_version=0.171.0", key, null, Map.of());
    assertEquals(200, models.statusCode());
    JsonNode list = JSON.readTree(models.body());
    assertEquals("list", list.get("object").asText());
    assertTrue(list.get("data").size() > 0);
    list.get("data").forEach(m -> assertFalse(m.get("id").asText().startsWith("claude"), m.toString()));
  }

  @Test
  void badInputGetsOpenAiErrorsAndIsNotRelayed() throws Exception {
    apiAccount("api", 10);
    String key = key().get("key").asText();
    HttpResponse<String> noModel = raw("POST", "/openai/responses", key, "{\"input\":\"hi\"}", Map.of());
    assertEquals(400, noModel.statusCode());
    JsonNode error = JSON.readTree(noModel.body()).get("error");
    assertEquals("invalid_request_error", error.get("type").asText());
    assertTrue(error.get("message").asText().contains("model"));
    assertTrue(error.has("param") && error.has("code"));
    assertEquals(400, raw("POST", "/openai/responses", key, "{not json", Map.of()).statusCode());
    assertEquals(405, raw("PUT", "/openai/responses", key, "{}", Map.of()).statusCode());
    assertEquals(413, raw("POST", "/openai/responses", key,
        "{\"model\":\"gpt-5\",\"input\":\"" + "x".repeat((int) MAX_BODY) + "\"}", Map.of()).statusCode());
    HttpResponse<String> badKey = raw("POST", "/openai/responses", "cr_" + "0".repeat(64), codexBody("gpt-5"),
        Map.of());
    assertEquals(401, badKey.statusCode());
    assertEquals("invalid_api_key", JSON.readTree(badKey.body()).get("error").get("code").asText());
    assertEquals(0, mock.requests(MockOpenAi.API_KEY));
    OpenAIClient stranger = sdk("cr_" + "1".repeat(64), "/openai/v1");
    OpenAIClient holder = sdk(key, "/openai/v1");
    try {
      assertThrows(UnauthorizedException.class, () -> stranger.responses().create(
          ResponseCreateParams.builder().model("gpt-5").input("hi").build()));
      assertThrows(BadRequestException.class, () -> holder.responses().create(
          ResponseCreateParams.builder().model("").input("hi").build()));
    } finally {
      stranger.close();
      holder.close();
    }
  }

  WebSocket socket(String key, WsListener frames, Map<String, String> headers) {
    WebSocket.Builder b = node.http().newWebSocketBuilder().header("authorization", "Bearer " + key);
    headers.forEach(b::header);
    return b.buildAsync(URI.create(node.baseUrl().replace("http", "ws") + "/openai/v1/responses"), frames).join();
  }

  static String create(String model, String previous) {
    return "{\"type\":\"response.create\",\"model\":\"" + model + "\""
        + (previous == null ? "" : ",\"previous_response_id\":\"" + previous + "\"")
        + ",\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}]}";
  }

  @Test
  void aWebSocketIsPinnedToOneUpstreamSocketAndEachTurnIsSettled() throws Exception {
    String account = codexAccount("chatgpt", TOKEN_A, ACCOUNT_A, 10);
    JsonNode key = key();
    WsListener frames = new WsListener();
    WebSocket ws = socket(key.get("key").asText(), frames, Map.of("session-id", "ws-thread"));
    ws.sendText("{\"type\":\"response.create\",\"model\":\"gpt-5-codex\",\"generate\":false,\"input\":[]}", true)
        .join();
    List<JsonNode> prewarm = frames.untilDone();
    String prewarmId = prewarm.get(prewarm.size() - 1).path("response").path("id").asText();
    ws.sendText(create("gpt-5-codex", prewarmId), true).join();
    List<JsonNode> turn = frames.untilDone();
    JsonNode done = turn.get(turn.size() - 1);
    assertEquals("response.completed", done.path("type").asText(), turn.toString());
    assertEquals(prewarmId, done.path("response").path("previous_response_id").asText());
    String secondId = done.path("response").path("id").asText();
    ws.sendText(create("gpt-5-codex", secondId), true).join();
    assertEquals("response.completed", last(frames.untilDone()).path("type").asText());
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    assertEquals(1, mock.upgrades(TOKEN_A), "one upstream socket for the whole client socket");
    assertEquals(ACCOUNT_A, mock.lastHeaders(TOKEN_A).get("chatgpt-account-id"));
    JsonNode rows = node.awaitRequests(key.get("id").asText(), r -> r.size() == 3);
    long completedWithTokens = 0;
    for (JsonNode row : rows) {
      assertEquals("COMPLETED", row.get("outcome").asText());
      assertEquals(account, row.get("accountId").asText());
      if (row.get("outputTokens").asLong() == MockOpenAi.OUTPUT_TOKENS) {
        assertEquals(MockOpenAi.INPUT_TOKENS - MockOpenAi.CACHED_TOKENS, row.get("inputTokens").asLong());
        assertEquals(MockOpenAi.CACHED_TOKENS, row.get("cacheReadTokens").asLong());
        completedWithTokens++;
      }
    }
    assertEquals(2, completedWithTokens, "the prewarm costs nothing, each real turn its usage: " + rows);
  }

  private static JsonNode last(List<JsonNode> frames) {
    return frames.get(frames.size() - 1);
  }

  @Test
  void aRefusedUpgradeFailsOverAndAnUnknownFrameClosesTheSocket() throws Exception {
    codexAccount("limited", TOKEN_A, ACCOUNT_A, 10);
    codexAccount("spare", TOKEN_B, ACCOUNT_B, 20);
    mock.failWith(TOKEN_A, 429);
    String key = key().get("key").asText();
    WsListener frames = new WsListener();
    WebSocket ws = socket(key, frames, Map.of());
    assertEquals(1, mock.upgrades(TOKEN_B));
    ws.sendText(create("gpt-5-codex", null), true).join();
    assertEquals("response.completed", last(frames.untilDone()).path("type").asText());
    ws.sendText("{\"type\":\"session.update\"}", true).join();
    JsonNode error = frames.next();
    assertEquals("error", error.path("type").asText());
    assertEquals(400, error.path("status").asInt());
    assertTrue(error.path("error").path("message").asText().contains("session.update"));
    assertEquals(1000, frames.closed.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aUsageLimitOnASocketsFirstTurnFailsOverToTheNextAccount() throws Exception {
    String limited = codexAccount("limited", TOKEN_A, ACCOUNT_A, 10);
    String spare = codexAccount("spare", TOKEN_B, ACCOUNT_B, 20);
    mock.failSocketTurnsWith(TOKEN_A, 429);
    JsonNode key = key();
    WsListener frames = new WsListener();
    WebSocket ws = socket(key.get("key").asText(), frames, Map.of());
    assertEquals(1, mock.upgrades(TOKEN_A), "the socket opens on the preferred account");
    ws.sendText(create("gpt-5-codex", null), true).join();
    List<JsonNode> turn = frames.untilDone();
    assertEquals("response.completed", last(turn).path("type").asText(), turn.toString());
    turn.forEach(f -> assertFalse(f.path("type").asText().equals("error"), "the limit never reached the client: " + turn));
    assertEquals(1, mock.requests(TOKEN_A));
    assertEquals(1, mock.upgrades(TOKEN_B));
    assertEquals(1, mock.requests(TOKEN_B));
    // The socket is pinned to the spare account now: a chained turn continues there.
    ws.sendText(create("gpt-5-codex", last(turn).path("response").path("id").asText()), true).join();
    assertEquals("response.completed", last(frames.untilDone()).path("type").asText());
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    assertEquals(1, mock.requests(TOKEN_A));
    assertEquals(2, mock.requests(TOKEN_B));
    JsonNode rows = node.awaitRequests(key.get("id").asText(), r -> r.size() == 2);
    int failedOver = 0;
    for (JsonNode row : rows) {
      assertLedgered(row, spare);
      failedOver += row.get("attempts").asInt() == 2 ? 1 : 0;
    }
    assertEquals(1, failedOver, "the first turn was tried twice, and ledgered once: " + rows);
    JsonNode account = node.admin("GET", "/admin/api/accounts/" + limited, null);
    assertEquals("cooling", account.get("state").asText(), account.toString());
  }

  @Test
  void aUsageLimitOnAChainedSocketTurnIsPassedOn() throws Exception {
    codexAccount("limited", TOKEN_A, ACCOUNT_A, 10);
    codexAccount("spare", TOKEN_B, ACCOUNT_B, 20);
    JsonNode key = key();
    WsListener frames = new WsListener();
    WebSocket ws = socket(key.get("key").asText(), frames, Map.of());
    ws.sendText(create("gpt-5-codex", null), true).join();
    JsonNode first = last(frames.untilDone());
    assertEquals("response.completed", first.path("type").asText());
    mock.failSocketTurnsWith(TOKEN_A, 429);
    ws.sendText(create("gpt-5-codex", first.path("response").path("id").asText()), true).join();
    JsonNode error = last(frames.untilDone());
    assertEquals("error", error.path("type").asText(), error.toString());
    assertEquals(429, error.path("status").asInt());
    assertEquals("usage_limit_reached", error.path("error").path("type").asText(), error.toString());
    assertEquals(0, mock.upgrades(TOKEN_B), "the response it continues lives on the first upstream socket");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    JsonNode rows = node.awaitRequests(key.get("id").asText(), r -> r.size() == 2);
    assertTrue(rows.toString().contains("usage_limit_reached"), rows.toString());
  }

  @Test
  void aSocketTurnInFlightCountsAgainstTheKeysConcurrency() throws Exception {
    codexAccount("chatgpt", TOKEN_A, ACCOUNT_A, 10);
    JsonNode key = node.createKey("codex-one-at-a-time-" + UUID.randomUUID(), 1);
    String secret = key.get("key").asText();
    WsListener frames = new WsListener();
    WebSocket ws = socket(secret, frames, Map.of());
    ws.sendText(create("mock-slow", null), true).join();
    JsonNode first = frames.next();
    assertFalse(first.path("type").asText().equals("error"), first.toString());
    // The turn is streaming (the mock sends its events 200 ms apart): the key's one slot is taken.
    HttpResponse<String> busy = raw("POST", "/openai/v1/responses", secret, codexBody("gpt-5-codex"), Map.of());
    assertEquals(429, busy.statusCode(), busy.body());
    JsonNode error = JSON.readTree(busy.body()).get("error");
    assertNotNull(error, busy.body());
    assertEquals("rate_limit_exceeded", error.get("code").asText(), busy.body());
    assertTrue(error.has("type") && error.has("message") && error.has("param"), busy.body());
    List<JsonNode> rest = frames.untilDone();
    assertEquals("response.completed", last(rest).path("type").asText(), rest.toString());
    // Once the turn is settled its slot is free again (the release reaches the key's entity a moment later).
    HttpResponse<String> after = null;
    for (int i = 0; i < 100; i++) {
      after = raw("POST", "/openai/v1/responses", secret, codexBody("gpt-5-codex"), Map.of());
      if (after.statusCode() != 429) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals(200, after.statusCode(), after.body());
    assertEquals(2, mock.requests(TOKEN_A), "the refused request never went upstream");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
  }

  @Test
  void anUpgradeNoAccountCanTakeIsRefusedAtOnceInOpenAiJson() throws Exception {
    codexAccount("limited", TOKEN_A, ACCOUNT_A, 10);
    mock.failWith(TOKEN_A, 429);
    String key = key().get("key").asText();
    CompletionException refused = assertThrows(CompletionException.class,
        () -> socket(key, new WsListener(), Map.of()));
    assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
    HttpResponse<?> answer = ((WebSocketHandshakeException) refused.getCause()).getResponse();
    assertEquals(429, answer.statusCode());
    CompletionException badKey = assertThrows(CompletionException.class,
        () -> socket("cr_" + "2".repeat(64), new WsListener(), Map.of()));
    assertEquals(401, ((WebSocketHandshakeException) badKey.getCause()).getResponse().statusCode());
    assertNotNull(key);
  }
}
