package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockGeminiAnswers;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.MockOpenAiEvents;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official Anthropic Java SDK on the Codex and Gemini pools, and the OpenAI SDK's Responses on the Claude
 * pool and the Google Gen AI SDK on the Claude pool, through keys whose model map sends them there: whole and streamed answers in the client's own
 * dialect, the model shown as the client asked, token counts estimated (and said so) where the upstream has
 * no counter, features the upstream cannot serve refused in the client's dialect, usage exact to the token.
 */
class OtherClientsOnOtherPoolsTest extends AnyPoolBase {

  AnthropicClient anthropicSdk(JsonNode key) {
    return AnthropicOkHttpClient.builder().baseUrl(node.baseUrl() + "/api").apiKey(key.get("key").asText())
        .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
  }

  static String text(Message m) {
    StringBuilder s = new StringBuilder();
    m.content().forEach(b -> b.text().ifPresent(t -> s.append(t.text())));
    return s.toString();
  }

  @Test
  void anthropicSdkOnTheCodexPool() throws Exception {
    JsonNode key = mappedKey("openai", CODEX_MODEL, "claude-*");
    AnthropicClient sdk = anthropicSdk(key);
    try {
      Message whole = sdk.messages().create(MessageCreateParams.builder().model(CLAUDE_MODEL).maxTokens(1024)
          .system("Be brief.").addUserMessage("hello").build());
      assertEquals(MockOpenAiEvents.TEXT, text(whole));
      assertEquals(CLAUDE_MODEL, whole.model().asString(), "the client sees the model it asked for");
      assertEquals(StopReason.END_TURN, whole.stopReason().orElseThrow());
      assertEquals(MockOpenAi.INPUT_TOKENS - MockOpenAi.CACHED_TOKENS, whole.usage().inputTokens());
      assertEquals(MockOpenAi.CACHED_TOKENS, whole.usage().cacheReadInputTokens().orElseThrow());
      assertEquals(MockOpenAi.OUTPUT_TOKENS, whole.usage().outputTokens());

      MessageAccumulator acc = MessageAccumulator.create();
      try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> s = sdk.messages().createStreaming(
          MessageCreateParams.builder().model(CLAUDE_MODEL).maxTokens(1024).addUserMessage("hello").build())) {
        s.stream().forEach(acc::accumulate);
      }
      assertEquals(MockOpenAiEvents.TEXT, text(acc.message()));
      assertEquals(MockOpenAi.OUTPUT_TOKENS, acc.message().usage().outputTokens());

      long counted = sdk.messages().countTokens(MessageCountTokensParams.builder().model(CLAUDE_MODEL)
          .addUserMessage("hello there, how many tokens is this?").build()).inputTokens();
      assertTrue(counted > 0 && counted < 100, "an estimate: " + counted);
    } finally {
      sdk.close();
    }
    List<JsonNode> sent = codexBodies();
    assertEquals(2, sent.size(), "the count was estimated by the relay, not sent upstream");
    assertEquals(CODEX_MODEL, sent.get(0).get("model").asText(), "the key's map chose the upstream model");
    HttpResponse<String> r = raw("/api/v1/messages/count_tokens", key.get("key").asText(),
        "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}",
        Map.of("anthropic-version", "2023-06-01"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("estimated", r.headers().firstValue("x-relay-token-count").orElse(null));
    assertEquals("{\"input_tokens\":2}", r.body());
    List<JsonNode> rows = rows(key, 4);
    for (JsonNode row : rows.subList(0, 2)) {
      assertConverted(row, codexAccount, "openai", "anthropic", "openai-responses",
          MockOpenAi.INPUT_TOKENS - MockOpenAi.CACHED_TOKENS, MockOpenAi.CACHED_TOKENS, 0, MockOpenAi.OUTPUT_TOKENS);
      assertEquals(CODEX_MODEL, row.get("servedModel").asText());
    }
    assertEquals(0, rows.get(2).get("costMicros").asLong(), "an estimated count costs nothing: " + rows.get(2));
  }

  @Test
  void anthropicSdkOnTheGeminiPool() throws Exception {
    JsonNode key = mappedKey("gemini", GEMINI_MODEL, "claude-*");
    AnthropicClient sdk = anthropicSdk(key);
    try {
      MessageAccumulator acc = MessageAccumulator.create();
      try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> s = sdk.messages().createStreaming(
          MessageCreateParams.builder().model(CLAUDE_MODEL).maxTokens(1024).addUserMessage("hello").build())) {
        s.stream().forEach(acc::accumulate);
      }
      assertEquals(MockGeminiAnswers.TEXT, text(acc.message()));
      MockGeminiAnswers.Usage u = MockGeminiAnswers.TEXT_USAGE;
      assertEquals(u.candidates() + u.thoughts(), acc.message().usage().outputTokens());
      // A count on a Gemini account is the relay's estimate too (found by the fuzz run: it once answered 502).
      assertEquals(2, sdk.messages().countTokens(MessageCountTokensParams.builder().model(CLAUDE_MODEL)
          .addUserMessage("hello").build()).inputTokens());
    } finally {
      sdk.close();
    }
    JsonNode sent = geminiBodies().get(0);
    assertEquals("hello", sent.get("contents").get(0).get("parts").get(0).get("text").asText(), sent.toString());
    assertTrue(gemini.received().stream().anyMatch(r -> r.path().endsWith(GEMINI_MODEL + ":streamGenerateContent")));
    MockGeminiAnswers.Usage u = MockGeminiAnswers.TEXT_USAGE;
    assertConverted(rows(key, 2).get(0), geminiAccount, "gemini", "anthropic", "gemini", u.prompt() - u.cached(),
        u.cached(), 0, u.candidates() + u.thoughts());
  }

  @Test
  void aServerToolIsRefusedInAnthropicsShapeNamingIt() throws Exception {
    JsonNode key = mappedKey("gemini", GEMINI_MODEL, "claude-*");
    HttpResponse<String> r = raw("/api/v1/messages", key.get("key").asText(),
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}",
        Map.of("anthropic-version", "2023-06-01"));
    assertEquals(400, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("error", body.get("type").asText(), r.body());
    assertEquals("invalid_request_error", body.get("error").get("type").asText(), r.body());
    assertTrue(body.get("error").get("message").asText().contains("web_search_20250305"), r.body());
    assertNoInternals(r.body());
    assertEquals(0, geminiBodies().size(), "nothing went upstream");
  }

  @Test
  void responsesSdkOnTheClaudePool() throws Exception {
    JsonNode key = mappedKey("claude", CLAUDE_MODEL, "gpt-*");
    OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/openai/v1")
        .apiKey(key.get("key").asText()).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    try {
      Response whole = sdk.responses().create(ResponseCreateParams.builder().model("gpt-5.1").instructions("Be brief.")
          .input("hello").build());
      assertEquals(MockAnthropic.MESSAGE_TEXT, CodexRelayContract.text(whole));
      assertEquals(100, whole.usage().orElseThrow().inputTokens());
      assertEquals(20, whole.usage().orElseThrow().outputTokens());

      ResponseAccumulator acc = ResponseAccumulator.create();
      StringBuilder deltas = new StringBuilder();
      try (com.openai.core.http.StreamResponse<ResponseStreamEvent> s = sdk.responses().createStreaming(
          ResponseCreateParams.builder().model("gpt-5.1").input("hello").build())) {
        s.stream().forEach(e -> {
          acc.accumulate(e);
          e.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
        });
      }
      assertEquals(MockAnthropic.STREAM_TEXT, deltas.toString());
      assertEquals(1200 + 20000 + 3000, acc.response().usage().orElseThrow().inputTokens());
      assertEquals(20000, acc.response().usage().orElseThrow().inputTokensDetails().cachedTokens());
      assertEquals(57, acc.response().usage().orElseThrow().outputTokens());
    } finally {
      sdk.close();
    }
    JsonNode first = anthropicBodies().get(0);
    assertEquals(CLAUDE_MODEL, first.get("model").asText());
    assertEquals("Be brief.", first.get("system").get(0).get("text").asText(), first.toString());
    List<JsonNode> rows = rows(key, 2);
    assertConverted(rows.get(0), claudeAccount, "claude", "openai-responses", "anthropic", 100, 0, 0, 20);
    assertConverted(rows.get(1), claudeAccount, "claude", "openai-responses", "anthropic", 1200, 20000, 3000, 57);
    assertFalse(rows.get(0).get("model").asText().startsWith("claude"), "the log keeps the name the client asked for");
  }

  @Test
  void googleSdkOnTheClaudePool() throws Exception {
    JsonNode key = mappedKey("claude", CLAUDE_MODEL, "gemini-*");
    StringBuilder streamed = new StringBuilder();
    try (Client sdk = Client.builder().apiKey(key.get("key").asText()).vertexAI(false).httpOptions(HttpOptions
        .builder().baseUrl(node.baseUrl() + "/gemini").apiVersion("v1beta").timeout(20_000).build()).build()) {
      GenerateContentResponse whole = sdk.models.generateContent(GEMINI_MODEL, "hello", null);
      assertEquals(MockAnthropic.MESSAGE_TEXT, whole.text());
      assertEquals(100, whole.usageMetadata().orElseThrow().promptTokenCount().orElseThrow());
      assertEquals(20, whole.usageMetadata().orElseThrow().candidatesTokenCount().orElseThrow());
      try (ResponseStream<GenerateContentResponse> stream = sdk.models.generateContentStream(GEMINI_MODEL, "hi", null)) {
        stream.forEach(c -> streamed.append(c.text() == null ? "" : c.text()));
      }
    }
    assertEquals(MockAnthropic.STREAM_TEXT, streamed.toString());
    List<JsonNode> sent = anthropicBodies();
    assertEquals(CLAUDE_MODEL, sent.get(0).get("model").asText());
    assertEquals("hello", sent.get(0).get("messages").get(0).get("content").get(0).get("text").asText(),
        sent.get(0).toString());
    List<JsonNode> rows = rows(key, 2);
    assertConverted(rows.get(0), claudeAccount, "claude", "gemini", "anthropic", 100, 0, 0, 20);
    assertConverted(rows.get(1), claudeAccount, "claude", "gemini", "anthropic", 1200, 20000, 3000, 57);
  }
}
