package dev.relaycluster.it;

import static dev.relaycluster.it.CrossPoolCli.JSON;
import static dev.relaycluster.it.CrossPoolCli.assertRow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.testing.CodexCli;
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
 * The real Codex CLI ({@link CodexCli}, OpenAI Responses over HTTP: its provider has
 * {@code supports_websockets = false}) pinned to {@code -m gpt-5.1-codex}, through a key whose model map sends
 * {@code gpt-*} and {@code codex-*} to {@code claude:claude-sonnet-4-5}, served by a Claude Console account on
 * {@link MockAnthropic}: a prompt, and the shell tool round trip (the mock answers a {@code tool_use} of the
 * tool Codex offers, exec_command with {@code {"cmd":"echo mock-tool-ok"}}; Codex runs it and the follow-up
 * carries the tool_result). One ledger row per upstream call with the mock's Anthropic usage.
 *
 * <p>Codex 0.171 also offers the hosted {@code web_search} tool and a {@code namespace} tool
 * (multi_agent_v1). These tests run Codex as a user would, with both; if the conversion refuses web_search
 * by design, add {@code "-c", "web_search=\"disabled\""} to the exec arguments (that drops it from the tools).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodexOnClaudePoolTest {
  private static final String KEY_ENV = "RELAY_API_KEY";
  private static final String CONSOLE_KEY = "sk-ant-api03-console-codex-cli";
  private static final String CODEX_MODEL = "gpt-5.1-codex";
  private static final String UPSTREAM_MODEL = "claude-sonnet-4-5";

  private MockAnthropic mock;
  private TestNode node;
  private String account;

  @TempDir
  Path dir;

  @BeforeAll
  void start() throws Exception {
    CodexCli.assumeInstalled();
    mock = new MockAnthropic();
    node = TestNode.embedded(Files.createTempDirectory("relay-codex-on-claude-"), Map.of());
    account = node.createConsoleAccount("console-codex", mock.baseUrl(), CONSOLE_KEY, 10);
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
    return CrossPoolCli.mappedKey(node, name, "claude", UPSTREAM_MODEL, "gpt-*", "codex-*");
  }

  private CodexCli cli(String name, JsonNode key) throws Exception {
    return new CodexCli(dir.resolve(name), node.baseUrl() + "/openai", KEY_ENV, key.get("key").asText(), false);
  }

  private List<MockAnthropic.Received> upstream() throws Exception {
    List<MockAnthropic.Received> calls = mock.received();
    for (MockAnthropic.Received up : calls) {
      assertEquals("POST", up.method());
      assertTrue(up.target().startsWith("/v1/messages"), up.target());
      assertEquals(CONSOLE_KEY, up.header("x-api-key"), "the account's key went up");
      JsonNode body = JSON.readTree(up.body());
      assertEquals(UPSTREAM_MODEL, body.path("model").asText(), "the key's map chose the upstream model");
      assertTrue(body.path("stream").asBoolean(), "Codex streams, so the upstream call streams");
    }
    return calls;
  }

  @Test
  void aPromptIsAnsweredFromTheClaudePool() throws Exception {
    JsonNode key = key("codex-on-claude");
    CodexCli.Result r = cli("prompt", key).exec("-m", CODEX_MODEL, "say hi");
    assertEquals(0, r.exitCode(), r.toString());
    // codex exec prints only the final message on stdout.
    assertEquals(MockAnthropic.STREAM_TEXT, r.stdout().strip(), r.toString());
    assertEquals(1, upstream().size(), "one model call");
    // MockAnthropic.STREAM's usage: 1200 input, 20000 cache reads, 1000 + 2000 cache writes, 57 output.
    JsonNode row = CrossPoolCli.rows(node, key, 1).get(0);
    assertRow(row, account, "claude", "claude-sonnet-4-5-20250929", "codex", 1200, 20000, 57);
    assertEquals(3000, row.get("cacheWriteTokens").asLong(), row.toString());
  }

  @Test
  void withWebSocketsOnCodexIsToldToUseHttpAndIsAnswered() throws Exception {
    JsonNode key = key("codex-on-claude-ws");
    CodexCli cli = new CodexCli(dir.resolve("ws"), node.baseUrl() + "/openai", KEY_ENV, key.get("key").asText(), true);
    CodexCli.Result r = cli.exec("-m", CODEX_MODEL, "say hi");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(MockAnthropic.STREAM_TEXT, r.stdout().strip(), r.toString());
    assertEquals(1, upstream().size(), "one model call, over HTTP after the refused upgrade");
    assertRow(CrossPoolCli.rows(node, key, 1).get(0), account, "claude", "claude-sonnet-4-5-20250929", "codex", 1200,
        20000, 57);
  }

  @Test
  void theShellToolRoundTripRunsOnTheClaudePool() throws Exception {
    JsonNode key = key("codex-on-claude-tool");
    CodexCli.Result r = cli("tool", key).exec("-m", CODEX_MODEL, "MOCK_TOOL run it");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(MockAnthropicTools.TOOL_RESULT_PREFIX + MockAnthropicTools.TOOL_OUTPUT, r.stdout().strip(),
        r.toString());

    List<MockAnthropic.Received> calls = upstream();
    assertEquals(2, calls.size(), "the tool call and its follow-up");
    JsonNode first = JSON.readTree(calls.get(0).body());
    assertEquals("exec_command", MockAnthropicTools.toolName(first.path("tools")), "Codex's tools went up");
    JsonNode messages = JSON.readTree(calls.get(1).body()).path("messages");
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
    assertEquals("exec_command", use.path("name").asText());
    assertEquals(MockAnthropicTools.TOOL_COMMAND, use.path("input").path("cmd").asText());
    assertEquals(use.path("id").asText(), result.path("tool_use_id").asText(), "the result answers the call");
    assertFalse(result.path("is_error").asBoolean(false), result.toString());
    // Codex's exec_command output ("Chunk ID …\nOutput:\n…mock-tool-ok\n"): the command really ran.
    assertTrue(result.path("content").toString().contains("Output:")
        && result.path("content").toString().contains(MockAnthropicTools.TOOL_OUTPUT), result.toString());

    List<JsonNode> rows = CrossPoolCli.rows(node, key, 2);
    MockAnthropicTools.Usage t = MockAnthropicTools.TOOL_USAGE;
    MockAnthropicTools.Usage f = MockAnthropicTools.FINAL_USAGE;
    assertRow(rows.get(0), account, "claude", UPSTREAM_MODEL, "codex", t.input(), t.cacheRead(), t.output());
    assertRow(rows.get(1), account, "claude", UPSTREAM_MODEL, "codex", f.input(), f.cacheRead(), f.output());
  }
}
