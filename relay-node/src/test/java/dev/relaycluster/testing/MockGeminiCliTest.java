package dev.relaycluster.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real Gemini CLI ({@link GeminiCli}, 0.61.0) directly against {@link MockGemini} in both modes: a
 * prompt (with the router classifier call in front of it), the shell-tool round trip with {@code --yolo}
 * (the CLI runs {@code echo mock-tool-ok} and sends the functionResponse back), usage in {@code -o json}, and
 * Code Assist onboarding with operation polls. Skipped when gemini is not installed, failed in CI.
 *
 * <p>What each mode needed (see {@link GeminiCli}): API key: settings {@code security.auth.selectedType =
 * "gemini-api-key"} plus {@code GEMINI_API_KEY}, {@code GOOGLE_GEMINI_BASE_URL}; Code Assist:
 * {@code GOOGLE_GENAI_USE_GCA=true}, {@code GOOGLE_CLOUD_ACCESS_TOKEN}, {@code CODE_ASSIST_ENDPOINT}, settings
 * selectedType {@code "oauth-personal"} or none (not "gemini-api-key"); both {@code GEMINI_CLI_TRUST_WORKSPACE=true}
 * and telemetry, usage statistics and auto-update off.
 */
class MockGeminiCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private MockGemini mock;

  @BeforeEach
  void start() throws IOException {
    GeminiCli.assumeInstalled();
    mock = MockGemini.start();
  }

  @AfterEach
  void stop() {
    if (mock != null) {
      mock.close();
    }
  }

  private GeminiCli apiKeyCli() throws IOException {
    return new GeminiCli(dir, GeminiCli.Mode.API_KEY, mock.baseUrl(), MockGemini.API_KEY);
  }

  private GeminiCli codeAssistCli() throws IOException {
    return new GeminiCli(dir, GeminiCli.Mode.CODE_ASSIST, mock.baseUrl(), mock.issueAccessToken());
  }

  private List<MockGemini.Received> streams(String prefix) {
    return mock.received().stream().filter(r -> r.path().startsWith(prefix) && r.path().endsWith(
        ":streamGenerateContent")).toList();
  }

  @Test
  void apiKeyPromptGoesThroughTheRouter() throws Exception {
    GeminiCli.Result r = apiKeyCli().prompt("say hi", null, false, false);
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains(MockGemini.TEXT), r.toString());
    MockGemini.Received router = mock.received().stream().filter(q -> q.path().endsWith(":generateContent"))
        .findFirst().orElseThrow();
    assertTrue(router.json().at("/generationConfig/responseJsonSchema/properties").has("complexity_score"),
        router.body());
    MockGemini.Received main = streams("/v1beta/models/").get(0);
    assertEquals("sse", main.queryParam("alt"));
    assertEquals(MockGemini.API_KEY, main.header("x-goog-api-key"));
    assertTrue(main.header("user-agent").contains("GeminiCLI"), main.header("user-agent"));
    assertEquals(2, mock.requestsByCredential(MockGemini.API_KEY));
  }

  @Test
  void apiKeyToolRoundTripWithYolo() throws Exception {
    GeminiCli.Result r = apiKeyCli().prompt("MOCK_TOOL run it", "gemini-2.5-pro", true, true);
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockGeminiAnswers.TOOL_RESULT_PREFIX + MockGeminiAnswers.TOOL_OUTPUT, out.path("response").asText(),
        r.toString());
    List<MockGemini.Received> calls = streams("/v1beta/models/gemini-2.5-pro");
    assertEquals(2, calls.size(), "-m skips the router: the call and the one carrying the tool's result");
    assertFunctionResponse(calls.get(1).json());
    JsonNode tokens = out.at("/stats/models/gemini-2.5-pro/tokens");
    assertEquals(MockGeminiAnswers.TOOL_CALL_USAGE.prompt() + MockGeminiAnswers.TEXT_USAGE.prompt(),
        tokens.path("prompt").asInt(), out.toString());
    assertEquals(MockGeminiAnswers.TOOL_CALL_USAGE.thoughts() + MockGeminiAnswers.TEXT_USAGE.thoughts(),
        tokens.path("thoughts").asInt());
  }

  @Test
  void codeAssistPrompt() throws Exception {
    GeminiCli.Result r = codeAssistCli().prompt("say hi", "gemini-2.5-pro", false, false);
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains(MockGemini.TEXT), r.toString());
    assertEquals(1, mock.requests("/v1internal:loadCodeAssist"));
    assertEquals(0, mock.requests("/v1internal:onboardUser"));
    MockGemini.Received call = mock.received("/v1internal:streamGenerateContent").get(0);
    JsonNode body = call.json();
    assertEquals("gemini-2.5-pro", body.path("model").asText());
    assertEquals(MockGemini.PROJECT, body.path("project").asText());
    assertFalse(body.at("/request/session_id").asText().isEmpty(), call.body());
    assertTrue(call.header("authorization").startsWith("Bearer ya29.mock-"));
    assertEquals(List.of(MockGemini.PROJECT), mock.projectsSeen());
    assertEquals(1, mock.requestsByAccount(MockGemini.EMAIL));
  }

  @Test
  void codeAssistToolRoundTripWithYolo() throws Exception {
    GeminiCli.Result r = codeAssistCli().prompt("MOCK_TOOL run it", null, true, false);
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains(MockGeminiAnswers.TOOL_RESULT_PREFIX + MockGeminiAnswers.TOOL_OUTPUT), r.toString());
    assertEquals(1, mock.requests("/v1internal:generateContent"), "the router classifier");
    List<MockGemini.Received> calls = streams("/v1internal");
    assertEquals(2, calls.size());
    assertFunctionResponse(calls.get(1).json().path("request"));
    assertEquals(calls.get(0).json().at("/request/session_id"), calls.get(1).json().at("/request/session_id"));
  }

  @Test
  void codeAssistOnboardsWhenThereIsNoTier() throws Exception {
    mock.setup(MockGemini.Setup.ONBOARD);
    GeminiCli.Result r = codeAssistCli().prompt("say hi", "gemini-2.5-flash", false, false);
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains(MockGemini.TEXT), r.toString());
    assertEquals(1, mock.requests("/v1internal:onboardUser"));
    assertEquals("free-tier", mock.received("/v1internal:onboardUser").get(0).json().path("tierId").asText());
    assertEquals(2, mock.received().stream().filter(q -> q.path().startsWith("/v1internal/operations/")).count());
    assertEquals(List.of(MockGemini.ONBOARDED_PROJECT), mock.projectsSeen());
  }

  /** The request's last content is the user's functionResponse of the shell tool, holding its output. */
  private static void assertFunctionResponse(JsonNode request) {
    JsonNode contents = request.path("contents");
    JsonNode fr = contents.get(contents.size() - 1).at("/parts/0/functionResponse");
    assertEquals(MockGeminiAnswers.TOOL_NAME, fr.path("name").asText(), request.toString());
    assertTrue(fr.at("/response/output").asText().contains(MockGeminiAnswers.TOOL_OUTPUT), fr.toString());
  }
}
