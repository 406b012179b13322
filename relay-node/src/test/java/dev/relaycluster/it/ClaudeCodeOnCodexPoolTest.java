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
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.MockOpenAiEvents;
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
 * {@code claude-*} to {@code openai:gpt-5.1-codex}, served by a ChatGPT (codex-oauth) account on the mock
 * Codex backend, which speaks only Responses: a prompt, and the Bash tool round trip (the mock calls the
 * tool named Bash with {@code {"command":"echo mock-tool-ok",…}}, the CLI runs it, and the follow-up carries
 * its function_call_output). One ledger row per upstream call with the mock's Responses usage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaudeCodeOnCodexPoolTest {
  private static final String TOKEN = "chatgpt-access-token-claude-code";
  private static final String CHATGPT_ACCOUNT = "acct-chatgpt-claude-code";
  private static final String UPSTREAM_MODEL = "gpt-5.1-codex";

  private MockOpenAi mock;
  private TestNode node;
  private String account;

  @TempDir
  Path dir;

  @BeforeAll
  void start() throws Exception {
    ClaudeCli.assumeInstalled();
    mock = new MockOpenAi();
    mock.acceptAccessToken(TOKEN, CHATGPT_ACCOUNT);
    node = TestNode.embedded(Files.createTempDirectory("relay-claude-on-codex-"), Map.of());
    ObjectNode body = JSON.createObjectNode().put("name", "chatgpt").put("platform", "openai")
        .put("type", "codex-oauth").put("baseUrl", mock.codexBaseUrl()).put("accessToken", TOKEN)
        .put("chatgptAccountId", CHATGPT_ACCOUNT);
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

  private List<MockOpenAi.Received> upstream() {
    List<MockOpenAi.Received> calls = mock.received().stream().filter(r -> r.method().equals("POST")).toList();
    for (MockOpenAi.Received up : calls) {
      assertEquals("/backend-api/codex/responses", up.path());
      assertEquals("Bearer " + TOKEN, up.header("authorization"), "the account's token went up");
      assertEquals(CHATGPT_ACCOUNT, up.header("chatgpt-account-id"));
      assertEquals(UPSTREAM_MODEL, up.json().path("model").asText(), "the key's map chose the upstream model");
      assertTrue(up.json().path("stream").asBoolean(), up.bodyText());
    }
    return calls;
  }

  @Test
  void aPromptIsAnsweredFromTheCodexPool() throws Exception {
    JsonNode key = CrossPoolCli.mappedKey(node, "claude-code-on-codex", "openai", UPSTREAM_MODEL, "claude-*");
    ClaudeCli.Result r = cli("prompt", key).prompt("say hi", ClaudeCli.MODEL, false, true);
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockOpenAiEvents.TEXT, out.path("result").asText(), r.toString());
    assertFalse(out.path("is_error").asBoolean(true), r.toString());
    assertEquals(1, upstream().size(), "print mode: one model call");
    assertRow(CrossPoolCli.rows(node, key, 1).get(0), account, "openai", UPSTREAM_MODEL, "claude-code",
        MockOpenAi.INPUT_TOKENS - MockOpenAi.CACHED_TOKENS, MockOpenAi.CACHED_TOKENS, MockOpenAi.OUTPUT_TOKENS);
  }

  @Test
  void theBashToolRoundTripRunsOnTheCodexPool() throws Exception {
    JsonNode key = CrossPoolCli.mappedKey(node, "claude-code-on-codex-tool", "openai", UPSTREAM_MODEL, "claude-*");
    ClaudeCli.Result r = cli("tool", key).prompt("MOCK_TOOL run it", ClaudeCli.MODEL, true, true);
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode out = JSON.readTree(r.stdout());
    assertEquals(MockOpenAiEvents.TOOL_RESULT_PREFIX + MockOpenAiEvents.TOOL_OUTPUT, out.path("result").asText(),
        r.toString());
    assertEquals(2, out.path("num_turns").asInt(), r.toString());

    List<MockOpenAi.Received> calls = upstream();
    assertEquals(2, calls.size(), "the tool call and its follow-up");
    assertTrue(calls.get(0).json().path("tools").toString().contains("\"Bash\""), "Claude Code's tools went up");
    JsonNode call = null;
    JsonNode output = null;
    for (JsonNode item : calls.get(1).json().path("input")) {
      switch (item.path("type").asText()) {
        case "function_call" -> call = item;
        case "function_call_output" -> output = item;
        default -> { }
      }
    }
    assertNotNull(call, calls.get(1).bodyText());
    assertNotNull(output, calls.get(1).bodyText());
    assertEquals("Bash", call.path("name").asText());
    assertEquals(MockOpenAiEvents.TOOL_COMMAND, JSON.readTree(call.path("arguments").asText()).path("command").asText());
    assertEquals(call.path("call_id").asText(), output.path("call_id").asText(), "the result answers the call");
    // What the CLI's Bash tool printed (Claude Code appends a system-reminder after it).
    assertTrue(output.path("output").toString().contains(MockOpenAiEvents.TOOL_OUTPUT), output.toString());

    List<JsonNode> rows = CrossPoolCli.rows(node, key, 2);
    assertRow(rows.get(0), account, "openai", UPSTREAM_MODEL, "claude-code",
        MockOpenAiEvents.TOOL_INPUT_TOKENS - MockOpenAiEvents.TOOL_CACHED_TOKENS, MockOpenAiEvents.TOOL_CACHED_TOKENS,
        MockOpenAiEvents.TOOL_OUTPUT_TOKENS);
    assertRow(rows.get(1), account, "openai", UPSTREAM_MODEL, "claude-code",
        MockOpenAi.INPUT_TOKENS - MockOpenAi.CACHED_TOKENS, MockOpenAi.CACHED_TOKENS, MockOpenAi.OUTPUT_TOKENS);
  }
}
