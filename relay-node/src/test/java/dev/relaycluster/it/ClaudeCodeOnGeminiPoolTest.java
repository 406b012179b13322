package dev.relaycluster.it;

import static dev.relaycluster.it.CrossPoolCli.JSON;
import static dev.relaycluster.it.CrossPoolCli.assertRow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.ClaudeCli;
import dev.relaycluster.testing.MockGemini;
import dev.relaycluster.testing.MockGeminiAnswers;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI ({@link ClaudeCli}, Anthropic Messages) through a key whose model map sends
 * {@code claude-*} to {@code gemini:gemini-2.5-pro}, served by a Gemini API key account on {@link MockGemini}:
 * a prompt, and the Bash tool round trip (the mock answers a {@code functionCall} of the declared tool named
 * Bash with {@code {"command":"echo mock-tool-ok"}}, the CLI runs it, the follow-up carries the
 * functionResponse). One ledger row per upstream call with the mock's usageMetadata.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaudeCodeOnGeminiPoolTest {
  private static final String UPSTREAM_MODEL = "gemini-2.5-pro";
  private static final String STREAM_PATH = "/v1beta/models/" + UPSTREAM_MODEL + ":streamGenerateContent";

  private MockGemini mock;
  private TestNode node;
  private String account;

  @TempDir
  Path dir;

  @BeforeAll
  void start() throws Exception {
    ClaudeCli.assumeInstalled();
    mock = MockGemini.start();
    node = TestNode.embedded(Files.createTempDirectory("relay-claude-on-gemini-"), Map.of());
    ObjectNode body = JSON.createObjectNode().put("name", "gemini-key").put("platform", "gemini")
        .put("type", "gemini-api").put("baseUrl", mock.baseUrl()).put("apiKey", MockGemini.API_KEY);
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
  void clear() {
    mock.clear();
  }

  private ClaudeCli cli(String name, JsonNode key) throws Exception {
    return new ClaudeCli(dir.resolve(name), node.baseUrl() + "/api", key.get("key").asText());
  }

  private List<MockGemini.Received> upstream() {
    List<MockGemini.Received> calls = mock.received();
    for (MockGemini.Received up : calls) {
      assertEquals("POST", up.method());
      assertEquals(STREAM_PATH, up.path(), "Claude Code streams, so the upstream call streams");
      assertEquals(MockGemini.API_KEY, up.header("x-goog-api-key"), "the account's key went up");
    }
    return calls;
  }

  private static void assertGeminiRow(JsonNode row, String account, MockGeminiAnswers.Usage u) {
    assertRow(row, account, "gemini", UPSTREAM_MODEL, "claude-code", u.prompt() - u.cached(), u.cached(),
        u.candidates() + u.thoughts());
  }

  @Test
  void aPromptIsAnsweredFromTheGeminiPool() throws Exception {
    JsonNode key = CrossPoolCli.mappedKey(node, "claude-code-on-gemini", "gemini", UPSTREAM_MODEL, "claude-*");
    ClaudeCli.Result r = cli("prompt", key).prompt("say hi", ClaudeCli.MODEL, false, true);
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockGemini.TEXT, out.path("result").asText(), r.toString());
    assertFalse(out.path("is_error").asBoolean(true), r.toString());
    assertEquals(1, upstream().size(), "print mode: one model call");
    assertGeminiRow(CrossPoolCli.rows(node, key, 1).get(0), account, MockGeminiAnswers.TEXT_USAGE);
  }

  @Test
  void theBashToolRoundTripRunsOnTheGeminiPool() throws Exception {
    JsonNode key = CrossPoolCli.mappedKey(node, "claude-code-on-gemini-tool", "gemini", UPSTREAM_MODEL, "claude-*");
    ClaudeCli.Result r = cli("tool", key).prompt("MOCK_TOOL run it", ClaudeCli.MODEL, true, true);
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockGeminiAnswers.TOOL_RESULT_PREFIX + MockGeminiAnswers.TOOL_OUTPUT, out.path("result").asText(),
        r.toString());
    assertEquals(2, out.path("num_turns").asInt(), r.toString());

    List<MockGemini.Received> calls = upstream();
    assertEquals(2, calls.size(), "the tool call and its follow-up");
    assertTrue(calls.get(0).body().contains("\"Bash\""), "Claude Code's tools went up as functionDeclarations");
    JsonNode contents = calls.get(1).json().path("contents");
    JsonNode call = null;
    JsonNode response = null;
    for (JsonNode content : contents) {
      for (JsonNode part : content.path("parts")) {
        call = part.has("functionCall") ? part.get("functionCall") : call;
        response = part.has("functionResponse") ? part.get("functionResponse") : response;
      }
    }
    assertNotNull(call, calls.get(1).body());
    assertNotNull(response, calls.get(1).body());
    assertEquals("Bash", call.path("name").asText());
    assertEquals(MockGeminiAnswers.TOOL_COMMAND, call.path("args").path("command").asText());
    assertEquals("Bash", response.path("name").asText(), "the result names the tool it answers");
    // What the CLI's Bash tool printed (Claude Code appends a system-reminder after it).
    assertTrue(response.path("response").toString().contains(MockGeminiAnswers.TOOL_OUTPUT), response.toString());

    List<JsonNode> rows = CrossPoolCli.rows(node, key, 2);
    assertGeminiRow(rows.get(0), account, MockGeminiAnswers.TOOL_CALL_USAGE);
    assertGeminiRow(rows.get(1), account, MockGeminiAnswers.TEXT_USAGE);
  }
}
