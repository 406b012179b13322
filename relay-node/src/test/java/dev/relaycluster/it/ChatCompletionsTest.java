package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.MockOpenAiChatBodies;
import dev.relaycluster.testing.MockOpenAiEvents;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenAI Chat Completions as a client dialect, end to end on an OpenAI API-key account (which takes Chat as
 * it is): the official OpenAI Java SDK and raw HTTP through {@code /v1/chat/completions} and
 * {@code /openai/v1/chat/completions}, streamed and whole, a tool-call round trip, the usage chunk asked for
 * on the client's behalf and hidden again, the ledger exact to the token, OpenAI-shaped errors, and the
 * model lists of both formats at {@code /v1/models}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatCompletionsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MODEL = "gpt-4.1";
  static final String PATH = "/v1/chat/completions";

  Path dataDir;
  MockOpenAi mock;
  TestNode node;
  String account;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("relay-chat-it-");
    mock = new MockOpenAi();
    node = TestNode.embedded(dataDir, Map.of());
    ObjectNode body = JSON.createObjectNode().put("name", "api").put("platform", "openai").put("type", "openai-api")
        .put("baseUrl", mock.baseUrl()).put("apiKey", MockOpenAi.API_KEY).put("priority", 10);
    account = node.admin("POST", "/admin/api/accounts", body).get("id").asText();
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

  @BeforeEach
  void clearMock() {
    mock.clear();
  }

  JsonNode key() throws Exception {
    return node.createKey("chat-" + UUID.randomUUID(), 0);
  }

  JsonNode key(String settings) throws Exception {
    ObjectNode body = (ObjectNode) JSON.readTree(settings);
    body.put("name", "chat-" + UUID.randomUUID());
    return node.admin("POST", "/admin/api/keys", body);
  }

  OpenAIClient sdk(JsonNode key, String path) {
    return OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + path).apiKey(key.get("key").asText())
        .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
  }

  /** The one request-log row of a key, checked for the text answer's usage exact to the token. */
  JsonNode ledgered(JsonNode key, int prompt, int cached, int completion, boolean stream) throws Exception {
    JsonNode row = node.awaitRequests(key.get("id").asText(), rows -> rows.size() == 1).get(0);
    assertEquals(account, row.get("accountId").asText());
    assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
    assertEquals("chat/completions", row.get("endpoint").asText());
    assertEquals("openai", row.get("pool").asText());
    assertEquals(MODEL, row.get("servedModel").asText());
    assertEquals(stream, row.get("stream").asBoolean());
    assertTrue(row.get("complete").asBoolean());
    assertEquals(prompt - cached, row.get("inputTokens").asLong());
    assertEquals(cached, row.get("cacheReadTokens").asLong());
    assertEquals(completion, row.get("outputTokens").asLong());
    assertTrue(row.get("costMicros").asLong() > 0, "priced from the table: " + row);
    return row;
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

  // ---- answers

  @Test
  void theSdkGetsAWholeAnswerOnBothPathsAndTheLedgerIsExact() throws Exception {
    for (String path : List.of("/v1", "/openai/v1")) {
      mock.clear();
      JsonNode key = key();
      OpenAIClient sdk = sdk(key, path);
      try {
        ChatCompletion c = sdk.chat().completions().create(ChatCompletionCreateParams.builder().model(MODEL)
            .addSystemMessage("Be brief.").addUserMessage("say hi").build());
        assertEquals(MockOpenAiEvents.TEXT, c.choices().get(0).message().content().orElseThrow());
        assertEquals(MockOpenAiChatBodies.PROMPT_TOKENS, c.usage().orElseThrow().promptTokens());
      } finally {
        sdk.close();
      }
      assertEquals(1, mock.pathHits(PATH), path);
      assertEquals("Bearer " + MockOpenAi.API_KEY, mock.lastHeaders(MockOpenAi.API_KEY).get("authorization"));
      assertFalse(mock.last(MockOpenAi.API_KEY).json().has("stream_options"), "a whole answer is not asked for usage");
      ledgered(key, MockOpenAiChatBodies.PROMPT_TOKENS, MockOpenAiChatBodies.CACHED_TOKENS,
          MockOpenAiChatBodies.COMPLETION_TOKENS, false);
    }
  }

  @Test
  void aStreamThatDidNotAskForUsageIsAskedOnItsBehalfAndDoesNotSeeIt() throws Exception {
    JsonNode key = key();
    String body = "{\"model\":\"" + MODEL + "\", \"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> r = raw("POST", PATH, key.get("key").asText(), body, Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    // Upstream got the client's bytes with the flag put first; the client gets OpenAI's stream without the usage
    // chunk (each chunk keeps the "usage":null OpenAI adds once asked).
    assertEquals("{\"stream_options\":{\"include_usage\":true}," + body.substring(1), mock.lastBody(MockOpenAi.API_KEY));
    String id = JSON.readTree(r.body().substring(6, r.body().indexOf('\n'))).get("id").asText();
    List<ObjectNode> chunks = MockOpenAiChatBodies.textChunks(id, MODEL, MockOpenAiEvents.TEXT_DELTAS, true);
    assertEquals(MockOpenAiChatBodies.sse(chunks.subList(0, chunks.size() - 1), true), r.body());
    ledgered(key, MockOpenAiChatBodies.PROMPT_TOKENS, MockOpenAiChatBodies.CACHED_TOKENS,
        MockOpenAiChatBodies.COMPLETION_TOKENS, true);
  }

  @Test
  void aStreamThatAskedForUsagePassesByteForByte() throws Exception {
    JsonNode key = key();
    String body = "{\"model\":\"" + MODEL + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> r = raw("POST", "/openai/v1/chat/completions", key.get("key").asText(), body, Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(body, mock.lastBody(MockOpenAi.API_KEY));
    String id = JSON.readTree(r.body().substring(6, r.body().indexOf('\n'))).get("id").asText();
    assertEquals(MockOpenAiChatBodies.sse(MockOpenAiChatBodies.textChunks(id, MODEL, MockOpenAiEvents.TEXT_DELTAS,
        true), true), r.body());
    ledgered(key, MockOpenAiChatBodies.PROMPT_TOKENS, MockOpenAiChatBodies.CACHED_TOKENS,
        MockOpenAiChatBodies.COMPLETION_TOKENS, true);
  }

  @Test
  void theSdkStreamsWithAndWithoutIncludeUsage() throws Exception {
    for (boolean includeUsage : new boolean[] {false, true}) {
      JsonNode key = key();
      ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(MODEL)
          .addUserMessage("say hi");
      if (includeUsage) {
        params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
      }
      ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
      List<ChatCompletionChunk> seen = new ArrayList<>();
      OpenAIClient sdk = sdk(key, "/v1");
      try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(params.build())) {
        stream.stream().forEach(c -> {
          seen.add(c);
          acc.accumulate(c);
        });
      } finally {
        sdk.close();
      }
      ChatCompletion whole = acc.chatCompletion();
      assertEquals(MockOpenAiEvents.TEXT, whole.choices().get(0).message().content().orElseThrow());
      assertEquals(ChatCompletion.Choice.FinishReason.STOP, whole.choices().get(0).finishReason());
      long usageChunks = seen.stream().filter(c -> c.usage().isPresent()).count();
      assertEquals(includeUsage ? 1 : 0, usageChunks, "the usage chunk only for a client that asked");
      if (includeUsage) {
        assertEquals(MockOpenAiChatBodies.PROMPT_TOKENS, whole.usage().orElseThrow().promptTokens());
      }
      ledgered(key, MockOpenAiChatBodies.PROMPT_TOKENS, MockOpenAiChatBodies.CACHED_TOKENS,
          MockOpenAiChatBodies.COMPLETION_TOKENS, true);
    }
  }

  @Test
  void aToolCallRoundTripWholeAndStreamed() throws Exception {
    ChatCompletionFunctionTool tool = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
        .name("get_weather").description("The weather in a city")
        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
            .build()).build()).build();
    for (boolean streamed : new boolean[] {false, true}) {
      JsonNode key = key();
      OpenAIClient sdk = sdk(key, "/openai/v1");
      try {
        ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model(MODEL).addTool(tool)
            .addUserMessage("MOCK_TOOL: what is the weather in Paris?").build();
        ChatCompletionMessage asked;
        if (streamed) {
          ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
          List<Long> indexes = new ArrayList<>();
          try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(first)) {
            s.stream().forEach(c -> {
              acc.accumulate(c);
              c.choices().forEach(ch -> ch.delta().toolCalls().ifPresent(calls -> calls.forEach(
                  call -> indexes.add(call.index()))));
            });
          }
          assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L), indexes);
          assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, acc.chatCompletion().choices().get(0).finishReason());
          asked = acc.chatCompletion().choices().get(0).message();
        } else {
          ChatCompletion c = sdk.chat().completions().create(first);
          assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, c.choices().get(0).finishReason());
          asked = c.choices().get(0).message();
        }
        ChatCompletionMessageFunctionToolCall call = asked.toolCalls().orElseThrow().get(0).function().orElseThrow();
        assertEquals("get_weather", call.function().name());
        assertEquals(MockOpenAiChatBodies.TOOL_ARGUMENTS, call.function().arguments());
        ChatCompletion answer = sdk.chat().completions().create(first.toBuilder().addMessage(asked)
            .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18 C, sunny").build())
            .build());
        assertEquals(MockOpenAiEvents.TOOL_RESULT_PREFIX + "18 C, sunny",
            answer.choices().get(0).message().content().orElseThrow());
        JsonNode sent = mock.last(MockOpenAi.API_KEY).json().get("messages");
        assertEquals(call.id(), sent.get(1).get("tool_calls").get(0).get("id").asText());
        assertEquals(call.id(), sent.get(2).get("tool_call_id").asText());
      } finally {
        sdk.close();
      }
      List<JsonNode> rows = new ArrayList<>();
      node.awaitRequests(key.get("id").asText(), r -> r.size() == 2).forEach(rows::add);
      long toolRows = rows.stream().filter(r -> r.get("inputTokens").asLong() == MockOpenAiChatBodies.TOOL_PROMPT_TOKENS
          && r.get("outputTokens").asLong() == MockOpenAiChatBodies.TOOL_COMPLETION_TOKENS).count();
      long textRows = rows.stream().filter(r -> r.get("inputTokens").asLong()
          == MockOpenAiChatBodies.PROMPT_TOKENS - MockOpenAiChatBodies.CACHED_TOKENS
          && r.get("cacheReadTokens").asLong() == MockOpenAiChatBodies.CACHED_TOKENS).count();
      assertEquals(1, toolRows, rows.toString());
      assertEquals(1, textRows, rows.toString());
    }
  }

  // ---- errors

  @Test
  void badInputIsRefusedInOpenAisShapeAndReachesNoUpstream() throws Exception {
    String key = key().get("key").asText();
    assertError(raw("POST", PATH, key, "{not json", Map.of()), 400, "invalid_request_error", null,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP"
            + " library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)");
    assertError(raw("POST", PATH, key, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of()), 400,
        "invalid_request_error", null, "Missing required parameter: 'model'.");
    assertError(raw("POST", "/openai/v1/chat/completions", key, "{\"model\":\"" + MODEL + "\"}", Map.of()), 400,
        "invalid_request_error", null, "Missing required parameter: 'messages'.");
    assertError(raw("POST", PATH, key, "{\"model\":\"llama-3-70b\",\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"hi\"}]}", Map.of()), 404, "invalid_request_error", null, "model 'llama-3-70b' is not served by this relay");
    assertError(raw("GET", PATH, key, null, Map.of()), 405, "invalid_request_error", null,
        "method not allowed: use POST");
    assertError(raw("PUT", "/api/v1/chat/completions", key, "{}", Map.of()), 405, "invalid_request_error", null,
        "method not allowed: use POST");
    assertError(raw("POST", PATH, null, "{}", Map.of()), 401, "invalid_request_error", "invalid_api_key",
        "missing API key: send it in x-api-key or Authorization: Bearer");
    assertEquals(0, mock.received().size(), "refused requests reach no upstream");
    OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/v1").apiKey("cr_" + "0".repeat(64))
        .maxRetries(0).build();
    try {
      UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> sdk.chat().completions().create(
          ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("hi").build()));
      assertEquals(401, e.statusCode());
    } finally {
      sdk.close();
    }
  }

  @Test
  void anUpstreamRequestErrorPassesThroughAsOpenAiSentIt() throws Exception {
    String key = key().get("key").asText();
    HttpResponse<String> r = raw("POST", PATH, key, "{\"model\":\"gpt-mock-context\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"long\"}]}", Map.of());
    assertEquals(400, r.statusCode());
    assertEquals("{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens. However, your "
        + "messages resulted in 131072 tokens. Please reduce the length of the messages.\",\"type\":"
        + "\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}", r.body());
  }

  @Test
  void aStreamCutUpstreamEndsWithAnOpenAiErrorEventAndIsLedgeredAsIncomplete() throws Exception {
    JsonNode key = key();
    HttpResponse<String> r = raw("POST", PATH, key.get("key").asText(), "{\"model\":\"gpt-mock-break\",\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
    assertEquals(200, r.statusCode());
    String id = JSON.readTree(r.body().substring(6, r.body().indexOf('\n'))).get("id").asText();
    String sent = MockOpenAiChatBodies.sse(MockOpenAiChatBodies.textChunks(id, "gpt-mock-break",
        MockOpenAiEvents.TEXT_DELTAS, true).subList(0, 3), false);
    assertTrue(r.body().startsWith(sent), r.body());
    String[] events = r.body().strip().split("\n\n");
    JsonNode error = JSON.readTree(events[events.length - 1].substring(events[events.length - 1].indexOf("data: ") + 6))
        .get("error");
    assertEquals("server_error", error.get("type").asText(), r.body());
    assertTrue(error.get("message").asText().startsWith("upstream stream broke off"), r.body());
    assertFalse(r.body().contains("[DONE]"));
    JsonNode row = node.awaitRequests(key.get("id").asText(), rows -> rows.size() == 1).get(0);
    assertFalse(row.get("complete").asBoolean(), row.toString());
    assertEquals("UPSTREAM_FAILED", row.get("outcome").asText(), row.toString());
  }

  @Test
  void thePinnedClaudePathNeverReachesTheOpenAiPool() throws Exception {
    String key = key().get("key").asText();
    HttpResponse<String> r = raw("POST", "/openai/claude/v1/chat/completions", key, "{\"model\":\"" + MODEL
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
    assertTrue(r.statusCode() >= 400, r.body());
    assertTrue(JSON.readTree(r.body()).path("error").has("type"), "OpenAI's error shape: " + r.body());
    assertEquals(0, mock.pathHits(PATH));
  }

  static void assertError(HttpResponse<String> r, int status, String type, String code, String message)
      throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    ObjectNode want = JSON.createObjectNode();
    want.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
    assertEquals(want, JSON.readTree(r.body()));
  }

  // ---- model lists

  @Test
  void modelListsInBothFormats() throws Exception {
    String key = key().get("key").asText();
    JsonNode openai = JSON.readTree(raw("GET", "/v1/models", key, null, Map.of()).body());
    assertEquals("list", openai.get("object").asText());
    List<String> ids = ids(openai);
    assertTrue(ids.contains("claude-sonnet-4-5") && ids.contains(MODEL) && ids.contains("gemini-2.5-pro"), ids.toString());
    assertEquals(ids.stream().distinct().count(), ids.size(), "no duplicates");
    assertTrue(ids.contains("sonnet") && ids.contains("fast"), "the model map's aliases: " + ids);
    for (JsonNode m : openai.get("data")) {
      assertEquals("model", m.get("object").asText());
      String id = m.get("id").asText();
      // The model map's aliases (sonnet, fast, …) are the relay's own names.
      String owner = id.startsWith("claude-") ? "anthropic" : id.startsWith("gemini-") ? "google"
          : id.startsWith("gpt-") || id.matches("o\\d.*") || id.startsWith("codex-") ? "openai" : "relay";
      assertEquals(owner, m.get("owned_by").asText(), m.toString());
    }
    assertEquals(openai, JSON.readTree(raw("GET", "/api/v1/models", key, null, Map.of()).body()));
    assertEquals(openai, JSON.readTree(raw("GET", "/openai/v1/models", key, null, Map.of()).body()));

    // Anthropic's clients keep Anthropic's list at the same paths.
    for (Map<String, String> anthropic : List.of(Map.of("anthropic-version", "2023-06-01"), Map.of("x-api-key", key))) {
      JsonNode list = JSON.readTree(raw("GET", "/v1/models", anthropic.containsKey("x-api-key") ? null : key, null,
          anthropic).body());
      assertTrue(list.has("has_more"), list.toString());
      for (JsonNode m : list.get("data")) {
        assertEquals("model", m.get("type").asText());
        assertTrue(m.get("id").asText().startsWith("claude-"), m.toString());
      }
    }
    // Codex's list stays the OpenAI pool's; a pinned path lists its pool.
    ids(JSON.readTree(raw("GET", "/openai/v1/models?client_version=0.171.0", key, null, Map.of()).body()))
        .forEach(id -> assertFalse(id.startsWith("claude-") || id.startsWith("gemini-"), id));
    List<String> pinned = ids(JSON.readTree(raw("GET", "/openai/claude/v1/models", key, null, Map.of()).body()));
    assertTrue(pinned.contains("claude-sonnet-4-5"));
    pinned.forEach(id -> assertTrue(id.startsWith("claude-"), id));

    // A key's pools and model rules decide what it sees.
    String openaiOnly = key("{\"permissions\": [\"openai\"], \"blockedModels\": [\"gpt-4.1*\"]}").get("key").asText();
    List<String> narrow = ids(JSON.readTree(raw("GET", "/v1/models", openaiOnly, null, Map.of()).body()));
    assertTrue(narrow.contains("gpt-5"), narrow.toString());
    narrow.forEach(id -> assertFalse(id.startsWith("claude-") || id.startsWith("gemini-") || id.startsWith("gpt-4.1"), id));

    HttpResponse<String> unauth = raw("GET", "/v1/models", null, null, Map.of());
    assertEquals(401, unauth.statusCode());
    assertEquals("invalid_request_error", JSON.readTree(unauth.body()).get("error").get("type").asText());
  }

  static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.get("data").forEach(m -> ids.add(m.get("id").asText()));
    return ids;
  }
}
