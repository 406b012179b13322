package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.ClaudeCli;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropicTools;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI from npm ({@link ClaudeCli}: {@code claude -p} with {@code ANTHROPIC_BASE_URL} at
 * the relay's {@code /api} and the relay key as {@code ANTHROPIC_API_KEY}, as the README tells users) through
 * a relay node to a Claude Console account on {@link MockAnthropic}: a prompt, and the Bash tool round trip
 * (the CLI really runs {@code echo mock-tool-ok}; the second upstream call carries the tool_result). Each
 * upstream call is one ledger row with the mock's usage to the token. CI installs the CLI (.ci/run); on a
 * machine without it these tests are skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaudeCodeCliRelayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONSOLE_KEY = "sk-ant-api03-console-claude-code-cli";

  private MockAnthropic mock;
  private TestNode node;
  private String account;

  @TempDir
  Path dir;

  @BeforeAll
  void start() throws Exception {
    ClaudeCli.assumeInstalled();
    mock = new MockAnthropic();
    node = TestNode.embedded(Files.createTempDirectory("relay-claude-cli-"), Map.of());
    account = node.createConsoleAccount("console-cli", mock.baseUrl(), CONSOLE_KEY, 10);
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

  /** What every upstream call of the CLI looks like after the relay: the account's key, the CLI's own headers. */
  private void assertRelayed(MockAnthropic.Received up, JsonNode key) {
    assertEquals("POST", up.method());
    assertEquals("/v1/messages?beta=true", up.target());
    assertEquals(CONSOLE_KEY, up.header("x-api-key"), "the account's key went up");
    assertFalse(up.headers().values().stream().anyMatch(v -> v.contains(key.get("key").asText())),
        "the relay key stayed at the relay");
    assertEquals("claude-cli/" + ClaudeCli.VERSION + " (external, sdk-cli)", up.header("user-agent"));
    assertTrue(up.header("anthropic-beta").contains("claude-code-20250219"), up.header("anthropic-beta"));
  }

  private static void assertRow(JsonNode row, String account, long input, long cacheRead, long cacheWrite5m,
      long cacheWrite1h, long output) {
    assertEquals(account, row.get("accountId").asText(), row.toString());
    assertEquals("claude", row.get("pool").asText(), row.toString());
    assertEquals(ClaudeCli.MODEL, row.get("model").asText(), row.toString());
    assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
    assertTrue(row.get("stream").asBoolean(), row.toString());
    assertTrue(row.get("complete").asBoolean(), row.toString());
    assertEquals("claude-code", row.get("client").asText(), row.toString());
    assertEquals(ClaudeCli.VERSION, row.get("clientVersion").asText(), row.toString());
    assertEquals(input, row.get("inputTokens").asLong(), row.toString());
    assertEquals(cacheRead, row.get("cacheReadTokens").asLong(), row.toString());
    assertEquals(cacheWrite5m + cacheWrite1h, row.get("cacheWriteTokens").asLong(), row.toString());
    assertEquals(cacheWrite5m, row.get("cacheWrite5mTokens").asLong(), row.toString());
    assertEquals(cacheWrite1h, row.get("cacheWrite1hTokens").asLong(), row.toString());
    assertEquals(output, row.get("outputTokens").asLong(), row.toString());
  }

  /** The key's rows, oldest first, once there are n. */
  private List<JsonNode> rows(JsonNode key, int n) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    node.awaitRequests(key.get("id").asText(), r -> r.size() == n).forEach(out::add);
    out.sort(java.util.Comparator.comparingLong(r -> r.get("startedAt").asLong()));
    return out;
  }

  @Test
  void aPromptIsAnsweredAndLedgeredToTheToken() throws Exception {
    JsonNode key = node.createKey("claude-code-prompt", 2);
    ClaudeCli.Result r = cli("prompt", key).prompt("say hi", ClaudeCli.MODEL, false, true);
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockAnthropic.STREAM_TEXT, out.path("result").asText(), r.toString());
    assertFalse(out.path("is_error").asBoolean(true), r.toString());
    assertEquals(1200, out.at("/usage/input_tokens").asInt(), "the mock's usage reached the CLI");
    assertEquals(57, out.at("/usage/output_tokens").asInt());

    List<MockAnthropic.Received> ups = mock.received();
    assertEquals(1, ups.size(), "print mode: one model call");
    assertRelayed(ups.get(0), key);
    assertEquals(ClaudeCli.MODEL, JSON.readTree(ups.get(0).body()).path("model").asText());
    // MockAnthropic.STREAM's usage: 1200 input, 20000 cache reads, 1000 + 2000 cache writes, 57 output.
    assertRow(rows(key, 1).get(0), account, 1200, 20000, 1000, 2000, 57);
  }

  @Test
  void theBashToolRunsThroughTheRelayAndItsResultGoesBackUp() throws Exception {
    JsonNode key = node.createKey("claude-code-tool", 2);
    ClaudeCli cli = cli("tool", key);
    ClaudeCli.Result r = cli.prompt("MOCK_TOOL run it", ClaudeCli.MODEL, true, true);
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockAnthropicTools.TOOL_RESULT_PREFIX + MockAnthropicTools.TOOL_OUTPUT, out.path("result").asText(),
        r.toString());
    assertEquals(2, out.path("num_turns").asInt(), r.toString());

    List<MockAnthropic.Received> ups = mock.received();
    assertEquals(2, ups.size(), "the tool call and its follow-up");
    for (MockAnthropic.Received up : ups) {
      assertRelayed(up, key);
    }
    assertEquals(ups.get(0).header("x-claude-code-session-id"), ups.get(1).header("x-claude-code-session-id"));
    JsonNode messages = JSON.readTree(ups.get(1).body()).path("messages");
    JsonNode last = messages.get(messages.size() - 1);
    assertEquals("user", last.path("role").asText());
    JsonNode result = last.path("content").get(0);
    assertEquals("tool_result", result.path("type").asText(), last.toString());
    assertEquals(MockAnthropicTools.TOOL_USE_ID, result.path("tool_use_id").asText());
    assertFalse(result.path("is_error").asBoolean(true), result.toString());
    // The output the CLI's Bash tool produced, then the reminder Claude Code appends to every tool result.
    assertTrue(result.path("content").asText().startsWith(MockAnthropicTools.TOOL_OUTPUT + "\n\n<system-reminder>"),
        result.toString());
    JsonNode call = messages.get(messages.size() - 2).path("content").get(0);
    assertEquals(JSON.readTree("{\"type\":\"tool_use\",\"id\":\"" + MockAnthropicTools.TOOL_USE_ID
        + "\",\"name\":\"Bash\",\"input\":{\"command\":\"" + MockAnthropicTools.TOOL_COMMAND + "\",\"description\":\""
        + MockAnthropicTools.TOOL_DESCRIPTION + "\"}}"), call, "the tool_use the relay streamed came back whole");

    List<JsonNode> rows = rows(key, 2);
    MockAnthropicTools.Usage t = MockAnthropicTools.TOOL_USAGE;
    MockAnthropicTools.Usage f = MockAnthropicTools.FINAL_USAGE;
    assertRow(rows.get(0), account, t.input(), t.cacheRead(), 0, 0, t.output());
    assertRow(rows.get(1), account, f.input(), f.cacheRead(), 0, 0, f.output());
  }
}
