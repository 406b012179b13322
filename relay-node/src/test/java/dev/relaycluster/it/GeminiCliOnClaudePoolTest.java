package dev.relaycluster.it;

import static dev.relaycluster.it.CrossPoolCli.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.testing.GeminiCli;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropicTools;
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
 * The real Gemini CLI ({@link GeminiCli}, API-key mode: {@code selectedType: gemini-api-key}, Gemini API
 * {@code streamGenerateContent?alt=sse}) through a key whose model map sends {@code gemini-*} to
 * {@code claude:claude-sonnet-4-5}, served by a Claude Console account on {@link MockAnthropic}: a prompt
 * pinned to {@code -m gemini-2.5-pro}; the same unpinned, so the CLI first asks its model router (a
 * {@code generateContent} with a {@code responseJsonSchema} in Gemini's capitals, which goes up as
 * {@code output_config.format} in JSON Schema's lower case and closed with {@code additionalProperties: false},
 * else the mock refuses it as Claude does); and the
 * shell tool round trip under {@code --yolo} (the mock answers a {@code tool_use} of Gemini CLI's
 * run_shell_command with {@code {"command":"echo mock-tool-ok"}}, the CLI runs it, the follow-up carries the
 * tool_result). One ledger row per upstream call with the mock's Anthropic usage, client dialect gemini.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeminiCliOnClaudePoolTest {
  private static final String CONSOLE_KEY = "sk-ant-api03-console-gemini-cli";
  private static final String GEMINI_MODEL = "gemini-2.5-pro";
  private static final String UPSTREAM_MODEL = "claude-sonnet-4-5";
  /** The model MockAnthropic's plain stream names ({@link MockAnthropic#STREAM}). */
  private static final String STREAM_MODEL = "claude-sonnet-4-5-20250929";

  private MockAnthropic mock;
  private TestNode node;
  private String account;

  @TempDir
  Path dir;

  @BeforeAll
  void start() throws Exception {
    GeminiCli.assumeInstalled();
    mock = new MockAnthropic();
    node = TestNode.embedded(Files.createTempDirectory("relay-gemini-cli-on-claude-"), Map.of());
    account = node.createConsoleAccount("console-gemini-cli", mock.baseUrl(), CONSOLE_KEY, 10);
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

  private JsonNode key(String name) throws Exception {
    return CrossPoolCli.mappedKey(node, name, "claude", UPSTREAM_MODEL, "gemini-*");
  }

  private GeminiCli cli(String name, JsonNode key) throws Exception {
    return new GeminiCli(dir.resolve(name), GeminiCli.Mode.API_KEY, node.baseUrl() + "/gemini",
        key.get("key").asText());
  }

  /** The upstream calls, each checked: Messages, the account's key, the mapped model. */
  private List<JsonNode> upstream(int n) throws Exception {
    List<MockAnthropic.Received> calls = mock.received();
    assertEquals(n, calls.size(), calls.toString());
    List<JsonNode> bodies = new java.util.ArrayList<>();
    for (MockAnthropic.Received up : calls) {
      assertEquals("POST", up.method());
      assertEquals("/v1/messages", up.target().replaceFirst("\\?.*", ""), up.target());
      assertEquals(CONSOLE_KEY, up.header("x-api-key"), "the account's key went up");
      JsonNode body = JSON.readTree(up.body());
      assertEquals(UPSTREAM_MODEL, body.path("model").asText(), "the key's map chose the upstream model");
      bodies.add(body);
    }
    return bodies;
  }

  /** One upstream call's row of this test's Claude Console account, for the Gemini CLI. */
  private void assertRow(JsonNode row, String servedModel, long input, long cacheRead, long output) {
    CrossPoolCli.assertRow(row, account, "claude", servedModel, "gemini-cli", input, cacheRead, output);
  }

  /** MockAnthropic.STREAM's usage: 1200 input, 20000 cache reads, 1000 + 2000 cache writes, 57 output. */
  private void assertStreamRow(JsonNode row) {
    assertRow(row, STREAM_MODEL, 1200, 20000, 57);
    assertEquals(3000, row.get("cacheWriteTokens").asLong(), row.toString());
  }

  @Test
  void aPinnedPromptIsAnsweredFromTheClaudePool() throws Exception {
    JsonNode key = key("gemini-cli-on-claude");
    GeminiCli.Result r = cli("prompt", key).prompt("say hi", GEMINI_MODEL, false, true);
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(MockAnthropic.STREAM_TEXT, JSON.readTree(r.stdout()).path("response").asText(), r.toString());
    JsonNode body = upstream(1).get(0);
    assertTrue(body.path("stream").asBoolean(), "the CLI streams, so the upstream call streams");
    List<String> tools = new java.util.ArrayList<>();
    body.path("tools").forEach(t -> tools.add(t.path("name").asText()));
    // Without --yolo, -p mode offers no shell (nor write) tool; the read-only ones go up as Claude tools.
    assertTrue(tools.contains("read_file") && !tools.contains("run_shell_command"), tools.toString());
    assertStreamRow(CrossPoolCli.rows(node, key, 1).get(0));
  }

  @Test
  void unpinnedTheRouterCallIsAnsweredInJsonFromTheClaudePool() throws Exception {
    JsonNode key = key("gemini-cli-on-claude-router");
    GeminiCli.Result r = cli("router", key).prompt("say hi", null, false, true);
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(MockAnthropic.STREAM_TEXT, JSON.readTree(r.stdout()).path("response").asText(), r.toString());
    List<JsonNode> bodies = upstream(2);
    JsonNode router = bodies.get(0);
    assertFalse(router.path("stream").asBoolean(false), "the router's generateContent does not stream");
    assertEquals(JSON.readTree("""
        {"type":"json_schema","schema":{"type":"object","properties":{
          "complexity_reasoning":{"type":"string","description":"Brief explanation for the score."},
          "complexity_score":{"type":"integer","description":"Complexity score from 1-100."}},
          "required":["complexity_reasoning","complexity_score"],"additionalProperties":false}}
        """), router.path("output_config").path("format"), router.toString());
    assertTrue(bodies.get(1).path("stream").asBoolean(), "the answer streams");
    List<JsonNode> rows = CrossPoolCli.rows(node, key, 2);
    MockAnthropicTools.Usage j = MockAnthropicTools.JSON_USAGE;
    assertRow(rows.get(0), UPSTREAM_MODEL, j.input(), j.cacheRead(), j.output());
    assertStreamRow(rows.get(1));
  }

  @Test
  void theShellToolRoundTripRunsOnTheClaudePool() throws Exception {
    JsonNode key = key("gemini-cli-on-claude-tool");
    GeminiCli.Result r = cli("tool", key).prompt("MOCK_TOOL run it", GEMINI_MODEL, true, true);
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(MockAnthropicTools.TOOL_RESULT_PREFIX + MockAnthropicTools.TOOL_OUTPUT,
        JSON.readTree(r.stdout()).path("response").asText(), r.toString());

    List<JsonNode> bodies = upstream(2);
    assertEquals("run_shell_command", MockAnthropicTools.toolName(bodies.get(0).path("tools")));
    JsonNode messages = bodies.get(1).path("messages");
    JsonNode use = null;
    JsonNode result = null;
    for (JsonNode m : messages) {
      for (JsonNode block : m.path("content")) {
        use = block.path("type").asText().equals("tool_use") ? block : use;
        result = block.path("type").asText().equals("tool_result") ? block : result;
      }
    }
    assertNotNull(use, messages.toString());
    assertNotNull(result, messages.toString());
    assertEquals(MockAnthropicTools.TOOL_USE_ID, use.path("id").asText(), "the CLI sent the call's id back");
    assertEquals("run_shell_command", use.path("name").asText());
    assertEquals(JSON.createObjectNode().put("command", MockAnthropicTools.TOOL_COMMAND), use.path("input"));
    assertEquals(use.path("id").asText(), result.path("tool_use_id").asText(), "the result answers the call");
    assertFalse(result.path("is_error").asBoolean(false), result.toString());
    // Gemini CLI's run_shell_command output ("<untrusted_context>\nOutput: mock-tool-ok\n…"): it really ran.
    assertTrue(result.path("content").toString().contains("Output: " + MockAnthropicTools.TOOL_OUTPUT),
        result.toString());

    List<JsonNode> rows = CrossPoolCli.rows(node, key, 2);
    MockAnthropicTools.Usage t = MockAnthropicTools.TOOL_USAGE;
    MockAnthropicTools.Usage f = MockAnthropicTools.FINAL_USAGE;
    assertRow(rows.get(0), UPSTREAM_MODEL, t.input(), t.cacheRead(), t.output());
    assertRow(rows.get(1), UPSTREAM_MODEL, f.input(), f.cacheRead(), f.output());
  }
}
