package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.backends.Backend;
import com.anthropic.bedrock.backends.BedrockBackend;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockBedrock;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * Bedrock accounts in the Claude pool (issue 21), against {@link MockBedrock}, which checks every SigV4 signature
 * with the AWS SDK's signer and answers real event streams; the official Anthropic SDK is the client, and its own
 * Bedrock backend is a second witness that the mock speaks Bedrock's real wire format.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BedrockRelayTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MODEL = "claude-sonnet-4-5";
  static final String CONSOLE_KEY = "sk-ant-api03-bedrock-failover";

  MockBedrock bedrock;
  MockAnthropic anthropic;
  TestNode node;
  String signed;
  String apiKeyAccount;
  String throttled;
  String denied;
  String streamErrors;
  String console;

  @BeforeAll
  void start() throws Exception {
    bedrock = new MockBedrock();
    anthropic = new MockAnthropic();
    node = TestNode.embedded(Files.createTempDirectory("relay-bedrock-"), Map.of());
    signed = bedrockAccount("signed", JSON.createObjectNode().put("accessKeyId", MockBedrock.ACCESS_KEY)
        .put("secretAccessKey", MockBedrock.SECRET_KEY).put("sessionToken", "FwoGZXIvYXdzEMockSessionToken"));
    apiKeyAccount = bedrockAccount("api-key", JSON.createObjectNode().put("bearerToken", MockBedrock.API_KEY));
    throttled = bedrockAccount("throttled", JSON.createObjectNode().put("accessKeyId", MockBedrock.THROTTLED_KEY)
        .put("secretAccessKey", MockBedrock.SECRET_KEY));
    denied = bedrockAccount("denied", JSON.createObjectNode().put("accessKeyId", MockBedrock.DENIED_KEY)
        .put("secretAccessKey", MockBedrock.SECRET_KEY));
    streamErrors = bedrockAccount("stream-errors", JSON.createObjectNode().put("accessKeyId", MockBedrock.ACCESS_KEY)
        .put("secretAccessKey", MockBedrock.SECRET_KEY));
    console = node.createConsoleAccount("console", anthropic.baseUrl(), CONSOLE_KEY, 1);
  }

  private String bedrockAccount(String name, ObjectNode body) throws Exception {
    body.put("name", name).put("platform", "claude").put("type", "bedrock").put("region", MockBedrock.REGION)
        .put("endpoint", bedrock.baseUrl()).put("priority", 50);
    return node.admin("POST", "/admin/api/accounts", body).get("id").asText();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    bedrock.close();
    anthropic.close();
  }

  @BeforeEach
  void clear() {
    bedrock.clear();
    anthropic.clear();
  }

  /** A key bound to one account; {@code fallback}: the rest of the pool may serve it too. */
  JsonNode key(String account, boolean fallback) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", "bedrock-" + UUID.randomUUID());
    body.putObject("bindings").putObject("claude").put("accountId", account).put("fallbackToPool", fallback);
    return node.admin("POST", "/admin/api/keys", body);
  }

  AnthropicClient sdk(JsonNode key) {
    return AnthropicOkHttpClient.builder().baseUrl(node.baseUrl() + "/api").apiKey(key.get("key").asText())
        .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
  }

  JsonNode row(JsonNode key) throws Exception {
    return node.awaitRequests(key.get("id").asText(), r -> r.size() == 1).get(0);
  }

  JsonNode account(String id) throws Exception {
    return node.admin("GET", "/admin/api/accounts/" + id, null);
  }

  HttpResponse<String> raw(JsonNode key, String body) throws Exception {
    return node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
        .header("x-api-key", key.get("key").asText()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aSignedStreamReachesTheSdkAsAnthropicSseWithExactUsage() throws Exception {
    JsonNode key = key(signed, false);
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk(key).messages().createStreaming(
        MessageCreateParams.builder().model(MODEL).maxTokens(256).addUserMessage("hello")
            .putAdditionalHeader("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14")
            .build())) {
      stream.stream().forEach(acc::accumulate);
    }
    Message message = acc.message();
    assertEquals(MockBedrock.STREAM_TEXT, message.content().get(0).asText().text());
    assertEquals(MODEL, message.model().asString(), "the model as the client asked for it");
    assertEquals(MockBedrock.OUTPUT, message.usage().outputTokens());

    MockBedrock.Received got = bedrock.received().get(0);
    assertEquals("us.anthropic.claude-sonnet-4-5-20250929-v1:0", got.modelId());
    assertTrue(got.rawPath().endsWith("/invoke-with-response-stream"), got.rawPath());
    assertEquals("application/vnd.amazon.eventstream", got.headers().get("accept"));
    assertFalse(got.headers().containsKey("x-api-key"), "the relay key does not go to AWS");
    assertFalse(got.headers().containsKey("anthropic-version"));
    assertEquals("FwoGZXIvYXdzEMockSessionToken", got.headers().get("x-amz-security-token"));
    assertEquals("[\"interleaved-thinking-2025-05-14\"]", got.json().get("anthropic_beta").toString());
    assertEquals("bedrock-2023-05-31", got.json().get("anthropic_version").asText());

    JsonNode row = row(key);
    assertEquals(signed, row.get("accountId").asText());
    assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
    assertEquals(MODEL, row.get("model").asText(), row.toString());
    assertEquals(MockBedrock.INPUT, row.get("inputTokens").asLong());
    assertEquals(MockBedrock.CACHE_READ, row.get("cacheReadTokens").asLong());
    assertEquals(MockBedrock.CACHE_WRITE, row.get("cacheWriteTokens").asLong());
    assertEquals(MockBedrock.OUTPUT, row.get("outputTokens").asLong());
    assertTrue(row.get("costMicros").asLong() > 0, row.toString());
  }

  @Test
  void anApiKeyAccountAnswersWholeMessages() throws Exception {
    JsonNode key = key(apiKeyAccount, false);
    Message message = sdk(key).messages().create(MessageCreateParams.builder().model(MODEL).maxTokens(64)
        .addUserMessage("hi").build());
    assertEquals(MockBedrock.WHOLE_TEXT, message.content().get(0).asText().text());
    assertEquals(MODEL, message.model().asString());
    MockBedrock.Received got = bedrock.received().get(0);
    assertEquals("Bearer " + MockBedrock.API_KEY, got.headers().get("authorization"));
    assertTrue(got.rawPath().endsWith("/invoke"), got.rawPath());
    JsonNode row = row(key);
    assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
    assertEquals(MockBedrock.WHOLE_INPUT, row.get("inputTokens").asLong());
    assertEquals(MockBedrock.WHOLE_OUTPUT, row.get("outputTokens").asLong());
  }

  @Test
  void aThrottledBedrockAccountFailsOverToAClaudeAccountBeforeTheFirstByte() throws Exception {
    JsonNode key = key(throttled, true);
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = sdk(key).messages().createStreaming(
        MessageCreateParams.builder().model(MODEL).maxTokens(256).addUserMessage("hello").build())) {
      stream.stream().forEach(acc::accumulate);
    }
    assertEquals(MockAnthropic.STREAM_TEXT, acc.message().content().get(0).asText().text());
    assertEquals(429, bedrock.received().get(0).status());
    assertEquals(1, anthropic.received().size());
    JsonNode row = row(key);
    assertEquals(console, row.get("accountId").asText(), row.toString());
    assertEquals("COMPLETED", row.get("outcome").asText());
    JsonNode cooled = account(throttled);
    assertEquals(429, cooled.get("cooldowns").get(0).get("status").asInt(), cooled.toString());
  }

  @Test
  void anExceptionFrameMidStreamIsAnInStreamErrorAndAnIncompleteRow() throws Exception {
    JsonNode key = key(streamErrors, false);
    HttpResponse<String> r = raw(key, "{\"model\":\"" + MODEL + "\",\"max_tokens\":64,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"MOCK_EXCEPTION\"}]}");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    assertTrue(r.body().startsWith("event: message_start\n"), r.body());
    assertTrue(r.body().contains("\"text\":\"Hello\""), r.body());
    assertTrue(r.body().contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\""),
        r.body());
    assertTrue(r.body().contains("modelStreamErrorException"), r.body());
    assertFalse(r.body().contains("message_stop"), r.body());
    JsonNode row = row(key);
    assertEquals("UPSTREAM_FAILED", row.get("outcome").asText(), row.toString());
    assertFalse(row.get("complete").asBoolean(), row.toString());
    assertEquals(MockBedrock.INPUT, row.get("inputTokens").asLong(), "what was seen is recorded");
  }

  @Test
  void aValidationErrorIsTheClientsAndLeavesTheAccountAlone() throws Exception {
    JsonNode key = key(signed, false);
    BadRequestException e = assertThrows(BadRequestException.class, () -> sdk(key).messages().create(
        MessageCreateParams.builder().model(MODEL).maxTokens(64).addUserMessage("MOCK_VALIDATION").build()));
    assertEquals(400, e.statusCode());
    HttpResponse<String> r = raw(key, "{\"model\":\"" + MODEL + "\",\"max_tokens\":64,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"MOCK_VALIDATION\"}]}");
    assertEquals(400, r.statusCode());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("error", body.get("type").asText(), r.body());
    assertEquals("invalid_request_error", body.get("error").get("type").asText(), r.body());
    assertEquals("messages.0.content: text content blocks must be non-empty",
        body.get("error").get("message").asText());
    JsonNode acc = account(signed);
    assertNotEquals("blocked", acc.get("state").asText());
    assertEquals(0, acc.get("cooldowns").size(), acc.toString());
  }

  @Test
  void accessDeniedBlocksTheAccountAndReachesTheClientAsAnAnthropicError() throws Exception {
    JsonNode key = key(denied, false);
    HttpResponse<String> r = raw(key, "{\"model\":\"" + MODEL + "\",\"max_tokens\":64,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(403, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("permission_error", body.path("error").path("type").asText(), r.body());
    JsonNode acc = account(denied);
    assertEquals("blocked", acc.get("state").asText(), acc.toString());
    assertTrue(acc.toString().contains("don't have access"), acc.toString());
  }

  @Test
  void claudeCodesTokenCountIsEstimatedNotRefused() throws Exception {
    JsonNode key = key(signed, false);
    HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(
            URI.create(node.baseUrl() + "/api/v1/messages/count_tokens"))
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"how many tokens is this?\"}]}"))
        .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
        .header("x-api-key", key.get("key").asText()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).get("input_tokens").asLong() > 0, r.body());
    assertEquals(0, bedrock.received().size());
  }

  @Test
  void theAdminsAccountTestWorks() throws Exception {
    JsonNode test = node.admin("POST", "/admin/api/accounts/" + apiKeyAccount + "/test", null);
    assertTrue(test.get("ok").asBoolean(), test.toString());
    assertTrue(bedrock.received().get(0).modelId().contains("anthropic.claude"), bedrock.received().toString());
  }

  /** The SDK's own Bedrock backend (SigV4 by the AWS SDK, its event-stream decoder) accepts the mock. */
  @Test
  void theAnthropicSdksBedrockBackendAcceptsTheMock() throws Exception {
    AnthropicClient aws = bedrockSdk(MockBedrock.SECRET_KEY);
    Message whole;
    try {
      whole = aws.messages().create(MessageCreateParams.builder()
          .model("us.anthropic.claude-sonnet-4-5-20250929-v1:0").maxTokens(64).addUserMessage("hi").build());
    } catch (RuntimeException e) {
      throw new AssertionError("sent: " + bedrock.received().stream().map(r -> r.rawPath() + " " + r.headers() + " "
          + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).toList(), e);
    }
    assertEquals(MockBedrock.WHOLE_TEXT, whole.content().get(0).asText().text());
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = aws.messages().createStreaming(MessageCreateParams.builder()
        .model("us.anthropic.claude-sonnet-4-5-20250929-v1:0").maxTokens(64).addUserMessage("hi").build())) {
      stream.stream().forEach(acc::accumulate);
    }
    assertEquals(MockBedrock.STREAM_TEXT, acc.message().content().get(0).asText().text());
    List<MockBedrock.Received> got = bedrock.received();
    assertEquals(2, got.size(), got.toString());
    assertEquals("us.anthropic.claude-sonnet-4-5-20250929-v1:0", got.get(1).modelId());
  }

  /**
   * The SDK's Bedrock backend with its base URL on the mock (this SDK release has no override of its own): every
   * step of preparing, signing and reading is the backend's.
   */
  AnthropicClient bedrockSdk(String secret) {
    BedrockBackend real = BedrockBackend.builder().region(Region.US_EAST_1)
        .awsCredentials(AwsBasicCredentials.create(MockBedrock.ACCESS_KEY, secret)).build();
    String base = bedrock.baseUrl();
    Backend onMock = new Backend() {
      @Override
      public String baseUrl() {
        return base;
      }

      @Override
      public com.anthropic.core.http.HttpRequest prepareRequest(com.anthropic.core.http.HttpRequest request) {
        return real.prepareRequest(request);
      }

      @Override
      public com.anthropic.core.http.HttpRequest authorizeRequest(com.anthropic.core.http.HttpRequest request) {
        return real.authorizeRequest(request);
      }

      @Override
      public com.anthropic.core.http.HttpResponse prepareResponse(com.anthropic.core.http.HttpResponse response) {
        return real.prepareResponse(response);
      }

      @Override
      public void close() {
        real.close();
      }
    };
    return AnthropicOkHttpClient.builder().backend(onMock).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
  }

  /** A wrong secret is caught by the mock's signature check: it is a real one. */
  @Test
  void aWrongSignatureIsRefused() throws Exception {
    AnthropicClient aws = bedrockSdk("not-the-secret");
    assertThrows(com.anthropic.errors.PermissionDeniedException.class, () -> aws.messages().create(
        MessageCreateParams.builder().model("us.anthropic.claude-sonnet-4-5-20250929-v1:0").maxTokens(64)
            .addUserMessage("hi").build()));
    assertEquals(403, bedrock.received().get(0).status());
    assertTrue(bedrock.received().get(0).headers().get("authorization").startsWith("AWS4-HMAC-SHA256"));
  }
}
