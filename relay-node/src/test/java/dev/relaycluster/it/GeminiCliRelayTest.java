package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.GeminiCli;
import dev.relaycluster.testing.MockGemini;
import dev.relaycluster.testing.MockGeminiAnswers;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Gemini CLI from npm ({@link GeminiCli}, 0.61.0, configured as the README tells users) through a
 * relay node to the mock Google upstream, in both of its modes and on both account types: API-key mode on a
 * Gemini API key and Code Assist mode on a Google login (each with a prompt and the shell-tool round trip
 * under {@code --yolo}), and each mode on the other account type. CI installs the CLI (.ci/run); on a machine
 * without it these tests are skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeminiCliRelayTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockGemini mock;
  private TestNode node;
  private final List<String> accounts = new ArrayList<>();

  @TempDir
  Path dir;

  @BeforeAll
  void start() throws Exception {
    GeminiCli.assumeInstalled();
    mock = MockGemini.start();
    node = TestNode.embedded(Files.createTempDirectory("relay-gemini-cli-"), Map.of(
        "relay.accounts.gemini-oauth.token-url", mock.tokenUrl(),
        "relay.accounts.gemini-oauth.userinfo-url", mock.userinfoUrl(),
        "relay.accounts.gemini-oauth.code-assist-base-url", mock.baseUrl(),
        "relay.accounts.gemini-oauth.client-id", MockGemini.CLIENT_ID,
        "relay.accounts.gemini-oauth.client-secret", MockGemini.CLIENT_SECRET));
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

  @AfterEach
  void deleteAccounts() throws Exception {
    for (String id : accounts) {
      node.admin("DELETE", "/admin/api/accounts/" + id, null);
    }
    accounts.clear();
  }

  private String apiKeyAccount() throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", "gemini-key").put("platform", "gemini")
        .put("type", "gemini-api").put("baseUrl", mock.baseUrl()).put("apiKey", MockGemini.API_KEY);
    return made(node.admin("POST", "/admin/api/accounts", body));
  }

  /** A Google login added as a user would: its oauth_creds.json pasted, the project discovered. */
  private String loginAccount() throws Exception {
    String creds = JSON.createObjectNode().put("access_token", mock.issueAccessToken())
        .put("refresh_token", MockGemini.REFRESH_TOKEN).put("expiry_date", System.currentTimeMillis() + 3_600_000)
        .put("token_type", "Bearer").toString();
    ObjectNode body = JSON.createObjectNode().put("name", "gemini-login").put("platform", "gemini")
        .put("type", "gemini-oauth").put("baseUrl", mock.baseUrl()).put("credsJson", creds);
    return made(node.admin("POST", "/admin/api/accounts", body));
  }

  private String made(JsonNode account) {
    String id = account.get("id").asText();
    accounts.add(id);
    return id;
  }

  private GeminiCli cli(String name, GeminiCli.Mode mode, JsonNode key) throws Exception {
    return new GeminiCli(dir.resolve(name), mode, node.baseUrl() + "/gemini", key.get("key").asText());
  }

  /** The key's request-log rows once those of {@code streams} streamed model calls are in. */
  private List<JsonNode> rows(JsonNode key, int streams) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    node.awaitRequests(key.get("id").asText(), r -> {
      int n = 0;
      for (JsonNode row : r) {
        n += row.get("endpoint").asText().endsWith("streamGenerateContent") ? 1 : 0;
      }
      return n == streams;
    }).forEach(out::add);
    return out;
  }

  @Test
  void apiKeyModeOnAnApiKeyAccountPromptAndTool() throws Exception {
    String account = apiKeyAccount();
    JsonNode key = node.createKey("gemini-cli-api", 2);
    GeminiCli cli = cli("api", GeminiCli.Mode.API_KEY, key);
    GeminiCli.Result hi = cli.prompt("say hi", null, false, false);
    assertEquals(0, hi.exitCode(), hi.toString());
    assertTrue(hi.stdout().contains(MockGemini.TEXT), hi.toString());
    GeminiCli.Result tool = cli.prompt("MOCK_TOOL run it", "gemini-2.5-pro", true, true);
    assertEquals(0, tool.exitCode(), tool.toString());
    assertEquals(MockGeminiAnswers.TOOL_RESULT_PREFIX + MockGeminiAnswers.TOOL_OUTPUT,
        JSON.readTree(tool.stdout()).path("response").asText(), tool.toString());
    for (MockGemini.Received up : mock.received()) {
      assertEquals(MockGemini.API_KEY, up.header("x-goog-api-key"), up.path());
      assertTrue(up.header("user-agent").startsWith("GeminiCLI"), "the CLI's own user agent went up");
    }
    // The router call and the answer, then the tool call and its follow-up (and any check the CLI makes).
    List<JsonNode> rows = rows(key, 3);
    assertEquals(mock.received().size(), rows.size(), "one ledger row per upstream call");
    for (JsonNode row : rows) {
      assertEquals(account, row.get("accountId").asText());
      assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
      assertEquals("gemini-cli", row.get("client").asText(), row.toString());
      assertTrue(row.get("outputTokens").asLong() > 0, row.toString());
    }
  }

  @Test
  void codeAssistModeOnAGoogleLoginPromptAndTool() throws Exception {
    String account = loginAccount();
    JsonNode view = node.admin("GET", "/admin/api/accounts/" + account, null);
    assertEquals(MockGemini.PROJECT, view.get("projectId").asText(), "the project was found when it was added");
    mock.clear();
    JsonNode key = node.createKey("gemini-cli-login", 2);
    GeminiCli cli = cli("login", GeminiCli.Mode.CODE_ASSIST, key);
    GeminiCli.Result hi = cli.prompt("say hi", "gemini-2.5-pro", false, false);
    assertEquals(0, hi.exitCode(), hi.toString());
    assertTrue(hi.stdout().contains(MockGemini.TEXT), hi.toString());
    GeminiCli.Result tool = cli.prompt("MOCK_TOOL run it", null, true, false);
    assertEquals(0, tool.exitCode(), tool.toString());
    assertTrue(tool.stdout().contains(MockGeminiAnswers.TOOL_RESULT_PREFIX + MockGeminiAnswers.TOOL_OUTPUT),
        tool.toString());
    List<MockGemini.Received> streams = mock.received("/v1internal:streamGenerateContent");
    assertEquals(3, streams.size());
    for (MockGemini.Received up : streams) {
      assertEquals(MockGemini.PROJECT, up.json().path("project").asText());
      assertFalse(up.header("authorization").contains("cr_"), "the account's token went up, not the relay key");
    }
    assertEquals(streams.get(1).json().at("/request/session_id"), streams.get(2).json().at("/request/session_id"),
        "the tool's follow-up is the same session");
    assertTrue(mock.requests("/v1internal:loadCodeAssist") >= 2, "the CLI's set-up calls reached the account");
    List<JsonNode> rows = rows(key, 3);
    for (JsonNode row : rows) {
      assertEquals(account, row.get("accountId").asText());
      assertEquals("gemini-cli", row.get("client").asText(), row.toString());
      assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
    }
    assertTrue(rows.stream().anyMatch(r -> r.get("endpoint").asText().equals("v1internal:loadCodeAssist")
        && r.get("costMicros").asLong() == 0), "side calls are recorded at no cost: " + rows);
  }

  @Test
  void codeAssistModeOnAnApiKeyAccount() throws Exception {
    String account = apiKeyAccount();
    JsonNode key = node.createKey("gemini-cli-ca-on-key", 2);
    GeminiCli.Result hi = cli("ca-on-key", GeminiCli.Mode.CODE_ASSIST, key).prompt("say hi", "gemini-2.5-pro",
        false, false);
    assertEquals(0, hi.exitCode(), hi.toString());
    assertTrue(hi.stdout().contains(MockGemini.TEXT), hi.toString());
    assertEquals(0, mock.received().stream().filter(r -> r.path().startsWith("/v1internal")).count(),
        "the relay answered the set-up calls itself");
    MockGemini.Received up = mock.received("/v1beta/models/gemini-2.5-pro:streamGenerateContent").get(0);
    assertEquals(MockGemini.API_KEY, up.header("x-goog-api-key"));
    assertFalse(up.body().contains("session_id"));
    JsonNode row = rows(key, 1).stream()
        .filter(r -> r.get("endpoint").asText().equals("v1internal:streamGenerateContent")).findFirst().orElseThrow();
    assertEquals(account, row.get("accountId").asText());
    assertEquals(MockGeminiAnswers.TEXT_USAGE.candidates() + MockGeminiAnswers.TEXT_USAGE.thoughts(),
        row.get("outputTokens").asLong());
  }

  @Test
  void apiKeyModeOnAGoogleLogin() throws Exception {
    String account = loginAccount();
    mock.clear();
    JsonNode key = node.createKey("gemini-cli-key-on-login", 2);
    GeminiCli.Result hi = cli("key-on-login", GeminiCli.Mode.API_KEY, key).prompt("say hi", "gemini-2.5-flash",
        false, false);
    assertEquals(0, hi.exitCode(), hi.toString());
    assertTrue(hi.stdout().contains(MockGemini.TEXT), hi.toString());
    MockGemini.Received up = mock.received("/v1internal:streamGenerateContent").get(0);
    assertEquals("gemini-2.5-flash", up.json().path("model").asText());
    assertEquals(MockGemini.PROJECT, up.json().path("project").asText());
    JsonNode row = rows(key, 1).stream().filter(r -> r.get("endpoint").asText().equals("streamGenerateContent"))
        .findFirst().orElseThrow();
    assertEquals(account, row.get("accountId").asText());
    assertEquals("COMPLETED", row.get("outcome").asText());
  }
}
