package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockFactory;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.MockOpenAiChatBodies;
import dev.relaycluster.testing.MockOpenAiEvents;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Droid CLI's three endpoints ({@code /droid/claude}, {@code /droid/openai}, {@code /droid/comm}) with the
 * official SDKs, through the relay to a droid-api account on a mock of Factory's proxy (which answers in the
 * vendors' real wire formats): the paths, credential and routing headers Factory needs, answers in the client's
 * dialect, usage exact to the token in the ledger; and the same Claude path served by a Claude Console account for
 * a key that may not use the droid pool.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DroidRelayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FACTORY_KEY = "fk-droid-relay-test-key";
  private static final String CONSOLE_KEY = "sk-ant-api03-droid-fallback";
  private static final String CLAUDE_MODEL = "claude-sonnet-4-5";
  private static final String GPT_MODEL = "gpt-5.1-codex";

  private MockFactory factory;
  private MockAnthropic anthropic;
  private TestNode node;
  private String droidAccount;
  private String consoleAccount;

  @BeforeAll
  void start() throws Exception {
    factory = new MockFactory();
    factory.accept(FACTORY_KEY);
    anthropic = new MockAnthropic();
    node = TestNode.embedded(Files.createTempDirectory("relay-droid-"), Map.of());
    droidAccount = node.admin("POST", "/admin/api/accounts", JSON.createObjectNode().put("name", "factory")
        .put("platform", "droid").put("type", "droid-api").put("baseUrl", factory.baseUrl())
        .put("apiKey", FACTORY_KEY)).get("id").asText();
    consoleAccount = node.createConsoleAccount("console", anthropic.baseUrl(), CONSOLE_KEY, 10);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (factory != null) {
      factory.close();
    }
    if (anthropic != null) {
      anthropic.close();
    }
  }

  @BeforeEach
  void clear() {
    factory.clear();
    anthropic.clear();
  }

  private JsonNode key(String... pools) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", "droid-" + UUID.randomUUID());
    if (pools.length > 0) {
      var permissions = body.putArray("permissions");
      for (String p : pools) {
        permissions.add(p);
      }
    }
    return node.admin("POST", "/admin/api/keys", body);
  }

  private List<JsonNode> rows(JsonNode key, int n) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    node.awaitRequests(key.get("id").asText(), r -> r.size() == n).forEach(out::add);
    out.sort(Comparator.comparingLong(r -> r.get("startedAt").asLong()));
    return out;
  }

  private static void assertRow(JsonNode row, String account, String pool, String dialect, long input, long cacheRead,
      long cacheWrite, long output) {
    assertEquals(account, row.get("accountId").asText(), row.toString());
    assertEquals(pool, row.get("pool").asText(), row.toString());
    assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
    assertEquals(dialect, row.get("clientDialect").asText(), row.toString());
    assertEquals(input, row.get("inputTokens").asLong(), row.toString());
    assertEquals(cacheRead, row.get("cacheReadTokens").asLong(), row.toString());
    assertEquals(cacheWrite, row.get("cacheWriteTokens").asLong(), row.toString());
    assertEquals(output, row.get("outputTokens").asLong(), row.toString());
    assertTrue(row.get("costMicros").asLong() > 0, "priced: " + row);
  }

  private static String text(Message m) {
    StringBuilder s = new StringBuilder();
    m.content().forEach(b -> b.text().ifPresent(t -> s.append(t.text())));
    return s.toString();
  }

  private void assertFactoryHeaders(MockFactory.Received r, String path, String provider) {
    assertEquals("/api/llm" + path, r.path());
    assertEquals("Bearer " + FACTORY_KEY, r.header("authorization"));
    assertEquals("cli", r.header("x-factory-client"));
    assertEquals(provider, r.header("x-api-provider"));
    assertNotNull(r.header("x-session-id"), "a session id goes up: " + r.headers());
    assertTrue(r.header("user-agent") != null && !r.header("user-agent").contains("factory-cli"),
        "the client's own user-agent, no disguise: " + r.header("user-agent"));
  }

  @Test
  void anthropicSdkOnDroidClaude() throws Exception {
    JsonNode key = key();
    AnthropicClient sdk = AnthropicOkHttpClient.builder().baseUrl(node.baseUrl() + "/droid/claude")
        .apiKey(key.get("key").asText()).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    try {
      Message whole = sdk.messages().create(MessageCreateParams.builder().model(CLAUDE_MODEL).maxTokens(1024)
          .addUserMessage("hello").build());
      assertEquals(MockAnthropic.MESSAGE_TEXT, text(whole));
      MessageAccumulator acc = MessageAccumulator.create();
      try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> s = sdk.messages().createStreaming(
          MessageCreateParams.builder().model(CLAUDE_MODEL).maxTokens(1024).addUserMessage("hello").build())) {
        s.stream().forEach(acc::accumulate);
      }
      assertEquals(MockAnthropic.STREAM_TEXT, text(acc.message()));
    } finally {
      sdk.close();
    }
    List<MockFactory.Received> sent = factory.received();
    assertEquals(2, sent.size());
    for (MockFactory.Received r : sent) {
      assertFactoryHeaders(r, "/a/v1/messages", "anthropic");
      assertNotNull(r.header("anthropic-version"), "the SDK's own version goes up");
      JsonNode body = JSON.readTree(r.body());
      assertEquals(CLAUDE_MODEL, body.get("model").asText(), "the model as the client named it");
      assertFalse(body.has("system"), "no system prompt added: " + body);
    }
    List<JsonNode> rows = rows(key, 2);
    assertRow(rows.get(0), droidAccount, "droid", "anthropic", 100, 0, 0, 20);
    assertRow(rows.get(1), droidAccount, "droid", "anthropic", 1200, 20000, 3000, 57);
    assertEquals(0, anthropic.received().size(), "the Console account was not used");
  }

  @Test
  void responsesSdkOnDroidOpenai() throws Exception {
    JsonNode key = key();
    OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/droid/openai/v1")
        .apiKey(key.get("key").asText()).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    try {
      ResponseAccumulator acc = ResponseAccumulator.create();
      try (com.openai.core.http.StreamResponse<ResponseStreamEvent> s = sdk.responses().createStreaming(
          ResponseCreateParams.builder().model(GPT_MODEL).instructions("Be brief.").input("hello").build())) {
        s.stream().forEach(acc::accumulate);
      }
      Response r = acc.response();
      assertEquals(MockOpenAiEvents.TEXT, CodexRelayContract.text(r));
    } finally {
      sdk.close();
    }
    MockFactory.Received sent = factory.received().get(0);
    assertFactoryHeaders(sent, "/o/v1/responses", "azure_openai");
    assertEquals(GPT_MODEL, JSON.readTree(sent.body()).get("model").asText());
    assertRow(rows(key, 1).get(0), droidAccount, "droid", "openai-responses",
        MockOpenAi.INPUT_TOKENS - MockOpenAi.CACHED_TOKENS, MockOpenAi.CACHED_TOKENS, 0, MockOpenAi.OUTPUT_TOKENS);
  }

  @Test
  void chatSdkOnDroidComm() throws Exception {
    JsonNode key = key();
    OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(node.baseUrl() + "/droid/comm/v1")
        .apiKey(key.get("key").asText()).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    try {
      ChatCompletion whole = sdk.chat().completions().create(ChatCompletionCreateParams.builder().model(GPT_MODEL)
          .addUserMessage("say hi").build());
      assertEquals(MockOpenAiEvents.TEXT, whole.choices().get(0).message().content().orElseThrow());
      ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
      try (com.openai.core.http.StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(
          ChatCompletionCreateParams.builder().model(GPT_MODEL).addUserMessage("say hi").build())) {
        s.stream().forEach(acc::accumulate);
      }
      assertEquals(MockOpenAiEvents.TEXT, acc.chatCompletion().choices().get(0).message().content().orElseThrow());
      assertTrue(acc.chatCompletion().usage().isEmpty(), "the usage chunk the relay asked for is not the client's");
    } finally {
      sdk.close();
    }
    for (MockFactory.Received r : factory.received()) {
      assertFactoryHeaders(r, "/o/v1/chat/completions", "azure_openai");
    }
    assertTrue(JSON.readTree(factory.received().get(1).body()).path("stream_options").path("include_usage")
        .asBoolean(), "a stream is asked for its usage");
    for (JsonNode row : rows(key, 2)) {
      assertRow(row, droidAccount, "droid", "openai-chat",
          MockOpenAiChatBodies.PROMPT_TOKENS - MockOpenAiChatBodies.CACHED_TOKENS, MockOpenAiChatBodies.CACHED_TOKENS,
          0, MockOpenAiChatBodies.COMPLETION_TOKENS);
    }
  }

  @Test
  void modelListsInEachDialect() throws Exception {
    JsonNode key = key();
    JsonNode claude = get("/droid/claude/v1/models", key);
    assertTrue(claude.get("data").get(0).get("id").asText().startsWith("claude-"), claude.toString());
    assertEquals("model", claude.get("data").get(0).get("type").asText());
    JsonNode openai = get("/droid/openai/v1/models", key);
    assertEquals("list", openai.get("object").asText());
    assertTrue(openai.get("data").size() > 0, openai.toString());
    JsonNode comm = get("/droid/comm/v1/models", key);
    assertEquals("list", comm.get("object").asText());
    assertTrue(comm.toString().contains("\"owned_by\":\"anthropic\""), "Chat clients see every pool's models");
  }

  @Test
  void aKeyWithoutTheDroidPoolIsServedByItsClaudePool() throws Exception {
    JsonNode key = key("claude");
    AnthropicClient sdk = AnthropicOkHttpClient.builder().baseUrl(node.baseUrl() + "/droid/claude")
        .apiKey(key.get("key").asText()).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    try {
      Message whole = sdk.messages().create(MessageCreateParams.builder().model(CLAUDE_MODEL).maxTokens(1024)
          .addUserMessage("hello").build());
      assertEquals(MockAnthropic.MESSAGE_TEXT, text(whole));
    } finally {
      sdk.close();
    }
    assertEquals(0, factory.received().size(), "the droid pool was not used");
    assertEquals(CONSOLE_KEY, anthropic.received().get(0).header("x-api-key"));
    assertRow(rows(key, 1).get(0), consoleAccount, "claude", "anthropic", 100, 0, 0, 20);
  }

  @Test
  void aKeyThatMayUseNeitherPoolGetsThePermissionErrorInItsDialect() throws Exception {
    JsonNode key = key("gemini");
    HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl()
            + "/droid/claude/v1/messages")).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
        .header("x-api-key", key.get("key").asText()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(403, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("error", body.get("type").asText(), r.body());
    assertEquals("permission_error", body.get("error").get("type").asText(), r.body());
    assertEquals(0, factory.received().size());
    assertEquals(0, anthropic.received().size());
  }

  private JsonNode get(String path, JsonNode key) throws Exception {
    HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + key.get("key").asText()).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + " " + r.body());
    return JSON.readTree(r.body());
  }
}
