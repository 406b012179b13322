package dev.relaycluster.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ClientException;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.ThinkingConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives {@link MockGemini}'s public Gemini API with the official Google Gen AI Java SDK (generateContent,
 * the SSE stream, countTokens, a 429 and a bad key mapped to its exception) and with java.net.http (the JSON
 * array stream, key errors, the models page, the router's JSON mode, the tool round trip, a cut stream),
 * asserting exact usage, so the mock provably speaks what real clients read. Code Assist and OAuth:
 * {@link MockGeminiCodeAssistTest}; the real CLI: {@link MockGeminiCliTest}.
 */
class MockGeminiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = MockGeminiHttp.HTTP;
  private static MockGemini mock;
  private static Client sdk;

  @BeforeAll
  static void start() throws IOException {
    mock = MockGemini.start();
    sdk = Client.builder().apiKey(MockGemini.API_KEY).vertexAI(false)
        .httpOptions(HttpOptions.builder().baseUrl(mock.baseUrl())
            .retryOptions(HttpRetryOptions.builder().attempts(1).build()).build())
        .build();
  }

  @AfterAll
  static void stop() {
    sdk.close();
    mock.close();
  }

  @BeforeEach
  void reset() {
    mock.clear();
    mock.setup(MockGemini.Setup.CURRENT_TIER);
    mock.setQuotaRemaining(1.0);
  }

  // ---- the official SDK against the public API (SDK 2.3.0 calls /v1/ by default) ----

  @Test
  void sdkGenerateContentReadsTextAndUsage() {
    GenerateContentResponse r = sdk.models.generateContent("gemini-2.5-pro", "Say hi", null);
    assertEquals(MockGemini.TEXT, r.text());
    GenerateContentResponseUsageMetadata u = r.usageMetadata().orElseThrow();
    assertEquals(1000, u.promptTokenCount().orElseThrow());
    assertEquals(50, u.candidatesTokenCount().orElseThrow());
    assertEquals(20, u.thoughtsTokenCount().orElseThrow());
    assertEquals(1070, u.totalTokenCount().orElseThrow());
    assertTrue(u.cachedContentTokenCount().isEmpty());
    assertEquals("gemini-2.5-pro", r.modelVersion().orElseThrow());
    assertFalse(r.responseId().orElseThrow().isEmpty());
    MockGemini.Received req = mock.received("/v1/models/gemini-2.5-pro:generateContent").get(0);
    assertEquals(MockGemini.API_KEY, req.header("x-goog-api-key"));
    assertEquals("Say hi", req.json().at("/contents/0/parts/0/text").asText());
    assertEquals(1, mock.requestsByCredential(MockGemini.API_KEY));
  }

  @Test
  void sdkStreamUsesSseAndSeesGrowingUsage() {
    List<GenerateContentResponse> chunks = new ArrayList<>();
    GenerateContentConfig config = GenerateContentConfig.builder()
        .thinkingConfig(ThinkingConfig.builder().includeThoughts(true).build()).build();
    try (ResponseStream<GenerateContentResponse> stream = sdk.models.generateContentStream("mock-cached", "Hi", config)) {
      stream.forEach(chunks::add);
    }
    StringBuilder text = new StringBuilder();
    StringBuilder thought = new StringBuilder();
    for (GenerateContentResponse c : chunks) {
      c.parts().forEach(p -> (p.thought().orElse(false) ? thought : text).append(p.text().orElse("")));
    }
    assertEquals(MockGemini.TEXT, text.toString());
    assertEquals(MockGeminiAnswers.THOUGHT, thought.toString());
    assertEquals(MockGeminiAnswers.TEXT_PIECES.size() + 1, chunks.size());
    GenerateContentResponseUsageMetadata last = chunks.get(chunks.size() - 1).usageMetadata().orElseThrow();
    assertEquals(600, last.cachedContentTokenCount().orElseThrow());
    assertEquals(1070, last.totalTokenCount().orElseThrow());
    assertEquals(50, last.candidatesTokenCount().orElseThrow());
    int firstCandidates = chunks.get(1).usageMetadata().orElseThrow().candidatesTokenCount().orElseThrow();
    assertTrue(firstCandidates < 50, "candidates grow over the stream");
    assertEquals("STOP", chunks.get(chunks.size() - 1).finishReason().toString());
    assertEquals("sse", mock.received("/v1/models/mock-cached:streamGenerateContent").get(0).queryParam("alt"));
  }

  @Test
  void sdkCountTokensCountsWords() {
    CountTokensResponse r = sdk.models.countTokens("gemini-2.5-flash", "one two three four", null);
    assertEquals(4, r.totalTokens().orElseThrow());
    assertEquals(1, mock.requests("/v1/models/gemini-2.5-flash:countTokens"));
  }

  @Test
  void sdkMapsRateLimitToClientException() {
    ClientException e = assertThrows(ClientException.class,
        () -> sdk.models.generateContent("mock-429", "Hi", null));
    assertEquals(429, e.code());
    assertEquals("RESOURCE_EXHAUSTED", e.status());
    assertTrue(e.message().contains("Please retry in 7s"), e.message());
  }

  @Test
  void sdkSeesInvalidKey() {
    try (Client bad = Client.builder().apiKey("wrong-key").vertexAI(false)
        .httpOptions(HttpOptions.builder().baseUrl(mock.baseUrl()).build()).build()) {
      ClientException e = assertThrows(ClientException.class, () -> bad.models.generateContent("gemini-2.5-pro", "Hi",
          null));
      assertEquals(400, e.code());
      assertEquals("INVALID_ARGUMENT", e.status());
      assertTrue(e.message().startsWith("API key not valid"), e.message());
    }
  }

  // ---- raw HTTP: public API ----

  @Test
  void jsonArrayStreamWithoutAltSse() throws Exception {
    HttpResponse<String> r = post("/v1/models/gemini-2.5-flash:streamGenerateContent?key=" + MockGemini.SECOND_API_KEY,
        null, "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
    assertTrue(r.body().startsWith("[{") && r.body().endsWith("}\n]"), r.body());
    assertTrue(r.body().contains("}\n,\r\n{"), "elements separated as Google does");
    JsonNode array = JSON.readTree(r.body());
    assertEquals(MockGeminiAnswers.TEXT_PIECES.size(), array.size());
    StringBuilder text = new StringBuilder();
    array.forEach(c -> text.append(c.at("/candidates/0/content/parts/0/text").asText()));
    assertEquals(MockGemini.TEXT, text.toString());
    JsonNode last = array.get(array.size() - 1);
    assertEquals("STOP", last.at("/candidates/0/finishReason").asText());
    assertTrue(array.get(0).at("/candidates/0/finishReason").isMissingNode());
    assertEquals(1070, last.at("/usageMetadata/totalTokenCount").asInt());
    assertEquals(1, mock.requestsByCredential(MockGemini.SECOND_API_KEY));
  }

  @Test
  void missingAndWrongKeysGetGoogleErrors() throws Exception {
    String body = "{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}";
    HttpResponse<String> wrong = post("/v1beta/models/gemini-2.5-pro:generateContent", "x-goog-api-key: nope", body);
    assertEquals(400, wrong.statusCode());
    JsonNode e = JSON.readTree(wrong.body()).path("error");
    assertEquals("INVALID_ARGUMENT", e.path("status").asText());
    assertEquals("API_KEY_INVALID", e.at("/details/0/reason").asText());
    HttpResponse<String> none = post("/v1beta/models/gemini-2.5-pro:generateContent", null, body);
    assertEquals(403, none.statusCode());
    assertEquals("PERMISSION_DENIED", JSON.readTree(none.body()).at("/error/status").asText());
  }

  @Test
  void modelsPageLikeGoogle() throws Exception {
    HttpResponse<String> r = get("/v1beta/models?pageSize=2", "x-goog-api-key: " + MockGemini.API_KEY);
    assertEquals(200, r.statusCode());
    JsonNode page = JSON.readTree(r.body());
    assertEquals("models/gemini-2.5-pro", page.at("/models/0/name").asText());
    assertEquals(2, page.path("models").size());
    assertEquals("page-2", page.path("nextPageToken").asText());
  }

  @Test
  void routerClassifierGetsJsonHonouringMinimum() throws Exception {
    String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"route me\"}]}],\"generationConfig\":{"
        + "\"responseMimeType\":\"application/json\",\"responseJsonSchema\":{\"type\":\"object\",\"properties\":{"
        + "\"complexity_reasoning\":{\"type\":\"string\"},\"complexity_score\":{\"type\":\"integer\",\"minimum\":5}},"
        + "\"required\":[\"complexity_reasoning\",\"complexity_score\"]}}}";
    HttpResponse<String> r = post("/v1beta/models/gemini-2.5-flash-lite:generateContent",
        "x-goog-api-key: " + MockGemini.API_KEY, body);
    JsonNode answer = JSON.readTree(JSON.readTree(r.body()).at("/candidates/0/content/parts/0/text").asText());
    assertEquals(5, answer.path("complexity_score").asInt());
    assertEquals("mock", answer.path("complexity_reasoning").asText());
  }

  @Test
  void toolRoundTrip() throws Exception {
    String tools = "\"tools\":[{\"functionDeclarations\":[{\"name\":\"read_file\"},{\"name\":\"run_shell_command\","
        + "\"parametersJsonSchema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}}}}]}]";
    HttpResponse<String> call = post("/v1beta/models/gemini-2.5-pro:generateContent",
        "x-goog-api-key: " + MockGemini.API_KEY,
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"MOCK_TOOL run it\"}]}]," + tools + "}");
    JsonNode fc = JSON.readTree(call.body()).at("/candidates/0/content/parts/0/functionCall");
    assertEquals("run_shell_command", fc.path("name").asText());
    assertEquals("echo mock-tool-ok", fc.at("/args/command").asText());
    HttpResponse<String> result = post("/v1beta/models/gemini-2.5-pro:generateContent",
        "x-goog-api-key: " + MockGemini.API_KEY,
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"MOCK_TOOL run it\"}]},{\"role\":\"model\",\"parts\":["
            + "{\"functionCall\":" + fc + "}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":"
            + "\"run_shell_command\",\"response\":{\"output\":\"Command: echo mock-tool-ok\\nOutput: mock-tool-ok\\n"
            + "Exit Code: 0\"}}}]}]," + tools + "}");
    assertEquals("tool said: mock-tool-ok",
        JSON.readTree(result.body()).at("/candidates/0/content/parts/0/text").asText());
  }

  @Test
  void breakCutsTheStreamWithoutTerminator() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(mock.baseUrl()
            + "/v1beta/models/mock-break:streamGenerateContent?alt=sse"))
        .header("x-goog-api-key", MockGemini.API_KEY).POST(HttpRequest.BodyPublishers.ofString(
            "{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}")).build();
    HttpResponse<InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    StringBuilder seen = new StringBuilder();
    assertThrows(IOException.class, () -> {
      try (InputStream in = r.body()) {
        byte[] buf = new byte[256];
        int n;
        while ((n = in.read(buf)) >= 0) {
          seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      }
    });
    assertTrue(seen.toString().startsWith("data: {"), seen.toString());
    assertFalse(seen.toString().endsWith("\r\n\r\n"), "cut inside an event");
  }

  private static HttpResponse<String> post(String pathAndQuery, String header, String body) throws Exception {
    return MockGeminiHttp.post(mock, pathAndQuery, header, body);
  }

  @Test
  void oddContentsStillGetAnAnswer() throws Exception {
    // contents as an object, not an array: the relay may pass it on, and the mock must still answer 200.
    JsonNode request = new ObjectMapper().readTree("{\"contents\":{\"a\":{\"parts\":[{\"text\":\"hi\"}]}}}");
    assertFalse(MockGeminiAnswers.chunks("gemini-2.5-pro", request, "r-1").isEmpty());
  }

  private static HttpResponse<String> get(String pathAndQuery, String header) throws Exception {
    return MockGeminiHttp.get(mock, pathAndQuery, header);
  }
}
