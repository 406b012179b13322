package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import dev.relaycluster.testing.MockGemini;
import dev.relaycluster.testing.MockGeminiAnswers;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What the Gemini end-to-end contracts share: a node whose upstream is a mock Google (public Gemini API for
 * gemini-api accounts, Code Assist and the token endpoint for gemini-oauth accounts) that speaks the real
 * bodies, streams and error details, the accounts each test makes (deleted after it), the official Google Gen AI
 * Java SDK and raw HTTP pointed at the node, and the assertions on Gemini's answers and the ledger.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GeminiRelayBase {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long MAX_BODY = 64 * 1024;
  static final MockGeminiAnswers.Usage USAGE = MockGeminiAnswers.TEXT_USAGE;

  Path dataDir;
  MockGemini mock;
  TestNode node;
  /** Accounts made by the test that is running; deleted after it, so each test picks from its own. */
  List<String> accounts = new ArrayList<>();

  abstract TestNode startNode(Path dataDir, Map<String, Object> extra) throws Exception;

  void afterNodeStopped() {}

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("relay-gemini-it-");
    mock = MockGemini.start();
    mock.acceptApiKey(MockGemini.SECOND_API_KEY);
    node = startNode(dataDir, Map.of(
        "relay.http.max-body-size", MAX_BODY,
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
    afterNodeStopped();
  }

  @BeforeEach
  void clearMock() {
    mock.clear();
    mock.setup(MockGemini.Setup.CURRENT_TIER);
  }

  @AfterEach
  void deleteAccounts() throws Exception {
    for (String id : accounts) {
      node.admin("DELETE", "/admin/api/accounts/" + id, null);
    }
    accounts.clear();
  }

  String apiAccount(String name, String apiKey, int priority) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("platform", "gemini").put("type", "gemini-api")
        .put("baseUrl", mock.baseUrl()).put("apiKey", apiKey).put("priority", priority);
    return made(node.admin("POST", "/admin/api/accounts", body));
  }

  String loginAccount(String name, String accessToken, int priority) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("platform", "gemini").put("type", "gemini-oauth")
        .put("baseUrl", mock.baseUrl()).put("accessToken", accessToken).put("refreshToken", MockGemini.REFRESH_TOKEN)
        .put("expiresAt", System.currentTimeMillis() + 3_600_000).put("projectId", MockGemini.PROJECT)
        .put("priority", priority);
    return made(node.admin("POST", "/admin/api/accounts", body));
  }

  String made(JsonNode account) {
    String id = account.get("id").asText();
    accounts.add(id);
    return id;
  }

  JsonNode key() throws Exception {
    return node.createKey("gemini-" + UUID.randomUUID(), 0);
  }

  Client sdk(String key, String path) {
    return sdk(key, path, "v1beta");
  }

  Client sdk(String key, String path, String apiVersion) {
    return Client.builder().apiKey(key).vertexAI(false).httpOptions(HttpOptions.builder()
        .baseUrl(node.baseUrl() + path).apiVersion(apiVersion).timeout(20_000).build()).build();
  }

  /** The one request-log row of a key, once the projection has it. */
  JsonNode onlyRow(JsonNode key) throws Exception {
    return node.awaitRequests(key.get("id").asText(), rows -> rows.size() == 1).get(0);
  }

  static void assertLedgered(JsonNode row, String accountId, MockGeminiAnswers.Usage usage) {
    assertEquals(accountId, row.get("accountId").asText(), row.toString());
    assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
    assertEquals(usage.prompt() - usage.cached(), row.get("inputTokens").asLong(), row.toString());
    assertEquals(usage.cached(), row.get("cacheReadTokens").asLong(), row.toString());
    assertEquals(usage.candidates() + usage.thoughts(), row.get("outputTokens").asLong(), row.toString());
    assertEquals("gemini", row.get("pool").asText());
    assertTrue(row.get("costMicros").asLong() > 0, "priced from the table: " + row);
  }

  HttpResponse<String> raw(String method, String path, Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    b.header("content-type", "application/json");
    headers.forEach(b::header);
    return node.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String publicBody(String text) {
    return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + text + "\"}]}],"
        + "\"systemInstruction\":{\"parts\":[{\"text\":\"You are a test.\"}]}}";
  }

  static String codeAssistBody(String model, String project, String session, String text) {
    return "{\"model\":\"" + model + "\",\"project\":\"" + project + "\",\"user_prompt_id\":\"" + session + "########0\","
        + "\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + text + "\"}]}],"
        + "\"session_id\":\"" + session + "\"}}";
  }

  /**
   * The data JSON of each whole SSE event of a body (an event cut off upstream, passed on as far as it came,
   * is skipped).
   */
  static List<JsonNode> events(String sse) {
    List<JsonNode> out = new ArrayList<>();
    for (String block : sse.split("\r?\n\r?\n")) {
      String b = block.strip();
      if (b.startsWith("data: ")) {
        try {
          out.add(JSON.readTree(b.substring(6)));
        } catch (java.io.IOException cut) {
          // the event upstream broke off in
        }
      }
    }
    return out;
  }

  static void assertGeminiError(HttpResponse<String> r, int status, String rpcStatus) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertEquals(status, error.path("code").asInt(), r.body());
    assertEquals(rpcStatus, error.path("status").asText(), r.body());
    assertFalse(error.path("message").asText().isBlank(), r.body());
    assertFalse(r.body().contains("Exception"), "no stack trace: " + r.body());
  }

  JsonNode awaitState(String account, String state) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    JsonNode view = null;
    while (System.currentTimeMillis() < deadline) {
      view = node.admin("GET", "/admin/api/accounts/" + account, null);
      if (view.get("state").asText().equals(state)) {
        return view;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("account never became " + state + ": " + view);
  }
}
