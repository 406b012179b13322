package dev.relaycluster.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link MockOpenAi}'s Chat Completions read by the official OpenAI SDK: what it sends is what real clients read. */
class MockOpenAiChatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static MockOpenAi mock;
  private static OpenAIClient sdk;

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

  private static void assertUsage(CompletionUsage u) {
    assertEquals(1300, u.promptTokens());
    assertEquals(1024, u.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow());
    assertEquals(57, u.completionTokens());
    assertEquals(1357, u.totalTokens());
  }

  @Test
  void wholeAndStreamedAnswersParseAndAddUp() {
    ChatCompletion whole = sdk.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4.1")
        .addUserMessage("hi").build());
    whole.validate();
    assertEquals(MockOpenAiEvents.TEXT, whole.choices().get(0).message().content().orElseThrow());
    assertUsage(whole.usage().orElseThrow());

    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(ChatCompletionCreateParams
        .builder().model("gpt-4.1").addUserMessage("hi")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      s.stream().forEach(c -> {
        c.validate();
        acc.accumulate(c);
      });
    }
    assertEquals(MockOpenAiEvents.TEXT, acc.chatCompletion().choices().get(0).message().content().orElseThrow());
    assertUsage(acc.chatCompletion().usage().orElseThrow());
    assertEquals("/v1/chat/completions", mock.last(MockOpenAi.API_KEY).path());
  }

  @Test
  void aToolCallStreamsItsArgumentsInPieces() throws IOException {
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(ChatCompletionCreateParams
        .builder().model("gpt-4.1").addUserMessage("MOCK_TOOL please").build())) {
      s.stream().forEach(acc::accumulate);
    }
    var call = acc.chatCompletion().choices().get(0).message().toolCalls().orElseThrow().get(0).function().orElseThrow();
    assertEquals("get_weather", call.function().name());
    assertEquals("Paris", JSON.readTree(call.function().arguments()).get("location").asText());
    assertTrue(call.id().startsWith("call_"));
  }

  @Test
  void errorsAreOpenAis() {
    OpenAIClient bad = OpenAIOkHttpClient.builder().apiKey("sk-wrong-key-0000").baseUrl(mock.apiBaseUrl())
        .maxRetries(0).build();
    try {
      UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> bad.chat().completions().create(
          ChatCompletionCreateParams.builder().model("gpt-4.1").addUserMessage("hi").build()));
      assertEquals("invalid_api_key", e.code().orElseThrow());
    } finally {
      bad.close();
    }
    RateLimitException limited = assertThrows(RateLimitException.class, () -> sdk.chat().completions().create(
        ChatCompletionCreateParams.builder().model("mock-429").addUserMessage("hi").build()));
    assertEquals("rate_limit_exceeded", limited.code().orElseThrow());
    BadRequestException context = assertThrows(BadRequestException.class, () -> sdk.chat().completions().create(
        ChatCompletionCreateParams.builder().model("gpt-mock-context").addUserMessage("hi").build()));
    assertEquals("context_length_exceeded", context.code().orElseThrow());
    assertEquals("messages", context.param().orElseThrow());
  }
}
