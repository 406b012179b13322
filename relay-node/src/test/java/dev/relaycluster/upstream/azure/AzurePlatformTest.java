package dev.relaycluster.upstream.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.Platforms;
import dev.relaycluster.upstream.UpstreamCall;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** The requests an Azure OpenAI account sends: URL by api-version, the deployment as the model, the api-key header. */
class AzurePlatformTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AzurePlatform platform = new AzurePlatform();

  private static Credential credential(String endpoint, String apiVersion, String model) {
    Map<String, String> settings = new HashMap<>();
    settings.put("deployment", "prod-gpt5");
    if (apiVersion != null) {
      settings.put("apiVersion", apiVersion);
    }
    if (model != null) {
      settings.put("model", model);
    }
    return new Credential("a1", "azure-openai", endpoint, "azure-key-123", null, null, null, settings);
  }

  private static UpstreamCall call(String endpoint, String body, boolean stream) {
    return new UpstreamCall(endpoint, "relay=1", List.of(RawHeader.create("authorization", "Bearer rk-client"),
        RawHeader.create("api-key", "rk-client"), RawHeader.create("originator", "codex_cli_rs"),
        RawHeader.create("session_id", "s-1"), RawHeader.create("user-agent", "codex_cli_rs/0.63.0")),
        ContentTypes.APPLICATION_JSON, ByteString.fromString(body), new RequestView("gpt-5", stream, -1, true, null));
  }

  private static JsonNode body(HttpRequest request) throws Exception {
    return JSON.readTree(((org.apache.pekko.http.javadsl.model.HttpEntity.Strict) request.entity()).getData()
        .toArray());
  }

  private static String header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value).orElse(null);
  }

  @Test
  void registeredForTheOpenAiPoolSpeakingResponsesAndChat() {
    assertTrue(Platforms.standard().find("azure-openai").orElseThrow() instanceof AzurePlatform);
    assertEquals("openai", platform.pool());
    assertEquals(DialectId.OPENAI_RESPONSES, platform.dialect());
    assertTrue(platform.speaks(DialectId.OPENAI_RESPONSES));
    assertTrue(platform.speaks(DialectId.OPENAI_CHAT));
    assertFalse(platform.speaks(DialectId.ANTHROPIC));
    assertTrue(platform.serves("responses"));
    assertTrue(platform.serves("chat/completions"));
    assertFalse(platform.serves("compact"), "Azure has no compaction endpoint");
    assertFalse(platform.oauth());
    assertTrue(platform.socketRequest(call("responses", "{}", true), credential("https://r.openai.azure.com", null,
        null)).isEmpty(), "no WebSocket mode");
  }

  @Test
  void theV1ApiWithoutAnApiVersion() throws Exception {
    Credential c = credential("https://res.openai.azure.com/", null, null);
    HttpRequest responses = platform.request(call("responses", "{\"model\":\"gpt-5\",\"input\":\"hi\",\"stream\":true}",
        true), c);
    assertEquals("https://res.openai.azure.com/openai/v1/responses", responses.getUri().toString());
    assertEquals("prod-gpt5", body(responses).path("model").asText());
    assertEquals("hi", body(responses).path("input").asText());
    HttpRequest chat = platform.request(call("chat/completions", "{\"model\":\"gpt-5\",\"messages\":[]}", false), c);
    assertEquals("https://res.openai.azure.com/openai/v1/chat/completions", chat.getUri().toString());
    assertEquals("prod-gpt5", body(chat).path("model").asText());
  }

  @Test
  void theClassicApiWithAnApiVersion() throws Exception {
    Credential c = credential("https://res.openai.azure.com/openai", "2025-04-01-preview", null);
    HttpRequest responses = platform.request(call("responses", "{\"model\":\"gpt-5\",\"input\":\"hi\"}", false), c);
    assertEquals("https://res.openai.azure.com/openai/responses?api-version=2025-04-01-preview",
        responses.getUri().toString());
    assertEquals("prod-gpt5", body(responses).path("model").asText());
    HttpRequest chat = platform.request(call("chat/completions", "{\"model\":\"gpt-5\",\"messages\":[]}", false), c);
    assertEquals("https://res.openai.azure.com/openai/deployments/prod-gpt5/chat/completions"
        + "?api-version=2025-04-01-preview", chat.getUri().toString());
    assertEquals("prod-gpt5", body(chat).path("model").asText());
    assertEquals("https://res.openai.azure.com", AzurePlatform.resourceRoot("https://res.openai.azure.com/openai/v1/"));
  }

  @Test
  void theKeyGoesInApiKeyAndTheClientsCredentialsStayBehind() {
    HttpRequest r = platform.request(call("responses", "{\"model\":\"gpt-5\"}", false),
        credential("https://res.openai.azure.com", null, null));
    assertEquals("azure-key-123", header(r, "api-key"));
    assertNull(header(r, "authorization"));
    assertNull(header(r, "x-api-key"));
    assertEquals("codex_cli_rs", header(r, "originator"));
    assertEquals("s-1", header(r, "session_id"));
    assertEquals("identity", header(r, "accept-encoding"));
    long keys = 0;
    for (HttpHeader h : r.getHeaders()) {
      if (h.lowercaseName().equals("api-key")) {
        keys++;
      }
    }
    assertEquals(1, keys, "only the account's key");
  }

  @Test
  void aStreamedChatAsksForUsageAndHidesItWhereTheClientDidNot() throws Exception {
    Credential c = credential("https://res.openai.azure.com", "2024-10-21", null);
    UpstreamCall plain = call("chat/completions", "{\"model\":\"gpt-5\",\"stream\":true,\"messages\":[]}", true);
    JsonNode sent = body(platform.request(plain, c));
    assertTrue(sent.path("stream_options").path("include_usage").asBoolean(), sent.toString());
    assertEquals("prod-gpt5", sent.path("model").asText());
    assertFalse(platform.framing(plain).identity());
    UpstreamCall asked = call("chat/completions",
        "{\"model\":\"gpt-5\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}", true);
    assertSame(AnswerFraming.IDENTITY, platform.framing(asked));
    assertSame(AnswerFraming.IDENTITY, platform.framing(call("responses", "{\"stream\":true}", true)));
  }

  @Test
  void pricedAsTheConfiguredModelElseWhatUpstreamNamesUnlessThatIsTheDeployment() {
    UnaryOperator<String> configured = platform.servedModels(credential("https://r.openai.azure.com", null,
        "gpt-5-mini"));
    assertEquals("gpt-5-mini", configured.apply("gpt-5-2025-08-07"));
    assertEquals("gpt-5-mini", configured.apply(null));
    UnaryOperator<String> reported = platform.servedModels(credential("https://r.openai.azure.com", null, null));
    assertEquals("gpt-5-2025-08-07", reported.apply("gpt-5-2025-08-07"));
    assertNull(reported.apply("prod-gpt5"), "the deployment's own name: the client's model is priced");
    assertNull(reported.apply(null));
  }

  @Test
  void theAdminsTestIsAOneLineChatOnTheDeployment() throws Exception {
    HttpRequest r = platform.request(platform.probe(platform.probeModel()),
        credential("https://res.openai.azure.com", "2024-10-21", null));
    assertEquals("https://res.openai.azure.com/openai/deployments/prod-gpt5/chat/completions?api-version=2024-10-21",
        r.getUri().toString());
    assertEquals("prod-gpt5", body(r).path("model").asText());
    assertEquals("ping", body(r).path("messages").path(0).path("content").asText());
  }

  @Test
  void aMissingDeploymentBlocksAndAChatStreamErrorIsJudged() {
    assertEquals(AnswerClass.ORG_DISABLED, platform.classify(404, Map.of(), ("{\"error\":{\"code\":"
        + "\"DeploymentNotFound\",\"message\":\"The API deployment for this resource does not exist.\"}}")
        .getBytes(StandardCharsets.UTF_8), 1000).answerClass());
    assertTrue(platform.healthHeader("retry-after-ms"));
    assertEquals(AnswerClass.SERVER_ERROR, platform.classifyStreamError("server_error", ("{\"error\":{\"message\":"
        + "\"The server had an error\",\"type\":\"server_error\"}}").getBytes(StandardCharsets.UTF_8), 1000)
        .answerClass());
  }
}
