package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.CodexCli;
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
 * The real Codex CLI from npm ({@link CodexCli}: {@code codex exec} with a custom provider, as the README
 * tells users to configure it) through a relay node to a ChatGPT (codex-oauth) account on the mock
 * Codex backend: a prompt, a tool round trip, {@code exec resume --last}, and the WebSocket transport.
 * CI installs the CLI (.ci/run); on a machine without it these tests are skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodexCliRelayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_ENV = "RELAY_API_KEY";
  private static final String TOKEN = "chatgpt-access-token-cli";
  private static final String ACCOUNT = "acct-chatgpt-cli";

  private MockOpenAi mock;
  private TestNode node;
  private JsonNode key;

  @TempDir
  Path dir;

  @BeforeAll
  void start() throws Exception {
    CodexCli.assumeInstalled();
    mock = new MockOpenAi();
    mock.acceptAccessToken(TOKEN, ACCOUNT);
    node = TestNode.embedded(Files.createTempDirectory("relay-codex-cli-"), Map.of());
    ObjectNode account = JSON.createObjectNode().put("name", "chatgpt").put("platform", "openai")
        .put("type", "codex-oauth").put("baseUrl", mock.codexBaseUrl()).put("accessToken", TOKEN)
        .put("chatgptAccountId", ACCOUNT);
    node.admin("POST", "/admin/api/accounts", account);
    key = node.createKey("codex-cli", 2);
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
    if (mock != null) {
      mock.clear();
    }
  }

  private CodexCli cli(Path home, boolean webSocket) throws Exception {
    return new CodexCli(home, node.baseUrl() + "/openai", KEY_ENV, key.get("key").asText(), webSocket);
  }

  private int rows() throws Exception {
    return node.admin("GET", "/admin/api/usage/requests?keyId=" + key.get("id").asText() + "&limit=1000", null)
        .get("data").size();
  }

  @Test
  void aPromptAToolRoundTripAndResumeGoThroughTheRelay() throws Exception {
    int before = rows();
    CodexCli cli = cli(dir.resolve("http"), false);
    CodexCli.Result hi = cli.exec("--json", "say hi");
    assertEquals(0, hi.exitCode(), hi.toString());
    JsonNode usage = null;
    for (String line : hi.stdout().split("\n")) {
      if (line.startsWith("{") && JSON.readTree(line).path("type").asText().equals("turn.completed")) {
        usage = JSON.readTree(line).path("usage");
      }
    }
    assertNotNull(usage, hi.toString());
    assertEquals(MockOpenAi.OUTPUT_TOKENS, usage.path("output_tokens").asInt());
    MockOpenAi.Received first = mock.last(TOKEN);
    assertEquals("/backend-api/codex/responses", first.path());
    assertEquals(ACCOUNT, first.header("chatgpt-account-id"));
    assertTrue(first.header("user-agent").startsWith("codex_exec/"), first.header("user-agent"));

    CodexCli.Result tool = cli.exec("-m", "mock-tool", "run the tool");
    assertEquals(0, tool.exitCode(), tool.toString());
    assertTrue(tool.stdout().contains(MockOpenAiEvents.TOOL_RESULT_PREFIX)
        && tool.stdout().contains(MockOpenAiEvents.TOOL_OUTPUT), tool.toString());
    MockOpenAi.Received followUp = mock.last(TOKEN);
    assertTrue(followUp.bodyText().contains("\"function_call_output\""));
    assertTrue(followUp.header("x-codex-turn-state").startsWith("ts_"), "turn state came back through the relay");

    CodexCli.Result again = cli.exec("resume", "--last", "and again");
    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(again.stdout().contains(MockOpenAi.TEXT), again.toString());
    List<MockOpenAi.Received> calls = mock.received().stream().filter(r -> r.method().equals("POST")).toList();
    assertEquals(4, calls.size());
    // resume --last continues the latest session: the tool run's.
    assertEquals(calls.get(2).header("session-id"), calls.get(3).header("session-id"));
    JsonNode rows = node.awaitRequests(key.get("id").asText(), r -> r.size() == before + 4);
    for (JsonNode row : rows) {
      assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
      assertEquals("codex", row.get("client").asText(), row.toString());
    }
  }

  @Test
  void theWebSocketTransportIsOneUpstreamSocket() throws Exception {
    int before = rows();
    CodexCli.Result r = cli(dir.resolve("ws"), true).exec("-m", "mock-tool", "run the tool");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains(MockOpenAiEvents.TOOL_OUTPUT), r.toString());
    assertEquals(1, mock.upgrades(TOKEN), "the client's socket was relayed on one upstream socket");
    assertEquals(0, mock.received().stream().filter(x -> x.method().equals("POST")).count(),
        "nothing fell back to HTTP");
    // Prewarm, the tool call and its follow-up: three turns, each settled.
    node.awaitRequests(key.get("id").asText(), rows -> rows.size() == before + 3);
  }

  @Test
  void theKeyCanComeFromAuthJsonAsCodexLoginWritesIt() throws Exception {
    int before = rows();
    CodexCli cli = CodexCli.loggedIn(dir.resolve("auth-json"), node.baseUrl() + "/openai", key.get("key").asText());
    JsonNode auth = JSON.readTree(Files.readString(cli.home().resolve("auth.json")));
    assertEquals(key.get("key").asText(), auth.path("OPENAI_API_KEY").asText(), "codex login stored the relay key");
    CodexCli.Result hi = cli.exec("say hi");
    assertEquals(0, hi.exitCode(), hi.toString());
    assertTrue(hi.stdout().contains(MockOpenAi.TEXT), hi.toString());
    assertEquals(ACCOUNT, mock.last(TOKEN).header("chatgpt-account-id"));
    node.awaitRequests(key.get("id").asText(), rows -> rows.size() == before + 1);
  }

  /**
   * The real CLI over a WebSocket whose account has hit its usage limit: the limit comes as the socket's error
   * frame on the first turn, the relay moves the socket to the next account, and the CLI never sees it.
   */
  @Test
  void aUsageLimitOnTheSocketsFirstTurnMovesTheCliToTheNextAccount() throws Exception {
    String limitedToken = "chatgpt-access-token-cli-limited";
    String spareToken = "chatgpt-access-token-cli-spare";
    mock.acceptAccessToken(limitedToken, "acct-chatgpt-cli-limited");
    mock.acceptAccessToken(spareToken, "acct-chatgpt-cli-spare");
    mock.failSocketTurnsWith(limitedToken, 429);
    List<String> made = new java.util.ArrayList<>();
    try {
      for (String[] a : new String[][] {{"limited", limitedToken, "acct-chatgpt-cli-limited", "1"},
          {"spare", spareToken, "acct-chatgpt-cli-spare", "2"}}) {
        ObjectNode account = JSON.createObjectNode().put("name", a[0]).put("platform", "openai")
            .put("type", "codex-oauth").put("baseUrl", mock.codexBaseUrl()).put("accessToken", a[1])
            .put("chatgptAccountId", a[2]).put("priority", Integer.parseInt(a[3]));
        made.add(node.admin("POST", "/admin/api/accounts", account).get("id").asText());
      }
      CodexCli.Result r = cli(dir.resolve("ws-failover"), true).exec("say hi");
      assertEquals(0, r.exitCode(), r.toString());
      assertTrue(r.stdout().contains(MockOpenAi.TEXT), r.toString());
      assertFalse(r.toString().contains("usage limit"), r.toString());
      assertEquals(1, mock.upgrades(limitedToken));
      assertEquals(1, mock.requests(limitedToken), "one turn met the limit");
      assertEquals(1, mock.upgrades(spareToken), "the rest of the socket went to the spare account");
      assertEquals(0, mock.received().stream().filter(x -> x.method().equals("POST")).count(),
          "nothing fell back to HTTP");
    } finally {
      mock.failSocketTurnsWith(limitedToken, 0);
      for (String id : made) {
        node.admin("DELETE", "/admin/api/accounts/" + id, null);
      }
    }
  }
}
