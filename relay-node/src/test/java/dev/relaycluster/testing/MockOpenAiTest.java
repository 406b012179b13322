package dev.relaycluster.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.CompactedResponse;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCompactParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives {@link MockOpenAi} with the official OpenAI Java SDK (Responses create, streaming and not,
 * compaction, errors) and with java.net.http's HTTP and WebSocket clients (the codex backend, the
 * WebSocket mode, the OAuth token endpoint), asserting exact usage, so the mock provably speaks what
 * real clients read.
 */
class MockOpenAiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static MockOpenAi mock;
  private static OpenAIClient sdk;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws IOException {
    mock = new MockOpenAi();
    sdk = OpenAIOkHttpClient.builder().apiKey(MockOpenAi.API_KEY).baseUrl(mock.apiBaseUrl()).maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  @AfterAll
  static void stop() throws IOException {
    sdk.close();
    mock.close();
  }

  @BeforeEach
  void reset() {
    mock.clear();
  }

  private static void assertTextUsage(ResponseUsage u) {
    assertEquals(MockOpenAi.INPUT_TOKENS, u.inputTokens());
    assertEquals(MockOpenAi.CACHED_TOKENS, u.inputTokensDetails().cachedTokens());
    assertEquals(MockOpenAi.OUTPUT_TOKENS, u.outputTokens());
    assertEquals(MockOpenAi.REASONING_TOKENS, u.outputTokensDetails().reasoningTokens());
    assertEquals(MockOpenAi.TOTAL_TOKENS, u.totalTokens());
    assertEquals(1200, u.inputTokens());
    assertEquals(200, u.inputTokensDetails().cachedTokens());
    assertEquals(300, u.outputTokens());
    assertEquals(100, u.outputTokensDetails().reasoningTokens());
    assertEquals(1500, u.totalTokens());
  }

  private static String text(Response r) {
    StringBuilder s = new StringBuilder();
    r.output().forEach(item -> item.message().ifPresent(m -> m.content().forEach(
        c -> c.outputText().ifPresent(t -> s.append(t.text())))));
    return s.toString();
  }

  @Test
  void sdkCreatesAResponseWithoutStreaming() {
    Response r = sdk.responses().create(ResponseCreateParams.builder().model("gpt-mock-5").input("say hi").build());
    r.validate();
    assertEquals("gpt-mock-5", r.model().asString());
    assertEquals(MockOpenAi.TEXT, text(r));
    assertTextUsage(r.usage().orElseThrow());
    assertEquals(1, mock.requests(MockOpenAi.API_KEY));
    assertEquals(1, mock.pathHits("/v1/responses"));
    assertEquals("Bearer " + MockOpenAi.API_KEY, mock.lastHeaders(MockOpenAi.API_KEY).get("authorization"));
    assertTrue(mock.lastBody(MockOpenAi.API_KEY).contains("say hi"));
  }

  @Test
  void sdkStreamsAResponse() {
    ResponseAccumulator acc = ResponseAccumulator.create();
    StringBuilder deltas = new StringBuilder();
    List<String> types = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(
        ResponseCreateParams.builder().model("gpt-mock-codex").input("say hi").build())) {
      stream.stream().forEach(e -> {
        acc.accumulate(e);
        e.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
        types.add(typeOf(e));
      });
    }
    assertEquals(MockOpenAi.TEXT, deltas.toString());
    Response r = acc.response();
    assertEquals("gpt-mock-codex", r.model().asString());
    assertEquals(MockOpenAi.TEXT, text(r));
    assertTextUsage(r.usage().orElseThrow());
    assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
        "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
        "response.output_text.done", "response.content_part.done", "response.output_item.done",
        "response.completed"), types);
  }

  private static String typeOf(ResponseStreamEvent e) {
    return e.created().isPresent() ? "response.created"
        : e.inProgress().isPresent() ? "response.in_progress"
        : e.outputItemAdded().isPresent() ? "response.output_item.added"
        : e.contentPartAdded().isPresent() ? "response.content_part.added"
        : e.outputTextDelta().isPresent() ? "response.output_text.delta"
        : e.outputTextDone().isPresent() ? "response.output_text.done"
        : e.contentPartDone().isPresent() ? "response.content_part.done"
        : e.outputItemDone().isPresent() ? "response.output_item.done"
        : e.completed().isPresent() ? "response.completed" : "other";
  }

  @Test
  void sdkRunsAToolRoundTrip() {
    FunctionTool shell = FunctionTool.builder().name("exec_command").strict(false)
        .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("cmd", Map.of("type", "string")))).build())
        .build();
    Response first = sdk.responses().create(ResponseCreateParams.builder().model("mock-tool").input("run it")
        .addTool(shell).build());
    ResponseFunctionToolCall call = first.output().get(0).asFunctionCall();
    assertEquals("exec_command", call.name());
    assertEquals("{\"cmd\":\"echo mock-tool-ok\"}", call.arguments());
    assertEquals(MockOpenAiEvents.TOOL_INPUT_TOKENS, first.usage().orElseThrow().inputTokens());
    assertEquals(MockOpenAiEvents.TOOL_TOTAL_TOKENS, first.usage().orElseThrow().totalTokens());

    Response second = sdk.responses().create(ResponseCreateParams.builder().model("mock-tool").addTool(shell)
        .inputOfResponse(List.of(
            ResponseInputItem.ofMessage(ResponseInputItem.Message.builder().role(ResponseInputItem.Message.Role.USER)
                .addInputTextContent("run it").build()),
            ResponseInputItem.ofFunctionCall(call),
            ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId()).output("mock-tool-ok\n").build())))
        .build());
    assertEquals(MockOpenAiEvents.TOOL_RESULT_PREFIX + "mock-tool-ok", text(second));
    assertTextUsage(second.usage().orElseThrow());
  }

  @Test
  void sdkCompacts() {
    CompactedResponse c = sdk.responses().compact(ResponseCompactParams.builder().model("gpt-5").input("long history")
        .build());
    assertEquals(MockOpenAiEvents.COMPACT_INPUT_TOKENS, c.usage().inputTokens());
    assertEquals(MockOpenAiEvents.COMPACT_OUTPUT_TOKENS, c.usage().outputTokens());
    assertTrue(c.output().stream().anyMatch(i -> i.isCompaction()));
    assertEquals(1, mock.pathHits("/v1/responses/compact"));
  }

  @Test
  void sdkSeesTheApiErrors() {
    RateLimitException limited = assertThrows(RateLimitException.class, () -> sdk.responses().create(
        ResponseCreateParams.builder().model("mock-429").input("hi").build()));
    assertEquals("rate_limit_exceeded", limited.code().orElseThrow());
    assertEquals(String.valueOf(MockOpenAi.RETRY_AFTER_SECONDS), limited.headers().values("retry-after").get(0));
    assertEquals(List.of("0"), limited.headers().values("x-ratelimit-remaining-requests"));

    OpenAIClient bad = OpenAIOkHttpClient.builder().apiKey("sk-wrong-key-1234").baseUrl(mock.apiBaseUrl())
        .maxRetries(0).build();
    try {
      UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> bad.responses().create(
          ResponseCreateParams.builder().model("gpt-5").input("hi").build()));
      assertEquals("invalid_api_key", e.code().orElseThrow());
    } finally {
      bad.close();
    }
    assertEquals(1, mock.requests("sk-wrong-key-1234"));
  }

  @Test
  void failWithRefusesOneCredentialOnly() {
    mock.acceptApiKey("sk-second-account");
    mock.failWith("sk-second-account", 429);
    OpenAIClient second = OpenAIOkHttpClient.builder().apiKey("sk-second-account").baseUrl(mock.apiBaseUrl())
        .maxRetries(0).build();
    try {
      assertThrows(RateLimitException.class, () -> second.responses().create(
          ResponseCreateParams.builder().model("gpt-5").input("hi").build()));
      assertTextUsage(sdk.responses().create(ResponseCreateParams.builder().model("gpt-5").input("hi").build())
          .usage().orElseThrow());
      mock.failWith("sk-second-account", 0);
      mock.failNext("sk-second-account", 503);
      assertThrows(com.openai.errors.InternalServerException.class, () -> second.responses().create(
          ResponseCreateParams.builder().model("gpt-5").input("hi").build()));
      assertEquals(MockOpenAi.TEXT, text(second.responses().create(
          ResponseCreateParams.builder().model("gpt-5").input("hi").build())));
    } finally {
      second.close();
    }
    assertEquals(3, mock.requests("sk-second-account"));
    assertEquals(1, mock.requests(MockOpenAi.API_KEY));
  }

  // ---- raw HTTP: the codex backend, scenarios, headers ----

  private static HttpResponse<String> post(String url, String token, String account, String body,
      String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("authorization", "Bearer " + token);
    }
    if (account != null) {
      b.header("chatgpt-account-id", account);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The data JSON of each SSE event, checking that each event line names the data's type. */
  private static List<JsonNode> events(String sse) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String block : sse.split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String[] lines = block.split("\n");
      assertTrue(lines[0].startsWith("event: "), block);
      assertTrue(lines[1].startsWith("data: "), block);
      JsonNode data = JSON.readTree(lines[1].substring(6));
      assertEquals(lines[0].substring(7), data.path("type").asText());
      out.add(data);
    }
    return out;
  }

  private static void assertUsage(JsonNode u, int input, int cached, int output, int reasoning) {
    assertEquals(input, u.path("input_tokens").asInt());
    assertEquals(cached, u.path("input_tokens_details").path("cached_tokens").asInt());
    assertEquals(output, u.path("output_tokens").asInt());
    assertEquals(reasoning, u.path("output_tokens_details").path("reasoning_tokens").asInt());
    assertEquals(input + output, u.path("total_tokens").asInt());
  }

  @Test
  void codexBackendStreamsWithQuotaHeaders() throws Exception {
    mock.usedPercent(MockOpenAi.ACCOUNT_ID, 42, 7.5);
    HttpResponse<String> r = post(mock.codexBaseUrl() + "/responses", MockOpenAi.ACCESS_TOKEN, MockOpenAi.ACCOUNT_ID,
        "{\"model\":\"gpt-5-codex\",\"instructions\":\"\",\"input\":[],\"stream\":true,\"store\":false}");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
    assertEquals("42", r.headers().firstValue("x-codex-primary-used-percent").orElseThrow());
    assertEquals("300", r.headers().firstValue("x-codex-primary-window-minutes").orElseThrow());
    assertEquals("7.5", r.headers().firstValue("x-codex-secondary-used-percent").orElseThrow());
    assertEquals("10080", r.headers().firstValue("x-codex-secondary-window-minutes").orElseThrow());
    long resetAt = Long.parseLong(r.headers().firstValue("x-codex-primary-reset-at").orElseThrow());
    assertTrue(Math.abs(resetAt - System.currentTimeMillis() / 1000 - MockOpenAi.PRIMARY_RESET_AFTER_SECONDS) < 10);
    assertTrue(r.headers().firstValue("x-request-id").isPresent());
    List<JsonNode> events = events(r.body());
    JsonNode done = events.get(events.size() - 1);
    assertEquals("response.completed", done.path("type").asText());
    assertEquals("gpt-5-codex", done.path("response").path("model").asText());
    assertUsage(done.path("response").path("usage"), 1200, 200, 300, 100);
    assertEquals(1, mock.requests(MockOpenAi.ACCESS_TOKEN));
    assertEquals(1, mock.requests(MockOpenAi.ACCOUNT_ID));
  }

  @Test
  void codexBackendRefusesBadTokensAndMismatchedAccounts() throws Exception {
    String body = "{\"model\":\"gpt-5\",\"input\":[],\"stream\":true}";
    assertEquals(401, post(mock.codexBaseUrl() + "/responses", "nope", MockOpenAi.ACCOUNT_ID, body).statusCode());
    assertEquals(403, post(mock.codexBaseUrl() + "/responses", MockOpenAi.ACCESS_TOKEN, "acct-other", body)
        .statusCode());
    assertEquals(403, post(mock.codexBaseUrl() + "/responses", MockOpenAi.ACCESS_TOKEN, null, body).statusCode());
  }

  @Test
  void codexBackendQuotaErrors() throws Exception {
    HttpResponse<String> r = post(mock.codexBaseUrl() + "/responses", MockOpenAi.ACCESS_TOKEN, MockOpenAi.ACCOUNT_ID,
        "{\"model\":\"mock-429\",\"input\":[],\"stream\":true}");
    assertEquals(429, r.statusCode());
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertEquals("usage_limit_reached", error.path("type").asText());
    assertEquals("plus", error.path("plan_type").asText());
    assertEquals(3600, error.path("resets_in_seconds").asInt());
    assertEquals(List.of("100"), r.headers().allValues("x-codex-primary-used-percent"));
    assertEquals(List.of("300"), r.headers().allValues("x-codex-primary-window-minutes"));
    assertTrue(Math.abs(error.path("resets_at").asLong() - System.currentTimeMillis() / 1000 - 3600) < 10);

    r = post(mock.codexBaseUrl() + "/responses", MockOpenAi.ACCESS_TOKEN, MockOpenAi.ACCOUNT_ID,
        "{\"model\":\"mock-limit-in-stream\",\"input\":[],\"stream\":true}");
    assertEquals(200, r.statusCode());
    List<JsonNode> events = events(r.body());
    assertEquals(2, events.size());
    assertEquals("response.created", events.get(0).path("type").asText());
    assertEquals("error", events.get(1).path("type").asText());
    assertEquals("usage_limit_reached", events.get(1).path("error").path("type").asText());

    r = post(mock.codexBaseUrl() + "/responses", MockOpenAi.ACCESS_TOKEN, MockOpenAi.ACCOUNT_ID,
        "{\"model\":\"mock-limit-failed\",\"input\":[],\"stream\":true}");
    events = events(r.body());
    assertEquals(List.of("response.created", "response.failed"),
        events.stream().map(e -> e.path("type").asText()).toList());
    assertEquals("usage_limit_reached", events.get(1).path("response").path("error").path("code").asText());
    assertEquals("failed", events.get(1).path("response").path("status").asText());

    r = post(mock.codexBaseUrl() + "/responses", MockOpenAi.ACCESS_TOKEN, MockOpenAi.ACCOUNT_ID,
        "{\"model\":\"mock-500\",\"input\":[],\"stream\":true}");
    assertEquals(500, r.statusCode());
    assertEquals("server_error", JSON.readTree(r.body()).path("error").path("type").asText());
  }

  @Test
  void brokenStreamEndsWithoutCompleted() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(mock.apiBaseUrl() + "/responses"))
        .header("authorization", "Bearer " + MockOpenAi.API_KEY)
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"mock-break\",\"input\":\"hi\",\"stream\":true}"))
        .build();
    HttpResponse<InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    StringBuilder got = new StringBuilder();
    assertThrows(IOException.class, () -> {
      try (InputStream in = r.body()) {
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) >= 0) {
          got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      }
    });
    assertTrue(got.toString().contains("response.output_text.delta"));
    assertFalse(got.toString().contains("response.completed"));
  }

  @Test
  void turnStateIsEchoedOrFresh() throws Exception {
    String body = "{\"model\":\"gpt-5\",\"input\":\"hi\"}";
    HttpResponse<String> fresh = post(mock.apiBaseUrl() + "/responses", MockOpenAi.API_KEY, null, body);
    String state = fresh.headers().firstValue("x-codex-turn-state").orElseThrow();
    HttpResponse<String> echoed = post(mock.apiBaseUrl() + "/responses", MockOpenAi.API_KEY, null, body,
        "x-codex-turn-state", state);
    assertEquals(state, echoed.headers().firstValue("x-codex-turn-state").orElseThrow());
    HttpResponse<String> another = post(mock.apiBaseUrl() + "/responses", MockOpenAi.API_KEY, null, body);
    assertNotEquals(state, another.headers().firstValue("x-codex-turn-state").orElseThrow());
    assertEquals("9999", fresh.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
    assertEquals(state, mock.received().get(1).header("x-codex-turn-state"));
  }

  @Test
  void modelsListsOnBothUpstreams() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(mock.apiBaseUrl() + "/models"))
        .header("authorization", "Bearer " + MockOpenAi.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("list", JSON.readTree(r.body()).path("object").asText());
    assertEquals(3, sdk.models().list().data().size());
  }

  // ---- OAuth ----

  private static JsonNode form(String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(mock.tokenUrl()))
        .header("content-type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    ObjectNode out = (ObjectNode) JSON.readTree(r.body());
    out.put("_status", r.statusCode());
    return out;
  }

  @Test
  void oauthLoginAndRotatingRefresh() throws Exception {
    String verifier = "verifier-0123456789-0123456789-0123456789-abc";
    String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    String code = mock.issueCode(challenge, "acct-login-1", "someone@example.com");
    JsonNode login = form("grant_type=authorization_code&code=" + code + "&redirect_uri="
        + java.net.URLEncoder.encode(MockOpenAi.REDIRECT_URI, StandardCharsets.UTF_8) + "&client_id="
        + MockOpenAi.CLIENT_ID + "&code_verifier=" + verifier);
    assertEquals(200, login.path("_status").asInt(), login.toString());
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(login.path("id_token").asText().split("\\.")[1]));
    assertEquals("acct-login-1", claims.path("https://api.openai.com/auth").path("chatgpt_account_id").asText());
    assertEquals("plus", claims.path("https://api.openai.com/auth").path("chatgpt_plan_type").asText());
    assertEquals("someone@example.com", claims.path("email").asText());
    assertTrue(claims.path("exp").asLong() > System.currentTimeMillis() / 1000);

    String access1 = login.path("access_token").asText();
    String refresh1 = login.path("refresh_token").asText();
    String body = "{\"model\":\"gpt-5\",\"input\":[],\"stream\":true}";
    assertEquals(200, post(mock.codexBaseUrl() + "/responses", access1, "acct-login-1", body).statusCode());

    JsonNode refreshed = form("grant_type=refresh_token&client_id=" + MockOpenAi.CLIENT_ID + "&refresh_token="
        + refresh1 + "&scope=openid+profile+email");
    assertEquals(200, refreshed.path("_status").asInt());
    String access2 = refreshed.path("access_token").asText();
    assertNotEquals(access1, access2);
    assertNotEquals(refresh1, refreshed.path("refresh_token").asText());
    assertNotEquals(login.path("id_token").asText(), refreshed.path("id_token").asText());
    assertEquals(401, post(mock.codexBaseUrl() + "/responses", access1, "acct-login-1", body).statusCode());
    assertEquals(200, post(mock.codexBaseUrl() + "/responses", access2, "acct-login-1", body).statusCode());

    JsonNode reused = form("grant_type=refresh_token&client_id=" + MockOpenAi.CLIENT_ID + "&refresh_token="
        + refresh1);
    assertEquals(401, reused.path("_status").asInt());
    assertEquals("refresh_token_reused", reused.path("error").path("code").asText());
    assertEquals(2, mock.refreshCalls());
    assertEquals(1, mock.exchangeCalls());
    assertTrue(mock.refreshTokenLive(refreshed.path("refresh_token").asText()));

    // Tokens seeded without the login flow; codex-rs sends its refreshes as JSON.
    MockOpenAiAuth.Tokens seeded = mock.login("acct-seeded", "seeded@example.com");
    assertEquals(200, post(mock.codexBaseUrl() + "/responses", seeded.accessToken(), "acct-seeded", body).statusCode());
    HttpResponse<String> json = post(mock.tokenUrl(), null, null, "{\"client_id\":\"" + MockOpenAi.CLIENT_ID
        + "\",\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + seeded.refreshToken() + "\"}");
    assertEquals(200, json.statusCode());
    assertFalse(mock.accessTokenLive(seeded.accessToken()));
    assertEquals(3, mock.refreshCalls());
  }

  // ---- WebSocket ----

  /** Collects whole text messages. */
  private static final class Frames implements WebSocket.Listener {
    final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        texts.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    JsonNode next() throws Exception {
      String t = texts.poll(10, TimeUnit.SECONDS);
      assertNotNull(t, "no frame within 10 s");
      return JSON.readTree(t);
    }

    /** Frames up to and including the next response.completed or error. */
    List<JsonNode> untilDone() throws Exception {
      List<JsonNode> out = new ArrayList<>();
      while (true) {
        JsonNode f = next();
        out.add(f);
        String type = f.path("type").asText();
        if (type.equals("response.completed") || type.equals("error")) {
          return out;
        }
      }
    }
  }

  private static WebSocket connect(String url, Frames frames, String token, String account) {
    WebSocket.Builder b = HTTP.newWebSocketBuilder().header("authorization", "Bearer " + token)
        .header("openai-beta", "responses_websockets=2026-02-06");
    if (account != null) {
      b.header("chatgpt-account-id", account);
    }
    return b.buildAsync(URI.create(url), frames).join();
  }

  @Test
  void webSocketOnTheApi() throws Exception {
    Frames frames = new Frames();
    WebSocket ws = connect(mock.webSocketUrl(MockOpenAi.Kind.API), frames, MockOpenAi.API_KEY, null);
    assertEquals(1, mock.upgrades(MockOpenAi.API_KEY));

    ws.sendText("{\"type\":\"response.create\",\"model\":\"gpt-5\",\"generate\":false,\"input\":[]}", true).join();
    List<JsonNode> prewarm = frames.untilDone();
    assertEquals(2, prewarm.size());
    assertEquals("response.created", prewarm.get(0).path("type").asText());
    assertUsage(prewarm.get(1).path("response").path("usage"), 0, 0, 0, 0);
    String prewarmId = prewarm.get(1).path("response").path("id").asText();

    ws.sendText("{\"type\":\"response.create\",\"model\":\"gpt-5\",\"previous_response_id\":\"" + prewarmId
        + "\",\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}]}",
        true).join();
    List<JsonNode> turn = frames.untilDone();
    assertEquals(13, turn.size());
    StringBuilder text = new StringBuilder();
    turn.stream().filter(f -> f.path("type").asText().equals("response.output_text.delta"))
        .forEach(f -> text.append(f.path("delta").asText()));
    assertEquals(MockOpenAi.TEXT, text.toString());
    JsonNode done = turn.get(turn.size() - 1).path("response");
    assertEquals(prewarmId, done.path("previous_response_id").asText());
    assertUsage(done.path("usage"), 1200, 200, 300, 100);

    ws.sendText("{\"type\":\"response.create\",\"model\":\"gpt-5\",\"previous_response_id\":\"resp_elsewhere\","
        + "\"input\":[]}", true).join();
    JsonNode missing = frames.next();
    assertEquals("error", missing.path("type").asText());
    assertEquals(400, missing.path("status").asInt());
    assertEquals("previous_response_not_found", missing.path("error").path("code").asText());

    ws.sendText("{\"type\":\"response.create\",\"model\":\"mock-429\",\"input\":[]}", true).join();
    JsonNode limited = frames.next();
    assertEquals(429, limited.path("status").asInt());
    assertEquals("rate_limit_exceeded", limited.path("error").path("code").asText());
    assertEquals("20", limited.path("headers").path("retry-after").asText());
    assertEquals(4, mock.requests(MockOpenAi.API_KEY));

    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();

    // A response id from another connection is unknown on a new one.
    Frames other = new Frames();
    WebSocket ws2 = connect(mock.webSocketUrl(MockOpenAi.Kind.API), other, MockOpenAi.API_KEY, null);
    ws2.sendText("{\"type\":\"response.create\",\"model\":\"gpt-5\",\"previous_response_id\":\"" + prewarmId
        + "\",\"input\":[]}", true).join();
    assertEquals("previous_response_not_found", other.next().path("error").path("code").asText());
    ws2.abort();
    assertEquals(2, mock.upgrades(MockOpenAi.API_KEY));
  }

  @Test
  void webSocketOnTheCodexBackend() throws Exception {
    Frames frames = new Frames();
    WebSocket ws = connect(mock.webSocketUrl(MockOpenAi.Kind.CODEX), frames, MockOpenAi.ACCESS_TOKEN,
        MockOpenAi.ACCOUNT_ID);
    ws.sendText("{\"type\":\"response.create\",\"model\":\"gpt-5-codex\",\"input\":[]}", true).join();
    List<JsonNode> turn = frames.untilDone();
    assertEquals("codex.rate_limits", turn.get(0).path("type").asText());
    assertEquals(300, turn.get(0).path("rate_limits").path("primary").path("window_minutes").asInt());
    assertEquals(10080, turn.get(0).path("rate_limits").path("secondary").path("window_minutes").asInt());
    assertUsage(turn.get(turn.size() - 1).path("response").path("usage"), 1200, 200, 300, 100);

    ws.sendText("{\"type\":\"response.create\",\"model\":\"mock-429\",\"input\":[]}", true).join();
    JsonNode limited = frames.next();
    assertEquals("error", limited.path("type").asText());
    assertEquals(429, limited.path("status").asInt());
    assertEquals("usage_limit_reached", limited.path("error").path("type").asText());
    assertEquals(3600, limited.path("error").path("resets_in_seconds").asInt());
    assertEquals("100", limited.path("headers").path("x-codex-primary-used-percent").asText());

    mock.failWith(MockOpenAi.ACCOUNT_ID, 429);
    ws.sendText("{\"type\":\"response.create\",\"model\":\"gpt-5-codex\",\"input\":[]}", true).join();
    assertEquals(429, frames.next().path("status").asInt());
    ws.abort();

    // A refused upgrade is a normal HTTP error.
    CompletionException refused = assertThrows(CompletionException.class, () -> connect(
        mock.webSocketUrl(MockOpenAi.Kind.CODEX), new Frames(), MockOpenAi.ACCESS_TOKEN, MockOpenAi.ACCOUNT_ID));
    assertEquals(429, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    mock.failWith(MockOpenAi.ACCOUNT_ID, 0);
    CompletionException badToken = assertThrows(CompletionException.class, () -> connect(
        mock.webSocketUrl(MockOpenAi.Kind.CODEX), new Frames(), "not-a-token", MockOpenAi.ACCOUNT_ID));
    assertEquals(401, ((WebSocketHandshakeException) badToken.getCause()).getResponse().statusCode());
    assertEquals(1, mock.upgrades(MockOpenAi.ACCESS_TOKEN));
    assertEquals(1, mock.upgrades());
  }

  @Test
  void webSocketAnswersPings() throws Exception {
    LinkedBlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    WebSocket ws = HTTP.newWebSocketBuilder().header("authorization", "Bearer " + MockOpenAi.API_KEY)
        .buildAsync(URI.create(mock.webSocketUrl(MockOpenAi.Kind.API)), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onPong(WebSocket w, java.nio.ByteBuffer message) {
            pongs.add(StandardCharsets.UTF_8.decode(message).toString());
            w.request(1);
            return null;
          }
        }).join();
    ws.sendPing(java.nio.ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).join();
    assertEquals("are you there", pongs.poll(10, TimeUnit.SECONDS));
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
  }
}
