package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.TestNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a user of one relay node relies on, end to end: the official Anthropic SDK and raw HTTP
 * clients against a node whose upstream is a mock Anthropic API. Run once per storage profile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RelayContract {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MODEL = "claude-sonnet-4-5-20250929";
  static final long MAX_BODY = 64 * 1024;

  Path dataDir;
  MockAnthropic mock;
  TestNode node;
  String accountA;
  String accountB;

  /** Starts the node under test with these extra settings. */
  abstract TestNode startNode(Path dataDir, Map<String, Object> extra) throws Exception;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("relay-it-");
    mock = new MockAnthropic();
    node = startNode(dataDir, Map.of("relay.http.max-body-size", MAX_BODY));
    accountA = node.createConsoleAccount("account-a", mock.baseUrl(), "sk-ant-api03-account-A", 10);
    accountB = node.createConsoleAccount("account-b", mock.baseUrl(), "sk-ant-api03-account-B", 10);
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

  /** Cleans up what {@link #startNode} set up outside the node. */
  void afterNodeStopped() {}

  @BeforeEach
  void clearMock() {
    mock.clear();
  }

  AnthropicClient sdk(String key) {
    return AnthropicOkHttpClient.builder().baseUrl(node.baseUrl() + "/api").apiKey(key).maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  JsonNode key(int concurrency) throws Exception {
    return node.createKey("key-" + UUID.randomUUID(), concurrency);
  }

  /**
   * Clears what earlier tests left on the two accounts and waits until this node's pool view shows both cleared.
   * A non-streamed answer of the mock reports 25 % utilisation, which puts an account in a later headroom band
   * than one whose reading has not reached the view yet; a test about the least recently used choice between the
   * two needs both in one band (and neither cooling).
   */
  void bothAccountsCleared() throws Exception {
    for (String id : List.of(accountA, accountB)) {
      node.admin("POST", "/admin/api/accounts/" + id + "/reset", null);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      int free = 0;
      for (JsonNode a : node.admin("GET", "/admin/api/accounts", null).path("data")) {
        String id = a.path("id").asText();
        if ((id.equals(accountA) || id.equals(accountB)) && a.path("cooldowns").isEmpty()
            && a.path("utilisation").isNull()) {
          free++;
        }
      }
      if (free == 2) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the node's pool view still shows a cooldown or a utilisation on account A or B after a reset");
      }
      Thread.sleep(50);
    }
  }

  static String accountKeyOf(MockAnthropic.Received r) {
    return r.header("x-api-key");
  }

  HttpResponse<byte[]> raw(String path, String key, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    b.header("content-type", "application/json");
    if (key != null) {
      b.header("x-api-key", key);
    }
    headers.forEach(b::header);
    return node.http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String body(boolean stream, String model) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":1024,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static void assertAnthropicError(HttpResponse<byte[]> r, int status, String type) throws Exception {
    assertEquals(status, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
    JsonNode body = json(r);
    assertEquals("error", body.get("type").asText());
    assertEquals(type, body.get("error").get("type").asText());
    assertFalse(body.get("error").get("message").asText().isBlank());
    String text = new String(r.body(), StandardCharsets.UTF_8);
    assertFalse(text.contains("Exception") || text.contains("\tat "), "no stack trace to clients: " + text);
  }

  // ---- the happy paths, with the official SDK

  @Test
  void sdkNonStreamingAnswerAndUsageRecord() throws Exception {
    JsonNode key = key(0);
    Message message = sdk(key.get("key").asText()).messages().create(MessageCreateParams.builder()
        .model(MODEL).maxTokens(1024).addUserMessage("hello").build());
    assertEquals(MockAnthropic.MESSAGE_TEXT, message.content().get(0).asText().text());
    assertEquals(1, mock.received().size());
    MockAnthropic.Received upstream = mock.received().get(0);
    assertEquals("/v1/messages", upstream.target());
    assertTrue(Set.of("sk-ant-api03-account-A", "sk-ant-api03-account-B").contains(accountKeyOf(upstream)));

    JsonNode rows = node.awaitRequests(key.get("id").asText(), r -> r.size() == 1);
    JsonNode row = rows.get(0);
    assertEquals(MODEL, row.get("model").asText());
    assertEquals(100, row.get("inputTokens").asLong());
    assertEquals(20, row.get("outputTokens").asLong());
    // claude-sonnet-4-5: 100 × $3/M + 20 × $15/M = 300 + 300 µ$
    assertEquals(600, row.get("costMicros").asLong());
    assertEquals("0.000600", row.get("costUsd").asText());
    assertEquals(200, row.get("status").asInt());
    assertFalse(row.get("stream").asBoolean());
    assertEquals("COMPLETED", row.get("outcome").asText());
  }

  @Test
  void sdkStreamingAssemblesTheTextAndRecordsEveryTokenClass() throws Exception {
    JsonNode key = key(0);
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk(key.get("key").asText()).messages().createStreaming(
        MessageCreateParams.builder().model(MODEL).maxTokens(1024).addUserMessage("hello").build())) {
      stream.stream().forEach(acc::accumulate);
    }
    assertEquals(MockAnthropic.STREAM_TEXT, acc.message().content().get(0).asText().text());
    assertEquals(57, acc.message().usage().outputTokens());

    JsonNode row = node.awaitRequests(key.get("id").asText(), r -> r.size() == 1).get(0);
    assertTrue(row.get("stream").asBoolean());
    assertEquals(1200, row.get("inputTokens").asLong());
    assertEquals(57, row.get("outputTokens").asLong());
    assertEquals(20000, row.get("cacheReadTokens").asLong());
    assertEquals(1000, row.get("cacheWrite5mTokens").asLong());
    assertEquals(2000, row.get("cacheWrite1hTokens").asLong());
    assertEquals(3000, row.get("cacheWriteTokens").asLong());
    // 1200×3 + 57×15 + (1000×3.75 + 2000×6) + 20000×0.3 = 3600 + 855 + 15750 + 6000 µ$
    assertEquals(26205, row.get("costMicros").asLong());
    assertEquals("0.026205", row.get("costUsd").asText());
    assertEquals("COMPLETED", row.get("outcome").asText());
    assertTrue(row.get("complete").asBoolean());
    assertTrue(row.get("firstByteMs").asLong() >= 0);
  }

  @Test
  void sdkWithAuthTokenAsClaudeCodeSendsIt() throws Exception {
    JsonNode key = key(0);
    AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(node.baseUrl() + "/api")
        .authToken(key.get("key").asText()).maxRetries(0).build();
    Message message = client.messages().create(MessageCreateParams.builder()
        .model(MODEL).maxTokens(16).addUserMessage("hello").build());
    assertEquals(MockAnthropic.MESSAGE_TEXT, message.content().get(0).asText().text());
    assertNotEquals(null, accountKeyOf(mock.received().get(0)));
    assertNull(mock.received().get(0).header("authorization"), "the relay key never goes upstream");
  }

  // ---- bytes and headers

  @Test
  void streamIsRelayedByteForByteWithClaudeCodeHeadersForwarded() throws Exception {
    JsonNode key = key(0);
    String session = UUID.randomUUID().toString();
    HttpResponse<byte[]> r = raw("/api/v1/messages?beta=true", key.get("key").asText(), body(true, MODEL), Map.of(
        "anthropic-version", "2023-06-01",
        "anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14",
        "x-app", "cli",
        "user-agent", "claude-cli/2.1.197 (external, cli)",
        "x-stainless-lang", "js",
        "x-stainless-package-version", "0.60.0",
        "x-claude-code-session-id", session,
        "x-forwarded-for", "203.0.113.7",
        "accept-encoding", "gzip, deflate, br, zstd"));
    assertEquals(200, r.statusCode());
    assertEquals("text/event-stream", r.headers().firstValue("content-type").orElse("").split(";")[0]);
    assertArrayEquals(MockAnthropic.STREAM.getBytes(StandardCharsets.UTF_8), r.body());
    assertTrue(r.headers().firstValue("anthropic-organization-id").isEmpty(), "the pool owner's org id is not shown");
    assertEquals("req_011CStreamed", r.headers().firstValue("request-id").orElse(null));

    MockAnthropic.Received up = mock.received().get(0);
    assertEquals("/v1/messages?beta=true", up.target());
    assertEquals("2023-06-01", up.header("anthropic-version"));
    assertEquals("claude-code-20250219,interleaved-thinking-2025-05-14", up.header("anthropic-beta"));
    assertEquals("cli", up.header("x-app"));
    assertEquals("claude-cli/2.1.197 (external, cli)", up.header("user-agent"));
    assertEquals("js", up.header("x-stainless-lang"));
    assertEquals("0.60.0", up.header("x-stainless-package-version"));
    assertEquals(session, up.header("x-claude-code-session-id"));
    assertEquals("identity", up.header("accept-encoding"));
    assertNull(up.header("x-forwarded-for"));
    assertTrue(accountKeyOf(up).startsWith("sk-ant-api03-account-"));
    assertEquals(body(true, MODEL), up.bodyText(), "the body goes upstream unchanged");
  }

  @Test
  void keyIsAcceptedFromEveryPlaceClientsPutIt() throws Exception {
    String plain = key(0).get("key").asText();
    List<Map<String, String>> ways = List.of(
        Map.of("x-api-key", plain),
        Map.of("authorization", "Bearer " + plain),
        Map.of("x-goog-api-key", plain),
        Map.of("api-key", plain));
    for (Map<String, String> way : ways) {
      HttpResponse<byte[]> r = raw("/claude/v1/messages", null, body(false, MODEL), way);
      assertEquals(200, r.statusCode(), way.keySet().toString());
    }
    HttpResponse<byte[]> q = raw("/v1/messages?key=" + plain, null, body(false, MODEL), Map.of());
    assertEquals(200, q.statusCode());
    assertEquals("/v1/messages", mock.received().get(mock.received().size() - 1).target(), "?key= is not forwarded");
  }

  @Test
  void sessionsStickToOneAccountAndNewSessionsSpreadLeastRecentlyUsed() throws Exception {
    bothAccountsCleared();
    String plain = key(0).get("key").asText();
    String s1 = UUID.randomUUID().toString();
    String s2 = UUID.randomUUID().toString();
    for (int i = 0; i < 3; i++) {
      assertEquals(200, raw("/api/v1/messages", plain, body(false, MODEL), Map.of("x-claude-code-session-id", s1)).statusCode());
    }
    assertEquals(200, raw("/api/v1/messages", plain, body(false, MODEL), Map.of("x-claude-code-session-id", s2)).statusCode());
    for (int i = 0; i < 2; i++) {
      assertEquals(200, raw("/api/v1/messages", plain, body(false, MODEL), Map.of("x-claude-code-session-id", s1)).statusCode());
    }
    List<MockAnthropic.Received> seen = mock.received();
    Set<String> s1Accounts = new HashSet<>();
    for (int i : new int[] {0, 1, 2, 4, 5}) {
      s1Accounts.add(accountKeyOf(seen.get(i)));
    }
    assertEquals(1, s1Accounts.size(), "session 1 always lands on one account");
    assertNotEquals(s1Accounts.iterator().next(), accountKeyOf(seen.get(3)),
        "a new session goes to the least recently used account");

    // The metadata.user_id form Claude Code puts in the body keeps a session sticky too.
    String userId = "{\\\"device_id\\\":\\\"" + "ab".repeat(32) + "\\\",\\\"account_uuid\\\":\\\"\\\",\\\"session_id\\\":\\\""
        + UUID.randomUUID() + "\\\"}";
    String withMetadata = "{\"model\":\"" + MODEL + "\",\"max_tokens\":8,\"metadata\":{\"user_id\":\"" + userId
        + "\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    mock.clear();
    for (int i = 0; i < 4; i++) {
      assertEquals(200, raw("/api/v1/messages", plain, withMetadata, Map.of()).statusCode());
    }
    assertEquals(1, mock.received().stream().map(RelayContract::accountKeyOf).distinct().count());
  }

  @Test
  void countTokensModelsAndHead() throws Exception {
    String plain = key(0).get("key").asText();
    HttpResponse<byte[]> count = raw("/api/v1/messages/count_tokens", plain,
        "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}", Map.of());
    assertEquals(200, count.statusCode());
    assertEquals(42, json(count).get("input_tokens").asInt());
    assertEquals("/v1/messages/count_tokens", mock.received().get(0).target());

    HttpResponse<String> models = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/models"))
        .header("x-api-key", plain).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, models.statusCode());
    JsonNode data = JSON.readTree(models.body()).get("data");
    assertTrue(data.size() > 10);
    boolean found = false;
    for (JsonNode m : data) {
      found |= m.get("id").asText().equals("claude-sonnet-4-5");
    }
    assertTrue(found);
    HttpResponse<String> unauth = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/models"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, unauth.statusCode());

    HttpResponse<Void> head = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(200, head.statusCode());
  }

  // ---- bad input

  @Test
  void badInputGetsAnthropicErrorsAndReachesNoUpstream() throws Exception {
    JsonNode key = key(0);
    String plain = key.get("key").asText();
    assertAnthropicError(raw("/api/v1/messages", null, body(false, MODEL), Map.of()), 401, "authentication_error");
    assertAnthropicError(raw("/api/v1/messages", "cr_" + "0".repeat(64), body(false, MODEL), Map.of()), 401,
        "authentication_error");
    assertAnthropicError(raw("/api/v1/messages", "not-a-key", body(false, MODEL), Map.of()), 401, "authentication_error");
    assertAnthropicError(raw("/api/v1/messages", plain, "{\"model\": ", Map.of()), 400, "invalid_request_error");
    assertAnthropicError(raw("/api/v1/messages", plain, "{\"max_tokens\":5,\"messages\":[]}", Map.of()), 400,
        "invalid_request_error");
    assertAnthropicError(raw("/api/v1/messages", plain, "[1,2]", Map.of()), 400, "invalid_request_error");
    String huge = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + "x".repeat((int) MAX_BODY) + "\"}]}";
    // Again and again: the client, still sending, must always read the 413 (never a reset connection).
    for (int i = 0; i < 10; i++) {
      assertAnthropicError(raw("/api/v1/messages", plain, huge, Map.of()), 413, "request_too_large");
    }
    // The same body sent chunked (no content-length) is just as much too large.
    HttpResponse<byte[]> chunked = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .header("x-api-key", plain).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertAnthropicError(chunked, 413, "request_too_large");
    HttpResponse<String> get = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .header("x-api-key", plain).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertTrue(mock.received().isEmpty(), "nothing reached upstream");

    node.admin("DELETE", "/admin/api/keys/" + key.get("id").asText(), null);
    HttpResponse<byte[]> revoked = raw("/api/v1/messages", plain, body(false, MODEL), Map.of());
    assertAnthropicError(revoked, 401, "authentication_error");
    assertTrue(new String(revoked.body(), StandardCharsets.UTF_8).contains("revoked"));
  }

  @Test
  void concurrencyLimitAnswers429WithRetryAfterAndLeasesComeBack() throws Exception {
    String plain = key(1).get("key").asText();
    HttpRequest slow = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .header("x-api-key", plain).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body(true, "mock-slow"))).build();
    HttpResponse<InputStream> first = node.http().send(slow, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, first.statusCode());
    HttpResponse<byte[]> second = raw("/api/v1/messages", plain, body(false, MODEL), Map.of());
    assertAnthropicError(second, 429, "rate_limit_error");
    assertTrue(Integer.parseInt(second.headers().firstValue("retry-after").orElse("0")) >= 1);
    try (InputStream in = first.body()) {
      in.readAllBytes();
    }
    assertEquals(200, awaitStatus(plain, 200));
  }

  @Test
  void clientThatAbandonsAStreamIsBilledForWhatItSawAndFreesItsLease() throws Exception {
    JsonNode key = key(1);
    String plain = key.get("key").asText();
    HttpRequest slow = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .header("x-api-key", plain).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body(true, "mock-slow"))).build();
    HttpClient own = HttpClient.newHttpClient();
    HttpResponse<InputStream> r = own.send(slow, HttpResponse.BodyHandlers.ofInputStream());
    InputStream in = r.body();
    byte[] first = in.readNBytes(200);
    assertTrue(new String(first, StandardCharsets.UTF_8).startsWith("event: message_start"));
    in.close();

    JsonNode row = node.awaitRequests(key.get("id").asText(), rows -> rows.size() == 1).get(0);
    assertEquals("CLIENT_DISCONNECTED", row.get("outcome").asText());
    assertFalse(row.get("complete").asBoolean());
    assertEquals(1200, row.get("inputTokens").asLong(), "usage seen before the client left is billed");
    assertEquals(200, awaitStatus(plain, 200), "the key's only lease came back");
  }

  // ---- upstream trouble

  @Test
  void upstreamErrorsArePassedThroughUnchanged() throws Exception {
    JsonNode key = key(0);
    HttpResponse<byte[]> r = raw("/api/v1/messages", key.get("key").asText(), body(false, "mock-429"), Map.of());
    assertEquals(429, r.statusCode());
    assertEquals(MockAnthropic.RATE_LIMIT_BODY, new String(r.body(), StandardCharsets.UTF_8));
    assertEquals("7", r.headers().firstValue("retry-after").orElse(null));
    assertEquals("rejected", r.headers().firstValue("anthropic-ratelimit-unified-status").orElse(null));

    HttpResponse<byte[]> e500 = raw("/api/v1/messages", key.get("key").asText(), body(true, "mock-500"), Map.of());
    assertEquals(500, e500.statusCode());
    assertEquals(MockAnthropic.SERVER_ERROR_BODY, new String(e500.body(), StandardCharsets.UTF_8));

    JsonNode rows = node.awaitRequests(key.get("id").asText(), x -> x.size() == 2);
    for (JsonNode row : rows) {
      assertEquals("UPSTREAM_ERROR", row.get("outcome").asText());
    }
  }

  @Test
  void sdkSeesUpstreamRateLimitAsItsOwnError() {
    try {
      sdk(key(0).get("key").asText()).messages().create(MessageCreateParams.builder()
          .model("mock-429").maxTokens(16).addUserMessage("hi").build());
      throw new AssertionError("expected a rate limit error");
    } catch (RateLimitException expected) {
      assertEquals(429, expected.statusCode());
    } catch (Exception other) {
      throw new AssertionError(other);
    }
  }

  @Test
  void upstreamFailureMidStreamEndsWithAnSseErrorEvent() throws Exception {
    JsonNode key = key(0);
    HttpResponse<byte[]> r = raw("/api/v1/messages", key.get("key").asText(), body(true, "mock-break"), Map.of());
    assertEquals(200, r.statusCode());
    String text = new String(r.body(), StandardCharsets.UTF_8);
    assertTrue(text.startsWith("event: message_start"));
    int error = text.lastIndexOf("event: error\ndata: ");
    assertTrue(error > 0, text);
    JsonNode event = JSON.readTree(text.substring(error + "event: error\ndata: ".length()).trim());
    assertEquals("api_error", event.get("error").get("type").asText());

    JsonNode row = node.awaitRequests(key.get("id").asText(), x -> x.size() == 1).get(0);
    assertEquals("UPSTREAM_FAILED", row.get("outcome").asText());
    assertEquals(1200, row.get("inputTokens").asLong());
  }

  @Test
  void aStreamThatEndsCleanlyBeforeMessageStopIsACutAnswer() throws Exception {
    JsonNode key = key(0);
    HttpResponse<byte[]> r = raw("/api/v1/messages", key.get("key").asText(), body(true, "mock-clean-cut"), Map.of());
    assertEquals(200, r.statusCode());
    String text = new String(r.body(), StandardCharsets.UTF_8);
    assertFalse(text.contains("event: message_stop"), text);
    assertTrue(text.endsWith("\n\n") && text.contains("event: error\ndata: "), "ends with an error event: " + text);
    JsonNode event = JSON.readTree(text.substring(text.lastIndexOf("event: error\ndata: ")
        + "event: error\ndata: ".length()).trim());
    assertEquals("api_error", event.get("error").get("type").asText());
    assertTrue(event.get("error").get("message").asText().contains("before its final event"), event.toString());
    JsonNode row = node.awaitRequests(key.get("id").asText(), x -> x.size() == 1).get(0);
    assertEquals("UPSTREAM_FAILED", row.get("outcome").asText());
  }

  @Test
  void upstreamThatDoesNotAnswerIs504() throws Exception {
    JsonNode key = key(0);
    assertAnthropicError(raw("/api/v1/messages", key.get("key").asText(), body(false, "mock-hang"), Map.of()), 504,
        "timeout_error");
    JsonNode row = node.awaitRequests(key.get("id").asText(), x -> x.size() == 1).get(0);
    assertEquals(504, row.get("status").asInt());
  }

  @Test
  void unreachableUpstreamIs502AndNoSchedulableAccountIs503() throws Exception {
    String plain = key(0).get("key").asText();
    ObjectNode pause = JSON.createObjectNode().put("paused", true);
    ObjectNode resume = JSON.createObjectNode().put("paused", false);
    node.admin("PATCH", "/admin/api/accounts/" + accountA, pause);
    node.admin("PATCH", "/admin/api/accounts/" + accountB, pause);
    try {
      HttpResponse<byte[]> none = raw("/api/v1/messages", plain, body(false, MODEL), Map.of());
      assertAnthropicError(none, 503, "overloaded_error");
      assertTrue(new String(none.body(), StandardCharsets.UTF_8).contains("paused"));

      String dead = node.createConsoleAccount("dead", "http://127.0.0.1:1", "sk-dead", 10);
      try {
        assertAnthropicError(raw("/api/v1/messages", plain, body(false, MODEL), Map.of()), 502, "api_error");
      } finally {
        node.admin("DELETE", "/admin/api/accounts/" + dead, null);
      }
    } finally {
      node.admin("PATCH", "/admin/api/accounts/" + accountA, resume);
      node.admin("PATCH", "/admin/api/accounts/" + accountB, resume);
    }
    assertEquals(200, raw("/api/v1/messages", plain, body(false, MODEL), Map.of()).statusCode());
  }

  // ---- admin API

  @Test
  void adminApiListsWithoutSecretsAndGuardsEveryCall() throws Exception {
    HttpResponse<String> noToken = node.send("GET", "/admin/api/accounts", null, null);
    assertEquals(401, noToken.statusCode());
    HttpResponse<String> badToken = node.send("GET", "/admin/api/keys", null, "f".repeat(64));
    assertEquals(401, badToken.statusCode());

    HttpResponse<String> accounts = node.send("GET", "/admin/api/accounts", null, node.login());
    assertEquals(200, accounts.statusCode());
    assertFalse(accounts.body().contains("sk-ant-api03"), "account secrets are never listed");
    JsonNode created = key(3);
    String plain = created.get("key").asText();
    assertTrue(plain.matches("cr_[0-9a-f]{64}"));
    HttpResponse<String> keys = node.send("GET", "/admin/api/keys", null, node.login());
    assertFalse(keys.body().contains(plain), "the plain key is shown only once");
    assertTrue(keys.body().contains(created.get("id").asText()));

    String id = node.createConsoleAccount("to-edit", mock.baseUrl(), "sk-edit", 90);
    JsonNode edited = node.admin("PATCH", "/admin/api/accounts/" + id,
        JSON.createObjectNode().put("name", "edited").put("priority", 95).put("status", "paused"));
    assertEquals("edited", edited.get("name").asText());
    assertEquals(95, edited.get("priority").asInt());
    assertEquals("paused", edited.get("status").asText());
    node.admin("DELETE", "/admin/api/accounts/" + id, null);
    assertEquals(404, node.send("DELETE", "/admin/api/accounts/" + id, null, node.login()).statusCode());
    assertFalse(node.send("GET", "/admin/api/accounts", null, node.login()).body().contains(id));

    HttpResponse<String> invalid = node.send("POST", "/admin/api/accounts",
        JSON.createObjectNode().put("name", "x").put("type", "claude-console"), node.login());
    assertEquals(400, invalid.statusCode());
    assertTrue(invalid.body().contains("apiKey"));

    Path init = dataDir.resolve("init.json");
    assertTrue(Files.exists(init));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(init)));
    assertEquals(TestNode.ADMIN_PASSWORD, JSON.readTree(init.toFile()).get("password").asText());
  }

  @Test
  void loginIsThrottledPerClientAddress() throws Exception {
    node.login();
    int status = 0;
    for (int i = 0; i < 10 && status != 429; i++) {
      status = node.post("/admin/api/login", JSON.createObjectNode().put("username", "admin").put("password", "wrong-" + i),
          null).statusCode();
      assertTrue(status == 401 || status == 429);
    }
    assertEquals(429, status);
    HttpResponse<String> right = node.post("/admin/api/login",
        JSON.createObjectNode().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD), null);
    assertEquals(429, right.statusCode(), "while throttled, even the right password waits");
  }

  @Test
  void wrongPasswordsFromOneAddressDoNotLockTheOwnerOut() throws Exception {
    int status = 0;
    for (int i = 0; i < 10 && status != 429; i++) {
      status = node.post("/admin/api/login", JSON.createObjectNode().put("username", "admin").put("password", "bad-" + i),
          null).statusCode();
    }
    assertEquals(429, status, "the guessing address is refused");
    // The owner, from another address (127.0.0.2 on the loopback), still gets in.
    String body = JSON.createObjectNode().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD).toString();
    String answer = postFrom("127.0.0.2", "/admin/api/login", body);
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("cache-control: no-store"), answer);
    assertTrue(JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("token").asText().length() == 64);
  }

  @Test
  void theAdminApiRefusesTrailingGarbageAndIsNeverCached() throws Exception {
    HttpResponse<String> garbage = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/admin/api/keys"))
        .header("authorization", "Bearer " + node.login()).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"trailing\"} \"x\"")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, garbage.statusCode(), garbage.body());
    assertFalse(garbage.body().contains("jackson") || garbage.body().contains("Exception"), garbage.body());
    assertFalse(node.send("GET", "/admin/api/keys", null, node.login()).body().contains("\"trailing\""),
        "no key was made");
    HttpResponse<String> keys = node.send("GET", "/admin/api/keys", null, node.login());
    assertEquals("no-store", keys.headers().firstValue("cache-control").orElse(null));
    // The relay's own dialects refuse it too, without naming the parser.
    HttpResponse<byte[]> relay = raw("/api/v1/messages", key(0).get("key").asText(),
        "{\"model\":\"" + MODEL + "\",\"max_tokens\":5,\"messages\":[]} \"x\"", Map.of());
    assertEquals(400, relay.statusCode());
    String message = JSON.readTree(relay.body()).at("/error/message").asText();
    assertTrue(message.startsWith("request body is not valid JSON"), message);
    assertFalse(message.contains("jackson") || message.contains("JsonNode"), message);
  }

  /** A whole HTTP/1.1 POST sent from a given local address; the answer as text. */
  private String postFrom(String localAddress, String path, String json) throws Exception {
    URI base = URI.create(node.baseUrl());
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.bind(new java.net.InetSocketAddress(localAddress, 0));
      socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      socket.setSoTimeout(20_000);
      byte[] payload = json.getBytes(StandardCharsets.UTF_8);
      socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + payload.length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(payload);
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void healthReportsStorageAndCluster() throws Exception {
    HttpResponse<String> health = node.send("GET", "/health", null, null);
    assertEquals(200, health.statusCode());
    JsonNode h = JSON.readTree(health.body());
    assertEquals("ok", h.get("status").asText());
    assertTrue(h.get("storage").get("ok").asBoolean());
    assertEquals("Up", h.get("cluster").get("selfStatus").asText());
  }

  int awaitStatus(String plain, int wanted) throws Exception {
    int status = 0;
    for (int i = 0; i < 100 && status != wanted; i++) {
      status = raw("/api/v1/messages", plain, body(false, MODEL), Map.of()).statusCode();
      if (status != wanted) {
        Thread.sleep(100);
      }
    }
    return status;
  }
}
