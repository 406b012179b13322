package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.ClaudeCli;
import dev.relaycluster.testing.MockAnthropicTools;
import dev.relaycluster.testing.MockBedrock;
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
 * The real Claude Code CLI ({@link ClaudeCli}) through a Claude pool that holds only an AWS Bedrock account
 * (SigV4, on {@link MockBedrock}, which checks every signature): a prompt, and the Bash tool round trip (the
 * mock answers a tool_use of Bash running {@code echo mock-tool-ok}, the CLI runs it, the follow-up carries the
 * tool_result). Every model call went to Bedrock's streaming invoke with the region's inference profile, and
 * each has one ledger row with the usage the event stream carried.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaudeCodeOnBedrockTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockBedrock mock;
  private TestNode node;
  private String account;

  @TempDir
  Path dir;

  @BeforeAll
  void start() throws Exception {
    ClaudeCli.assumeInstalled();
    mock = new MockBedrock();
    node = TestNode.embedded(Files.createTempDirectory("relay-claude-on-bedrock-"), Map.of());
    ObjectNode body = JSON.createObjectNode().put("name", "bedrock-us").put("platform", "claude")
        .put("type", "bedrock").put("region", MockBedrock.REGION).put("endpoint", mock.baseUrl())
        .put("accessKeyId", MockBedrock.ACCESS_KEY).put("secretAccessKey", MockBedrock.SECRET_KEY);
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

  private JsonNode key(String name) throws Exception {
    return node.admin("POST", "/admin/api/keys", JSON.createObjectNode().put("name", name));
  }

  /** Every model call Claude Code made went to Bedrock's streaming invoke of the region's profile. */
  private List<MockBedrock.Received> upstream() {
    List<MockBedrock.Received> calls = mock.received();
    for (MockBedrock.Received up : calls) {
      assertTrue(up.rawPath().endsWith("/invoke-with-response-stream"), up.rawPath());
      assertTrue(up.modelId().startsWith("us.anthropic.claude-"), up.modelId());
      assertEquals("bedrock-2023-05-31", up.json().path("anthropic_version").asText());
    }
    return calls;
  }

  private void assertBedrockRow(JsonNode row, long input, long cacheRead, long output) {
    // The model as Claude Code asked for it: the relay names it so in the stream it re-frames.
    CrossPoolCli.assertRow(row, account, "claude", ClaudeCli.MODEL, "claude-code", input, cacheRead, output);
  }

  @Test
  void aPromptIsAnsweredFromBedrock() throws Exception {
    JsonNode key = key("claude-code-on-bedrock");
    ClaudeCli.Result r = cli("prompt", key).prompt("say hi", ClaudeCli.MODEL, false, true);
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockBedrock.STREAM_TEXT, out.path("result").asText(), r.toString());
    assertFalse(out.path("is_error").asBoolean(true), r.toString());
    assertEquals(1, upstream().size(), "print mode: one model call");
    assertBedrockRow(CrossPoolCli.rows(node, key, 1).get(0), MockBedrock.INPUT, MockBedrock.CACHE_READ,
        MockBedrock.OUTPUT);
  }

  @Test
  void theBashToolRoundTripRunsOnBedrock() throws Exception {
    JsonNode key = key("claude-code-on-bedrock-tool");
    ClaudeCli.Result r = cli("tool", key).prompt("MOCK_TOOL run it", ClaudeCli.MODEL, true, true);
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockAnthropicTools.TOOL_RESULT_PREFIX + MockAnthropicTools.TOOL_OUTPUT, out.path("result").asText(),
        r.toString());
    assertEquals(2, out.path("num_turns").asInt(), r.toString());

    List<MockBedrock.Received> calls = upstream();
    assertEquals(2, calls.size(), "the tool call and its follow-up");
    JsonNode result = null;
    for (JsonNode message : calls.get(1).json().path("messages")) {
      for (JsonNode block : message.path("content")) {
        result = block.path("type").asText().equals("tool_result") ? block : result;
      }
    }
    assertNotNull(result, new String(calls.get(1).body(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(MockAnthropicTools.TOOL_USE_ID, result.path("tool_use_id").asText());
    assertTrue(result.toString().contains(MockAnthropicTools.TOOL_OUTPUT), result.toString());

    List<JsonNode> rows = CrossPoolCli.rows(node, key, 2);
    MockAnthropicTools.Usage tool = MockAnthropicTools.TOOL_USAGE;
    MockAnthropicTools.Usage last = MockAnthropicTools.FINAL_USAGE;
    assertBedrockRow(rows.get(0), tool.input(), tool.cacheRead(), tool.output());
    assertBedrockRow(rows.get(1), last.input(), last.cacheRead(), last.output());
  }
}
