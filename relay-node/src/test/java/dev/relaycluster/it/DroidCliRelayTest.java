package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.DroidCli;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropicTools;
import dev.relaycluster.testing.MockFactory;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real Droid CLI ({@link DroidCli}, skipped when not installed) with a custom Anthropic model pointed at the
 * relay's {@code /droid/claude}, served by a droid-api account on the mock of Factory's proxy: a prompt, and a
 * round trip of its Execute tool, each answered and ledgered to the token; the CLI's own identity
 * ({@code factory-cli/…}) is what goes upstream, the relay adds only what the credential needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DroidCliRelayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FACTORY_KEY = "fk-droid-cli-test";
  private static final String MODEL = "claude-sonnet-4-5";

  private MockFactory factory;
  private TestNode node;
  private String account;

  @BeforeAll
  void start() throws Exception {
    DroidCli.assumeInstalled();
    factory = new MockFactory();
    factory.accept(FACTORY_KEY);
    node = TestNode.embedded(Files.createTempDirectory("relay-droid-cli-"), Map.of());
    account = node.admin("POST", "/admin/api/accounts", JSON.createObjectNode().put("name", "factory")
        .put("platform", "droid").put("type", "droid-api").put("baseUrl", factory.baseUrl())
        .put("apiKey", FACTORY_KEY)).get("id").asText();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (factory != null) {
      factory.close();
    }
  }

  @BeforeEach
  void clear() {
    factory.clear();
  }

  private DroidCli cli(String name, JsonNode key) throws Exception {
    Path dir = Files.createTempDirectory("droid-cli-" + name + "-");
    return new DroidCli(dir, node.baseUrl() + "/droid/claude", key.get("key").asText(), MODEL, "anthropic");
  }

  private List<JsonNode> rows(JsonNode key, int n) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    node.awaitRequests(key.get("id").asText(), r -> r.size() == n).forEach(out::add);
    out.sort(Comparator.comparingLong(r -> r.get("startedAt").asLong()));
    return out;
  }

  private void assertRelayed(MockFactory.Received up) {
    assertEquals("/api/llm/a/v1/messages", up.path());
    assertEquals("Bearer " + FACTORY_KEY, up.header("authorization"));
    assertEquals("cli", up.header("x-factory-client"));
    assertEquals("anthropic", up.header("x-api-provider"));
    assertTrue(up.header("user-agent").startsWith("factory-cli/"), "the CLI's own identity: " + up.header("user-agent"));
    assertEquals(null, up.header("x-api-key"), "the relay key stays at the relay");
  }

  private static void assertRow(JsonNode row, String account, long input, long cacheRead, long cacheWrite, long output) {
    assertEquals(account, row.get("accountId").asText(), row.toString());
    assertEquals("droid", row.get("pool").asText(), row.toString());
    assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
    assertEquals(input, row.get("inputTokens").asLong(), row.toString());
    assertEquals(cacheRead, row.get("cacheReadTokens").asLong(), row.toString());
    assertEquals(cacheWrite, row.get("cacheWriteTokens").asLong(), row.toString());
    assertEquals(output, row.get("outputTokens").asLong(), row.toString());
  }

  @Test
  void aPromptIsAnsweredAndLedgeredToTheToken() throws Exception {
    JsonNode key = node.createKey("droid-cli-prompt", 2);
    DroidCli.Result r = cli("prompt", key).exec(MODEL, "say hi");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockAnthropic.STREAM_TEXT, out.path("result").asText(), r.toString());
    assertFalse(out.path("is_error").asBoolean(true), r.toString());
    assertEquals(57, out.at("/usage/output_tokens").asInt(), "the mock's usage reached the CLI: " + r);
    List<MockFactory.Received> ups = factory.received();
    assertEquals(1, ups.size(), "one model call");
    assertRelayed(ups.get(0));
    assertEquals(MODEL, JSON.readTree(ups.get(0).body()).path("model").asText());
    // MockAnthropic.STREAM's usage: 1200 input, 20000 cache reads, 3000 cache writes, 57 output.
    assertRow(rows(key, 1).get(0), account, 1200, 20000, 3000, 57);
  }

  @Test
  void theExecuteToolRunsThroughTheRelayAndItsResultGoesBackUp() throws Exception {
    JsonNode key = node.createKey("droid-cli-tool", 2);
    DroidCli.Result r = cli("tool", key).exec(MODEL, "MOCK_TOOL run it");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockAnthropicTools.TOOL_RESULT_PREFIX + MockAnthropicTools.TOOL_OUTPUT, out.path("result").asText(),
        r.toString());
    assertEquals(2, out.path("num_turns").asInt(), r.toString());
    List<MockFactory.Received> ups = factory.received();
    assertEquals(2, ups.size(), "the tool call and its follow-up");
    ups.forEach(this::assertRelayed);
    JsonNode messages = JSON.readTree(ups.get(1).body()).path("messages");
    JsonNode last = messages.get(messages.size() - 1);
    JsonNode result = null;
    for (JsonNode block : last.path("content")) {
      if (block.path("type").asText().equals("tool_result")) {
        result = block;
      }
    }
    assertTrue(result != null, last.toString());
    assertEquals(MockAnthropicTools.TOOL_USE_ID, result.path("tool_use_id").asText());
    assertFalse(result.path("is_error").asBoolean(false), result.toString());
    assertTrue(result.toString().contains(MockAnthropicTools.TOOL_OUTPUT), result.toString());
    List<JsonNode> rows = rows(key, 2);
    MockAnthropicTools.Usage t = MockAnthropicTools.TOOL_USAGE;
    MockAnthropicTools.Usage f = MockAnthropicTools.FINAL_USAGE;
    assertRow(rows.get(0), account, t.input(), t.cacheRead(), 0, t.output());
    assertRow(rows.get(1), account, f.input(), f.cacheRead(), 0, f.output());
  }
}
