package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropicTools;
import dev.relaycluster.testing.MockGeminiAnswers;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.MockOpenAiEvents;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK's Chat Completions in front of the Claude, Gemini and Codex pools: streamed and
 * whole, {@code include_usage}, tool-call round trips (tool-call indexes 0, 1, 2 per message; the Gemini thought
 * signature a Chat client cannot carry put back by the relay), images, and usage exact to the token as each
 * upstream counted it.
 */
class ChatOnEveryPoolTest extends AnyPoolBase {
  static final ChatCompletionFunctionTool BASH = ChatCompletionFunctionTool.builder().function(FunctionDefinition
      .builder().name("Bash").description("Run a shell command")
      .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
          .putAdditionalProperty("properties", JsonValue.from(Map.of("command", Map.of("type", "string"),
              "description", Map.of("type", "string"))))
          .putAdditionalProperty("required", JsonValue.from(List.of("command"))).build())
      .build()).build();

  private final List<OpenAIClient> opened = new ArrayList<>();

  OpenAIClient sdk(JsonNode key) {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/v1").apiKey(key.get("key").asText())
        .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    opened.add(client);
    return client;
  }

  @AfterEach
  void closeClients() {
    opened.forEach(OpenAIClient::close);
    opened.clear();
  }

  /** A streamed answer added up, with the tool-call indexes as they came and the usage chunk if any. */
  record Streamed(ChatCompletion completion, List<Long> indexes, CompletionUsage usage) {}

  Streamed stream(OpenAIClient sdk, ChatCompletionCreateParams params) {
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    List<Long> indexes = new ArrayList<>();
    CompletionUsage[] usage = {null};
    try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(params)) {
      s.stream().forEach(c -> {
        acc.accumulate(c);
        c.usage().ifPresent(u -> usage[0] = u);
        c.choices().forEach(ch -> ch.delta().toolCalls().ifPresent(calls -> calls.forEach(
            call -> { if (call.id().isPresent()) indexes.add(call.index()); })));
      });
    }
    return new Streamed(acc.chatCompletion(), indexes, usage[0]);
  }

  @Test
  void claudeStreamedWithUsageAndWhole() throws Exception {
    JsonNode key = key();
    {
      OpenAIClient sdk = sdk(key);
      Streamed s = stream(sdk, ChatCompletionCreateParams.builder().model(CLAUDE_MODEL).addSystemMessage("Be brief.")
          .addUserMessage("hello").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
          .build());
      assertEquals(MockAnthropic.STREAM_TEXT, s.completion().choices().get(0).message().content().orElseThrow());
      assertEquals(ChatCompletion.Choice.FinishReason.STOP, s.completion().choices().get(0).finishReason());
      // Anthropic's input excludes the cache: the client's prompt_tokens count all of it.
      assertEquals(1200 + 20000 + 3000, s.usage().promptTokens());
      assertEquals(57, s.usage().completionTokens());
      assertEquals(20000, s.usage().promptTokensDetails().orElseThrow().cachedTokens().orElseThrow());
      assertEquals(CLAUDE_MODEL, s.completion().model(), "the client sees the model it asked for");

      ChatCompletion whole = sdk.chat().completions().create(ChatCompletionCreateParams.builder().model(CLAUDE_MODEL)
          .addUserMessage("hello").build());
      assertEquals(MockAnthropic.MESSAGE_TEXT, whole.choices().get(0).message().content().orElseThrow());
      assertEquals(100, whole.usage().orElseThrow().promptTokens());
      assertEquals(20, whole.usage().orElseThrow().completionTokens());
    }
    JsonNode first = anthropicBodies().get(0);
    assertEquals(CLAUDE_MODEL, first.get("model").asText());
    assertEquals("Be brief.", first.get("system").get(0).get("text").asText(), first.toString());
    assertTrue(first.get("max_tokens").asLong() > 0, "Anthropic requires max_tokens: " + first);
    List<JsonNode> rows = rows(key, 2);
    assertConverted(rows.get(0), claudeAccount, "claude", "openai-chat", "anthropic", 1200, 20000, 3000, 57);
    assertEquals("chat/completions", rows.get(0).get("endpoint").asText());
    assertConverted(rows.get(1), claudeAccount, "claude", "openai-chat", "anthropic", 100, 0, 0, 20);
  }

  @Test
  void claudeToolRoundTripAndImages() throws Exception {
    JsonNode key = key();
    {
      OpenAIClient sdk = sdk(key);
      ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model(CLAUDE_MODEL).addTool(BASH)
          .addUserMessageOfArrayOfContentParts(List.of(
              ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("MOCK_TOOL look").build()),
              ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                  ChatCompletionContentPartImage.ImageUrl.builder().url("data:image/png;base64,iVBORw0KGgo=").build())
                  .build()),
              ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                  ChatCompletionContentPartImage.ImageUrl.builder().url("https://example.com/cat.jpg").build())
                  .build())))
          .build();
      Streamed asked = stream(sdk, first);
      assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, asked.completion().choices().get(0).finishReason());
      assertEquals(List.of(0L), asked.indexes(), "the first tool call of a message has index 0");
      ChatCompletionMessage message = asked.completion().choices().get(0).message();
      ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().get(0).function().orElseThrow();
      assertEquals("Bash", call.function().name());
      assertEquals(MockAnthropicTools.TOOL_USE_ID, call.id(), "Claude's tool_use id is the call's id");
      assertEquals(MockAnthropicTools.TOOL_COMMAND,
          JSON.readTree(call.function().arguments()).get("command").asText());
      ChatCompletion answer = sdk.chat().completions().create(first.toBuilder().addMessage(message)
          .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
              .content(MockAnthropicTools.TOOL_OUTPUT).build()).build());
      assertEquals(MockAnthropicTools.TOOL_RESULT_PREFIX + MockAnthropicTools.TOOL_OUTPUT,
          answer.choices().get(0).message().content().orElseThrow());
    }
    List<JsonNode> sent = anthropicBodies();
    JsonNode content = sent.get(0).get("messages").get(0).get("content");
    assertEquals("{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}",
        content.get(1).get("source").toString());
    assertEquals("{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}", content.get(2).get("source").toString());
    JsonNode messages = sent.get(1).get("messages");
    JsonNode toolUse = messages.get(1).get("content").get(0);
    JsonNode toolResult = messages.get(2).get("content").get(0);
    assertEquals("tool_use", toolUse.get("type").asText(), messages.toString());
    assertEquals("tool_result", toolResult.get("type").asText(), messages.toString());
    assertEquals(toolUse.get("id").asText(), toolResult.get("tool_use_id").asText());
    MockAnthropicTools.Usage t = MockAnthropicTools.TOOL_USAGE;
    MockAnthropicTools.Usage f = MockAnthropicTools.FINAL_USAGE;
    List<JsonNode> rows = rows(key, 2);
    assertConverted(rows.get(0), claudeAccount, "claude", "openai-chat", "anthropic", t.input(), t.cacheRead(),
        t.cacheWrite(), t.output());
    assertConverted(rows.get(1), claudeAccount, "claude", "openai-chat", "anthropic", f.input(), f.cacheRead(),
        f.cacheWrite(), f.output());
  }

  @Test
  void geminiStreamedAndAToolTurnWhoseThoughtSignatureTheRelayPutsBack() throws Exception {
    JsonNode key = key();
    {
      OpenAIClient sdk = sdk(key);
      Streamed s = stream(sdk, ChatCompletionCreateParams.builder().model(GEMINI_MODEL).addUserMessage("hello")
          .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
      assertEquals(MockGeminiAnswers.TEXT, s.completion().choices().get(0).message().content().orElseThrow());
      MockGeminiAnswers.Usage u = MockGeminiAnswers.TEXT_USAGE;
      assertEquals(u.prompt(), s.usage().promptTokens());
      assertEquals(u.candidates() + u.thoughts(), s.usage().completionTokens());

      ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model(GEMINI_MODEL).addTool(BASH)
          .addUserMessage("MOCK_TOOL run it").build();
      ChatCompletion asked = sdk.chat().completions().create(first);
      assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, asked.choices().get(0).finishReason());
      ChatCompletionMessage message = asked.choices().get(0).message();
      ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().get(0).function().orElseThrow();
      assertEquals("Bash", call.function().name());
      ChatCompletion answer = sdk.chat().completions().create(first.toBuilder().addMessage(message)
          .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
              .content(MockGeminiAnswers.TOOL_OUTPUT).build()).build());
      assertEquals(MockGeminiAnswers.TOOL_RESULT_PREFIX + MockGeminiAnswers.TOOL_OUTPUT,
          answer.choices().get(0).message().content().orElseThrow());
    }
    List<JsonNode> sent = geminiBodies();
    assertEquals(3, sent.size());
    JsonNode replayed = sent.get(2).get("contents").get(1).get("parts").get(0);
    assertEquals("Bash", replayed.get("functionCall").get("name").asText(), replayed.toString());
    assertEquals(MockGeminiAnswers.THOUGHT_SIGNATURE, replayed.get("thoughtSignature").asText(),
        "the signature the Chat client could not carry was kept by the relay and put back");
    JsonNode response = sent.get(2).get("contents").get(2).get("parts").get(0).get("functionResponse");
    assertEquals("Bash", response.get("name").asText(), "the result's tool name recovered from the call");
    MockGeminiAnswers.Usage u = MockGeminiAnswers.TEXT_USAGE;
    MockGeminiAnswers.Usage tool = MockGeminiAnswers.TOOL_CALL_USAGE;
    List<JsonNode> rows = rows(key, 3);
    assertConverted(rows.get(0), geminiAccount, "gemini", "openai-chat", "gemini", u.prompt() - u.cached(), u.cached(),
        0, u.candidates() + u.thoughts());
    assertConverted(rows.get(1), geminiAccount, "gemini", "openai-chat", "gemini", tool.prompt() - tool.cached(),
        tool.cached(), 0, tool.candidates() + tool.thoughts());
  }

  @Test
  void codexWholeFromItsStreamAndStreamed() throws Exception {
    JsonNode key = key();
    {
      OpenAIClient sdk = sdk(key);
      ChatCompletion whole = sdk.chat().completions().create(ChatCompletionCreateParams.builder().model(CODEX_MODEL)
          .addDeveloperMessage("You are terse.").addUserMessage("hello").build());
      assertEquals(MockOpenAiEvents.TEXT, whole.choices().get(0).message().content().orElseThrow());
      assertEquals(MockOpenAi.INPUT_TOKENS, whole.usage().orElseThrow().promptTokens());
      assertEquals(MockOpenAi.OUTPUT_TOKENS, whole.usage().orElseThrow().completionTokens());
      Streamed s = stream(sdk, ChatCompletionCreateParams.builder().model(CODEX_MODEL).addUserMessage("hello").build());
      assertEquals(MockOpenAiEvents.TEXT, s.completion().choices().get(0).message().content().orElseThrow());
      assertEquals(null, s.usage(), "no usage chunk unless asked");
    }
    List<JsonNode> sent = codexBodies();
    assertEquals(2, sent.size());
    assertTrue(sent.get(0).get("stream").asBoolean(), "the Codex backend only streams: " + sent.get(0));
    assertFalse(sent.get(0).get("store").asBoolean(true));
    assertEquals(CODEX_MODEL, sent.get(0).get("model").asText());
    for (JsonNode row : rows(key, 2)) {
      assertConverted(row, codexAccount, "openai", "openai-chat", "openai-responses",
          MockOpenAi.INPUT_TOKENS - MockOpenAi.CACHED_TOKENS, MockOpenAi.CACHED_TOKENS, 0, MockOpenAi.OUTPUT_TOKENS);
    }
  }

  @Test
  void whatCannotBeCarriedIsRefusedInOpenAiShapeNamingIt() throws Exception {
    JsonNode key = key();
    HttpResponse<String> r = raw("/v1/chat/completions", key.get("key").asText(),
        "{\"model\":\"" + CLAUDE_MODEL + "\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
    assertEquals(400, r.statusCode(), r.body());
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertEquals("invalid_request_error", error.get("type").asText(), r.body());
    assertTrue(error.get("message").asText().startsWith("n:"), r.body());
    assertNoInternals(r.body());
    r = raw("/v1/chat/completions", key.get("key").asText(), "{\"model\":\"" + GEMINI_MODEL + "\",\"messages\":["
        + "{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AA==\",\"format\":\"wav\"}}]}]}",
        Map.of());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).get("error").get("message").asText().contains("messages[0].content[0]"), r.body());
    assertEquals(0, anthropic.received().size() + geminiBodies().size(), "nothing went upstream");
    List<JsonNode> rows = rows(key, 2);
    for (JsonNode row : rows) {
      assertEquals("REFUSED", row.get("outcome").asText(), row.toString());
      assertEquals(400, row.get("status").asInt());
      assertEquals(0, row.get("inputTokens").asLong());
    }
  }

  @Test
  void anUpstreamErrorIsReSaidInOpenAiShapeAndACutStreamEndsWithAnErrorEvent() throws Exception {
    JsonNode key = key();
    // The pinned path sends any name to the Claude pool: the mock's scenario models.
    HttpResponse<String> r = raw("/openai/claude/v1/chat/completions", key.get("key").asText(),
        "{\"model\":\"mock-429\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
    assertEquals(429, r.statusCode(), r.body());
    assertEquals("7", r.headers().firstValue("retry-after").orElse(null), "upstream's retry-after is kept");
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertEquals("rate_limit_error", error.get("type").asText(), r.body());
    assertEquals("Number of request tokens has exceeded your per-minute rate limit", error.get("message").asText());
    assertNoInternals(r.body());

    r = raw("/openai/claude/v1/chat/completions", key.get("key").asText(),
        "{\"model\":\"mock-break\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertFalse(r.body().contains("[DONE]"), "a cut stream never ends cleanly: " + r.body());
    String[] events = r.body().strip().split("\n\n");
    JsonNode last = JSON.readTree(events[events.length - 1].substring("data: ".length()));
    assertFalse(last.path("error").path("message").asText().isBlank(), r.body());
    List<JsonNode> rows = rows(key, 2);
    assertEquals("UPSTREAM_ERROR", rows.get(0).get("outcome").asText(), rows.get(0).toString());
    assertEquals("UPSTREAM_FAILED", rows.get(1).get("outcome").asText(), rows.get(1).toString());
  }
}
