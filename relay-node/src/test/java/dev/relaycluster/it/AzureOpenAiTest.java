package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.relaycluster.protocol.pricing.CostCalculator;
import dev.relaycluster.protocol.pricing.PriceTable;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.testing.MockAzureOpenAi;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.MockOpenAiChatBodies;
import dev.relaycluster.testing.MockOpenAiEvents;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Azure OpenAI accounts end to end, against a mock resource on Azure's wire ({@link MockAzureOpenAi}): the
 * official OpenAI SDK points at the relay as at OpenAI; Responses and Chat Completions go up as they are on the
 * v1 API and on the classic one with an api-version, with the deployment as the model and the {@code api-key}
 * header; Azure's filter chunks reach Chat clients unchanged; usage exact to the token, priced as the deployment's
 * model; a missing deployment blocks its account and the request fails over, a 429 cools it as long as
 * {@code retry-after-ms} says; an Anthropic client is converted; Codex's WebSocket is refused so it stays on HTTP.
 * Each key is bound to one account, so the accounts' states do not mix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AzureOpenAiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String VERSION = "2025-04-01-preview";

  MockAzureOpenAi azure;
  TestNode node;
  /** v1 API, deployment "prod-mini" serving gpt-5-mini, the account says so. */
  String v1Account;
  /** classic API with an api-version, deployment "classic-gpt5" that answers under its own name. */
  String classicAccount;
  /** a deployment the resource does not have. */
  String missingAccount;
  /** a deployment that is rate limited. */
  String busyAccount;

  @BeforeAll
  void start() throws Exception {
    azure = new MockAzureOpenAi().deploy("prod-mini", "gpt-5-mini-2025-08-07").deploy("classic-gpt5", "classic-gpt5")
        .deploy("busy", "gpt-5-2025-08-07");
    azure.rateLimit("busy", 7_500);
    node = TestNode.embedded(Files.createTempDirectory("relay-azure-"), Map.of());
    v1Account = account("v1", "prod-mini", null, "gpt-5-mini", 10);
    classicAccount = account("classic", "classic-gpt5", VERSION, null, 20);
    missingAccount = account("missing", "gone", null, null, 30);
    busyAccount = account("busy", "busy", VERSION, null, 40);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (azure != null) {
      azure.close();
    }
  }

  @BeforeEach
  void clearMock() {
    azure.clear();
  }

  private String account(String name, String deployment, String apiVersion, String model, int priority)
      throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", "azure-" + name).put("platform", "openai")
        .put("type", "azure-openai").put("endpoint", azure.endpoint()).put("apiKey", MockAzureOpenAi.API_KEY)
        .put("deployment", deployment).put("priority", priority);
    if (apiVersion != null) {
      body.put("apiVersion", apiVersion);
    }
    if (model != null) {
      body.put("model", model);
    }
    return node.admin("POST", "/admin/api/accounts", body).get("id").asText();
  }

  /** A key bound to one account of the openai pool; {@code fallback}: other accounts may serve it too. */
  private JsonNode key(String accountId, boolean fallback, String claudeTo) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", "azure-" + UUID.randomUUID());
    body.putObject("bindings").putObject("openai").put("accountId", accountId).put("fallbackToPool", fallback);
    if (claudeTo != null) {
      body.putArray("modelMap").addObject().put("match", "claude-*").put("pool", "openai").put("model", claudeTo);
    }
    return node.admin("POST", "/admin/api/keys", body);
  }

  private OpenAIClient sdk(JsonNode key) {
    return OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/v1").apiKey(key.get("key").asText())
        .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
  }

  private List<JsonNode> rows(JsonNode key, int n) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    node.awaitRequests(key.get("id").asText(), r -> r.size() == n).forEach(out::add);
    out.sort(Comparator.comparingLong(r -> r.get("startedAt").asLong()));
    return out;
  }

  private JsonNode accountState(String id) throws Exception {
    return node.admin("GET", "/admin/api/accounts/" + id, null);
  }

  /** Polls the account until {@code state} (its health reports are told, not asked). */
  private JsonNode awaitState(String id, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonNode a = accountState(id);
    while (!a.get("state").asText().equals(state) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      a = accountState(id);
    }
    return a;
  }

  private HttpResponse<String> raw(String path, JsonNode key, String body) throws Exception {
    return node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json").header("authorization", "Bearer " + key.get("key").asText())
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<MockOpenAi.Received> posts(String deployment) {
    List<MockOpenAi.Received> out = new ArrayList<>();
    for (MockOpenAi.Received r : azure.received()) {
      if (r.method().equals("POST") && (r.json().path("model").asText().equals(deployment)
          || r.path().contains("/deployments/" + deployment + "/"))) {
        out.add(r);
      }
    }
    return out;
  }

  /** A row exact to the token and priced as {@code pricedAs} from the bundled table. */
  private static void assertPriced(JsonNode row, String accountId, String pricedAs, TokenUsage usage) {
    assertEquals(accountId, row.get("accountId").asText(), row.toString());
    assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
    assertEquals(usage.inputTokens(), row.get("inputTokens").asLong(), row.toString());
    assertEquals(usage.cacheReadTokens(), row.get("cacheReadTokens").asLong(), row.toString());
    assertEquals(usage.outputTokens(), row.get("outputTokens").asLong(), row.toString());
    PriceTable table = PriceTable.bundled();
    long expected = CostCalculator.cost(table.price(pricedAs, (String) null), usage, 1.0).totalMicros();
    assertTrue(expected > 0);
    assertEquals(expected, row.get("costMicros").asLong(), "priced as " + pricedAs + ": " + row);
  }

  static final TokenUsage RESPONSES_USAGE = new TokenUsage(MockOpenAi.INPUT_TOKENS - MockOpenAi.CACHED_TOKENS,
      MockOpenAi.OUTPUT_TOKENS, MockOpenAi.CACHED_TOKENS, 0, 0);
  static final TokenUsage CHAT_USAGE = new TokenUsage(MockOpenAiChatBodies.PROMPT_TOKENS
      - MockOpenAiChatBodies.CACHED_TOKENS, MockOpenAiChatBodies.COMPLETION_TOKENS, MockOpenAiChatBodies.CACHED_TOKENS,
      0, 0);

  static String text(Response r) {
    StringBuilder s = new StringBuilder();
    r.output().forEach(item -> item.message().ifPresent(m -> m.content().forEach(
        c -> c.outputText().ifPresent(t -> s.append(t.text())))));
    return s.toString();
  }

  @Test
  void responsesOnTheV1ApiStreamedAndWholePricedAsTheDeploymentsModel() throws Exception {
    JsonNode key = key(v1Account, false, null);
    OpenAIClient sdk = sdk(key);
    try {
      Response whole = sdk.responses().create(ResponseCreateParams.builder().model("gpt-5").input("say hi").build());
      assertEquals(MockOpenAiEvents.TEXT, text(whole));
      assertTrue(String.valueOf(whole.model()).contains("gpt-5-mini-2025-08-07"), "upstream's answer as it is");
      ResponseAccumulator acc = ResponseAccumulator.create();
      StringBuilder deltas = new StringBuilder();
      try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(
          ResponseCreateParams.builder().model("gpt-5").input("say hi").build())) {
        stream.stream().forEach(e -> {
          acc.accumulate(e);
          e.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
        });
      }
      assertEquals(MockOpenAiEvents.TEXT, deltas.toString());
      assertEquals(MockOpenAi.OUTPUT_TOKENS, acc.response().usage().orElseThrow().outputTokens());
    } finally {
      sdk.close();
    }
    List<MockOpenAi.Received> sent = posts("prod-mini");
    assertEquals(2, sent.size());
    for (MockOpenAi.Received r : sent) {
      assertEquals("/openai/v1/responses", r.target(), "the v1 API, no api-version");
      assertEquals(MockAzureOpenAi.API_KEY, r.header("api-key"));
      assertNull(r.header("authorization"), "never a bearer token to Azure");
      assertNull(r.header("x-api-key"));
      assertEquals("say hi", r.json().path("input").asText());
    }
    for (JsonNode row : rows(key, 2)) {
      assertPriced(row, v1Account, "gpt-5-mini", RESPONSES_USAGE);
      assertEquals("gpt-5", row.get("model").asText(), "the client's model");
      assertEquals("gpt-5-mini", row.get("servedModel").asText(), "the account's model setting");
      assertEquals("responses", row.get("endpoint").asText());
    }
  }

  @Test
  void chatOnTheClassicApiWithFilterResultsPassedThroughAndTheUsageChunkHidden() throws Exception {
    JsonNode key = key(classicAccount, false, null);
    OpenAIClient sdk = sdk(key);
    try {
      ChatCompletion whole = sdk.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-5")
          .addUserMessage("say hi").build());
      assertEquals(MockOpenAiEvents.TEXT, whole.choices().get(0).message().content().orElseThrow());
      assertTrue(whole._additionalProperties().containsKey("prompt_filter_results"), "Azure's fields pass");
      ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
      List<ChatCompletionChunk> seen = new ArrayList<>();
      try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(
          ChatCompletionCreateParams.builder().model("gpt-5").addUserMessage("say hi").build())) {
        stream.stream().forEach(c -> {
          seen.add(c);
          if (!c.choices().isEmpty()) {
            acc.accumulate(c);
          }
        });
      }
      assertTrue(seen.get(0).choices().isEmpty(), "the prompt filter chunk first, as Azure sent it");
      assertEquals(MockOpenAiEvents.TEXT, acc.chatCompletion().choices().get(0).message().content().orElseThrow());
      assertEquals(0, seen.stream().filter(c -> c.usage().isPresent()).count(), "the client did not ask for usage");
    } finally {
      sdk.close();
    }
    HttpResponse<String> stream = raw("/v1/chat/completions", key,
        "{\"model\":\"gpt-5\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"say hi\"}]}");
    assertEquals(200, stream.statusCode(), stream.body());
    assertTrue(stream.body().startsWith("data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
        + "\"prompt_filter_results\":[{\"prompt_index\":0,"), stream.body());
    assertTrue(stream.body().contains("\"content_filter_results\":{\"hate\":{\"filtered\":false"), stream.body());
    assertFalse(stream.body().contains("\"usage\":{"), "the usage chunk the relay asked for is hidden");
    assertTrue(stream.body().endsWith("data: [DONE]\n\n"));

    List<MockOpenAi.Received> sent = posts("classic-gpt5");
    assertEquals(3, sent.size());
    for (MockOpenAi.Received r : sent) {
      assertEquals("/openai/deployments/classic-gpt5/chat/completions?api-version=" + VERSION, r.target());
      assertEquals(MockAzureOpenAi.API_KEY, r.header("api-key"));
      assertNull(r.header("authorization"));
      assertEquals("classic-gpt5", r.json().path("model").asText());
    }
    assertTrue(sent.get(1).json().path("stream_options").path("include_usage").asBoolean(), "asked for the ledger");
    for (JsonNode row : rows(key, 3)) {
      // Upstream named only the deployment and the account no model: the client's model is priced.
      assertPriced(row, classicAccount, "gpt-5", CHAT_USAGE);
      assertEquals("chat/completions", row.get("endpoint").asText());
    }
  }

  @Test
  void responsesOnTheClassicApiGoToTheResourcesResponsesPath() throws Exception {
    JsonNode key = key(classicAccount, false, null);
    HttpResponse<String> r = raw("/v1/responses", key, "{\"model\":\"gpt-5\",\"input\":\"hi\"}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("/openai/responses?api-version=" + VERSION, posts("classic-gpt5").get(0).target());
    assertPriced(rows(key, 1).get(0), classicAccount, "gpt-5", RESPONSES_USAGE);
  }

  @Test
  void aFilteredPromptIsTheClientsErrorAndLeavesTheAccountAlone() throws Exception {
    JsonNode key = key(v1Account, false, null);
    HttpResponse<String> r = raw("/v1/chat/completions", key, "{\"model\":\"gpt-5\",\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"" + MockAzureOpenAi.FILTER_TRIGGER + "\"}]}");
    assertEquals(400, r.statusCode(), r.body());
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertEquals("content_filter", error.path("code").asText(), r.body());
    assertEquals("ResponsibleAIPolicyViolation", error.path("innererror").path("code").asText(), r.body());
    JsonNode a = accountState(v1Account);
    assertEquals("active", a.get("state").asText(), a.toString());
    assertTrue(a.get("cooldowns").isEmpty(), a.toString());
  }

  @Test
  void aMissingDeploymentBlocksItsAccountAndTheRequestFailsOver() throws Exception {
    JsonNode key = key(missingAccount, true, null);
    OpenAIClient sdk = sdk(key);
    try {
      Response r = sdk.responses().create(ResponseCreateParams.builder().model("gpt-5").input("hi").build());
      assertEquals(MockOpenAiEvents.TEXT, text(r), "served by another account");
      JsonNode blocked = awaitState(missingAccount, "blocked");
      assertEquals("blocked", blocked.get("state").asText(), blocked.toString());
      assertTrue(blocked.get("stateReason").asText().contains("deployment does not exist"), blocked.toString());
      assertTrue(blocked.get("stateReason").asText().contains("DeploymentNotFound")
          || blocked.get("stateReason").asText().contains(MockAzureOpenAi.NOT_FOUND_MESSAGE), blocked.toString());
      sdk.responses().create(ResponseCreateParams.builder().model("gpt-5").input("hi").build());
    } finally {
      sdk.close();
    }
    assertEquals(1, azure.calls("gone"), "a blocked account gets no more requests");
    for (JsonNode row : rows(key, 2)) {
      assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
      assertNotEquals(missingAccount, row.get("accountId").asText(), row.toString());
    }
  }

  @Test
  void aRateLimitCoolsTheAccountAsLongAsRetryAfterMsSays() throws Exception {
    JsonNode key = key(busyAccount, true, null);
    long before = System.currentTimeMillis();
    HttpResponse<String> r = raw("/v1/chat/completions", key, "{\"model\":\"gpt-5\",\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"hi\"}]}");
    long after = System.currentTimeMillis();
    assertEquals(200, r.statusCode(), "failed over: " + r.body());
    assertEquals(1, azure.calls("busy"));
    JsonNode a = awaitState(busyAccount, "cooling");
    JsonNode mark = a.get("cooldowns").get(0);
    assertEquals(429, mark.get("status").asInt(), a.toString());
    long until = Instant.parse(mark.get("until").asText()).toEpochMilli();
    // retry-after-ms 7500, whole seconds rounded up: 8 s from when the answer came.
    assertTrue(until >= before + 8_000 && until <= after + 8_000, "until " + until + " in [" + before + ", " + after
        + "] + 8 s: " + mark);
    assertTrue(mark.get("reason").asText().contains("retry after 8 s"), mark.toString());
    assertNotEquals(busyAccount, rows(key, 1).get(0).get("accountId").asText());
  }

  @Test
  void anAnthropicClientOnlyOnAnAzureAccountIsConvertedToResponses() throws Exception {
    JsonNode key = key(v1Account, false, "gpt-5");
    AnthropicClient sdk = AnthropicOkHttpClient.builder().baseUrl(node.baseUrl() + "/api")
        .apiKey(key.get("key").asText()).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    try {
      Message whole = sdk.messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(1024)
          .addUserMessage("hello").build());
      StringBuilder text = new StringBuilder();
      whole.content().forEach(b -> b.text().ifPresent(t -> text.append(t.text())));
      assertEquals(MockOpenAiEvents.TEXT, text.toString());
      assertEquals("claude-sonnet-4-5", whole.model().asString());
      MessageAccumulator acc = MessageAccumulator.create();
      try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> s = sdk.messages().createStreaming(
          MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(1024).addUserMessage("hello").build())) {
        s.stream().forEach(acc::accumulate);
      }
      StringBuilder streamed = new StringBuilder();
      acc.message().content().forEach(b -> b.text().ifPresent(t -> streamed.append(t.text())));
      assertEquals(MockOpenAiEvents.TEXT, streamed.toString());
      assertEquals(MockOpenAi.OUTPUT_TOKENS, acc.message().usage().outputTokens());
    } finally {
      sdk.close();
    }
    List<MockOpenAi.Received> sent = posts("prod-mini");
    assertTrue(sent.size() >= 2);
    MockOpenAi.Received last = sent.get(sent.size() - 1);
    assertEquals("/openai/v1/responses", last.target(), "converted to Responses");
    assertEquals(MockAzureOpenAi.API_KEY, last.header("api-key"));
    assertNull(last.header("anthropic-version"), "the client's dialect headers stay behind");
    for (JsonNode row : rows(key, 2)) {
      assertPriced(row, v1Account, "gpt-5-mini", RESPONSES_USAGE);
      assertEquals("anthropic", row.get("clientDialect").asText());
      assertEquals("openai-responses", row.get("upstreamDialect").asText());
    }
  }

  /**
   * Azure has no compaction endpoint: the platform does not serve it, so the relay's converter carries a
   * compaction as it does for every platform without one (read as a conversation, sent as a plain Responses
   * request); nothing is ever sent to a compact path of the resource.
   */
  @Test
  void compactionNeverReachesACompactPathOfTheResource() throws Exception {
    JsonNode key = key(v1Account, false, null);
    HttpResponse<String> r = raw("/v1/responses/compact", key, "{\"model\":\"gpt-5\",\"input\":[{\"type\":"
        + "\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}]}");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("x-relay-converted").isPresent(), "carried by the converter");
    List<MockOpenAi.Received> sent = posts("prod-mini");
    assertEquals(1, sent.size());
    assertEquals("/openai/v1/responses", sent.get(0).target());
  }

  @Test
  void codexsWebSocketIsRefusedSoItStaysOnHttp() throws Exception {
    JsonNode key = key(v1Account, false, null);
    String url = node.baseUrl().replace("http", "ws") + "/openai/v1/responses";
    var refused = node.http().newWebSocketBuilder().header("authorization", "Bearer " + key.get("key").asText())
        .buildAsync(URI.create(url), new WebSocket.Listener() {});
    Throwable failure = refused.handle((s, t) -> t).get(20, TimeUnit.SECONDS);
    assertTrue(failure != null && failure.getCause() instanceof WebSocketHandshakeException, String.valueOf(failure));
    int status = ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
    assertTrue(status == 404 || status == 426, "a status Codex falls back to HTTP on: " + status);
    assertEquals("active", accountState(v1Account).get("state").asText(), "nothing held against the account");
  }

  @Test
  void theAdminsTestCallsTheDeployment() throws Exception {
    int before = azure.calls("prod-mini");
    JsonNode result = node.admin("POST", "/admin/api/accounts/" + v1Account + "/test", null);
    assertTrue(result.get("ok").asBoolean(), result.toString());
    assertEquals(before + 1, azure.calls("prod-mini"));
    String misnamed = account("misnamed", "no-such-deployment", VERSION, null, 90);
    JsonNode failed = node.admin("POST", "/admin/api/accounts/" + misnamed + "/test", null);
    assertFalse(failed.get("ok").asBoolean(), failed.toString());
    assertEquals(404, failed.get("status").asInt(), failed.toString());
    assertEquals("blocked", awaitState(misnamed, "blocked").get("state").asText());
  }
}
