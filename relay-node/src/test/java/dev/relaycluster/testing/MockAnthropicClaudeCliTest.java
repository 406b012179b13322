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
 * Runs the real Claude Code CLI ({@link ClaudeCli}) straight against {@link MockAnthropic}: a prompt, and
 * the Bash tool round trip of {@link MockAnthropicTools} (the CLI runs {@code echo mock-tool-ok} and sends
 * the tool_result back). Pins what the CLI sends, so a CLI upgrade that changes it shows up here first.
 * Skipped when claude is not installed (fails in CI, which installs it).
 */
class MockAnthropicClaudeCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-ant-mock-cli";

  @TempDir
  Path dir;
  private MockAnthropic mock;

  @BeforeEach
  void start() throws IOException {
    ClaudeCli.assumeInstalled();
    mock = new MockAnthropic();
  }

  @AfterEach
  void stop() throws IOException {
    if (mock != null) {
      mock.close();
    }
  }

  @Test
  void aPromptIsOneStreamedMessagesCall() throws Exception {
    ClaudeCli.Result r = new ClaudeCli(dir, mock.baseUrl(), KEY).prompt("say hi", ClaudeCli.MODEL, false, true);
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockAnthropic.STREAM_TEXT, out.path("result").asText(), r.toString());
    assertEquals(1200, out.at("/usage/input_tokens").asInt());
    assertEquals(20000, out.at("/usage/cache_read_input_tokens").asInt());
    assertEquals(57, out.at("/usage/output_tokens").asInt());
    List<MockAnthropic.Received> calls = mock.received();
    assertEquals(1, calls.size(), "print mode makes no side calls");
    MockAnthropic.Received req = calls.get(0);
    assertEquals("POST", req.method());
    assertEquals("/v1/messages?beta=true", req.target());
    assertEquals(KEY, req.header("x-api-key"));
    assertEquals("claude-cli/" + ClaudeCli.VERSION + " (external, sdk-cli)", req.header("user-agent"));
    assertEquals("cli", req.header("x-app"));
    JsonNode body = JSON.readTree(req.body());
    assertEquals(ClaudeCli.MODEL, body.path("model").asText());
    assertTrue(body.path("stream").asBoolean());
    String session = JSON.readTree(body.at("/metadata/user_id").asText()).path("session_id").asText();
    assertEquals(req.header("x-claude-code-session-id"), session);
    assertEquals("Bash", MockAnthropicTools.toolName(body.path("tools")));
  }

  @Test
  void theBashToolRunsAndItsResultComesBack() throws Exception {
    ClaudeCli.Result r = new ClaudeCli(dir, mock.baseUrl(), KEY).prompt("MOCK_TOOL run it", ClaudeCli.MODEL, true, true);
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockAnthropicTools.TOOL_RESULT_PREFIX + MockAnthropicTools.TOOL_OUTPUT, out.path("result").asText(),
        r.toString());
    assertEquals(2, out.path("num_turns").asInt(), r.toString());
    List<MockAnthropic.Received> calls = mock.received();
    assertEquals(2, calls.size());
    JsonNode second = JSON.readTree(calls.get(1).body());
    JsonNode messages = second.path("messages");
    JsonNode toolUse = null;
    JsonNode toolResult = null;
    for (JsonNode m : messages) {
      for (JsonNode block : m.path("content")) {
        if (block.path("type").asText().equals("tool_use")) {
          toolUse = block;
        } else if (block.path("type").asText().equals("tool_result")) {
          toolResult = block;
        }
      }
    }
    assertEquals(JSON.readTree("{\"type\":\"tool_use\",\"id\":\"" + MockAnthropicTools.TOOL_USE_ID
        + "\",\"name\":\"Bash\",\"input\":{\"command\":\"echo mock-tool-ok\",\"description\":\""
        + MockAnthropicTools.TOOL_DESCRIPTION + "\"}}"), toolUse, second.toString());
    assertEquals(MockAnthropicTools.TOOL_USE_ID, toolResult.path("tool_use_id").asText());
    // Claude Code sends the command's output with a system-reminder after it.
    assertTrue(toolResult.path("content").asText().startsWith(MockAnthropicTools.TOOL_OUTPUT + "\n\n<system-reminder>"),
        toolResult.toString());
    assertFalse(toolResult.path("is_error").asBoolean(false), toolResult.toString());
    assertEquals(calls.get(0).header("x-claude-code-session-id"), calls.get(1).header("x-claude-code-session-id"));
  }
}
