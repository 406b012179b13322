package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ClientException;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Gemini through the relay, end to end: the official Google Gen AI Java SDK and raw HTTP clients against a
 * node whose upstream is a mock Google (public Gemini API for gemini-api accounts, Code Assist and the token
 * endpoint for gemini-oauth accounts) that speaks the real bodies, streams and error details. Both client
 * modes on both account types. Run once per storage profile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GeminiRelayContract {
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

  // ---- API-key mode on API-key accounts ----

  @Test
  void theSdkGeneratesOnAnApiKeyAccountAndTheLedgerIsExact() throws Exception {
    String account = apiAccount("api", MockGemini.API_KEY, 10);
    JsonNode key = key();
    // The SDK's own default version (v1) under /gemini.
    try (Client sdk = sdk(key.get("key").asText(), "/gemini", "v1")) {
      GenerateContentResponse r = sdk.models.generateContent("gemini-2.5-pro", "say hi", null);
      assertEquals(MockGemini.TEXT, r.text());
      GenerateContentResponseUsageMetadata u = r.usageMetadata().orElseThrow();
      assertEquals(USAGE.prompt(), u.promptTokenCount().orElseThrow());
      assertEquals(USAGE.thoughts(), u.thoughtsTokenCount().orElseThrow());
    }
    MockGemini.Received up = mock.received().get(mock.received().size() - 1);
    assertEquals(MockGemini.API_KEY, up.header("x-goog-api-key"), "the account's key went up in the header");
    assertEquals("/v1beta/models/gemini-2.5-pro:generateContent", up.path());
    assertTrue(up.query() == null || !up.query().contains("key="), "no key in the URL: " + up.query());
    assertFalse(up.headers().toString().contains(key.get("key").asText()), "the relay key stayed at the relay");
    JsonNode row = onlyRow(key);
    assertLedgered(row, account, USAGE);
    assertEquals("generateContent", row.get("endpoint").asText());
    assertEquals("gemini-2.5-pro", row.get("servedModel").asText());
  }

  @Test
  void theSdkStreamsThroughTheRootPathWithCachedTokensCounted() throws Exception {
    String account = apiAccount("api", MockGemini.API_KEY, 10);
    JsonNode key = key();
    StringBuilder text = new StringBuilder();
    try (Client sdk = sdk(key.get("key").asText(), "");
        ResponseStream<GenerateContentResponse> stream = sdk.models.generateContentStream("mock-cached", "hi", null)) {
      stream.forEach(c -> text.append(c.text() == null ? "" : c.text()));
    }
    assertEquals(MockGemini.TEXT, text.toString());
    MockGemini.Received up = mock.received().get(mock.received().size() - 1);
    assertEquals("sse", up.queryParam("alt"));
    JsonNode row = onlyRow(key);
    assertLedgered(row, account, MockGeminiAnswers.CACHED_USAGE);
    assertTrue(row.get("stream").asBoolean());
  }

  @Test
  void countTokensIsRelayedAndCostsNothing() throws Exception {
    String account = apiAccount("api", MockGemini.API_KEY, 10);
    JsonNode key = key();
    try (Client sdk = sdk(key.get("key").asText(), "/gemini")) {
      CountTokensResponse r = sdk.models.countTokens("gemini-2.5-flash", "one two three four", null);
      assertTrue(r.totalTokens().orElseThrow() > 0);
    }
    JsonNode row = onlyRow(key);
    assertEquals(account, row.get("accountId").asText());
    assertEquals("countTokens", row.get("endpoint").asText());
    assertEquals(0, row.get("inputTokens").asLong() + row.get("outputTokens").asLong());
    assertEquals(0, row.get("costMicros").asLong());
  }

  @Test
  void aStreamWithoutAltSseIsTheJsonArrayStream() throws Exception {
    apiAccount("api", MockGemini.API_KEY, 10);
    String key = key().get("key").asText();
    HttpResponse<String> r = raw("POST", "/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent",
        Map.of("x-goog-api-key", key), publicBody("hi"));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    JsonNode array = JSON.readTree(r.body());
    assertTrue(array.isArray() && array.size() > 1, r.body() + " upstream: " + mock.received());
    StringBuilder text = new StringBuilder();
    array.forEach(c -> c.at("/candidates/0/content/parts").forEach(p -> {
      if (!p.path("thought").asBoolean()) {
        text.append(p.path("text").asText());
      }
    }));
    assertEquals(MockGemini.TEXT, text.toString());
    assertEquals(USAGE.total(), array.get(array.size() - 1).at("/usageMetadata/totalTokenCount").asInt());
  }

  @Test
  void theKeyIsTakenFromEachPlaceGeminiClientsPutIt() throws Exception {
    apiAccount("api", MockGemini.API_KEY, 10);
    String key = key().get("key").asText();
    String path = "/gemini/v1beta/models/gemini-2.5-flash:generateContent";
    assertEquals(200, raw("POST", path, Map.of("x-goog-api-key", key), publicBody("a")).statusCode());
    assertEquals(200, raw("POST", path, Map.of("authorization", "Bearer " + key), publicBody("b")).statusCode());
    assertEquals(200, raw("POST", path + "?key=" + key, Map.of(), publicBody("c")).statusCode());
    for (MockGemini.Received up : mock.received()) {
      assertTrue(up.query() == null || !up.query().contains(key), "the relay key never goes up: " + up.query());
    }
    HttpResponse<String> models = raw("GET", "/gemini/v1beta/models", Map.of("x-goog-api-key", key), null);
    assertEquals(200, models.statusCode());
    boolean listed = false;
    for (JsonNode m : JSON.readTree(models.body()).path("models")) {
      assertTrue(m.path("name").asText().startsWith("models/gemini-"), m.toString());
      listed |= m.path("name").asText().equals("models/gemini-2.5-pro");
    }
    assertTrue(listed, models.body());
  }

  @Test
  void badInputGetsGeminiErrorsAndNothingIsSent() throws Exception {
    apiAccount("api", MockGemini.API_KEY, 10);
    String key = key().get("key").asText();
    Map<String, String> auth = Map.of("x-goog-api-key", key);
    assertGeminiError(raw("POST", "/gemini/v1beta/models/gemini-2.5-pro:generateContent", auth, "{not json"),
        400, "INVALID_ARGUMENT");
    assertGeminiError(raw("POST", "/gemini/v1beta/models/gemini-2.5-pro:fooContent", auth, publicBody("x")),
        404, "NOT_FOUND");
    assertGeminiError(raw("POST", "/gemini/v1internal:generateContent", auth, "{\"request\":{\"contents\":[]}}"),
        400, "INVALID_ARGUMENT");
    assertGeminiError(raw("POST", "/gemini/v1beta/models/gemini-2.5-pro:generateContent", Map.of(), publicBody("x")),
        401, "UNAUTHENTICATED");
    assertGeminiError(raw("GET", "/gemini/v1beta/models/gemini-2.5-pro:generateContent", auth, null),
        405, "INVALID_ARGUMENT");
    String big = publicBody("x".repeat((int) MAX_BODY));
    assertGeminiError(raw("POST", "/gemini/v1beta/models/gemini-2.5-pro:generateContent", auth, big),
        413, "INVALID_ARGUMENT");
    assertEquals(0, mock.received().size(), "nothing reached upstream");
  }

  @Test
  void aStreamCutUpstreamEndsWithAGeminiErrorEvent() throws Exception {
    String account = apiAccount("api", MockGemini.API_KEY, 10);
    JsonNode key = key();
    HttpResponse<String> r = raw("POST", "/gemini/v1beta/models/mock-break:streamGenerateContent?alt=sse",
        Map.of("x-goog-api-key", key.get("key").asText()), publicBody("hi"));
    assertEquals(200, r.statusCode());
    List<JsonNode> events = events(r.body());
    JsonNode last = events.get(events.size() - 1);
    assertEquals(500, last.at("/error/code").asInt(), r.body());
    assertEquals("INTERNAL", last.at("/error/status").asText(), r.body());
    assertTrue(events.size() >= 2, "the events before the cut came through: " + r.body());
    JsonNode row = onlyRow(key);
    assertEquals(account, row.get("accountId").asText());
    assertEquals("UPSTREAM_FAILED", row.get("outcome").asText());
  }

  @Test
  void aRateLimitedModelPassesTheErrorOnAndCoolsThatModelFamilyOnly() throws Exception {
    String account = apiAccount("api", MockGemini.API_KEY, 10);
    String key = key().get("key").asText();
    HttpResponse<String> r = raw("POST", "/gemini/v1beta/models/mock-429:generateContent",
        Map.of("x-goog-api-key", key), publicBody("hi"));
    assertGeminiError(r, 429, "RESOURCE_EXHAUSTED");
    assertTrue(r.body().contains("RetryInfo"), "Google's details reach the client: " + r.body());
    JsonNode view = awaitState(account, "partly_cooling");
    JsonNode cooldown = view.get("cooldowns").get(0);
    assertEquals("other", cooldown.get("family").asText(), view.toString());
    // Another family is still served by the account.
    assertEquals(200, raw("POST", "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
        Map.of("x-goog-api-key", key), publicBody("hi")).statusCode());
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

  // ---- Code Assist clients on API-key accounts ----

  @Test
  void aCodeAssistClientIsServedByAnApiKeyAccount() throws Exception {
    String account = apiAccount("api", MockGemini.API_KEY, 10);
    JsonNode key = key();
    Map<String, String> auth = Map.of("authorization", "Bearer " + key.get("key").asText());
    HttpResponse<String> load = raw("POST", "/gemini/v1internal:loadCodeAssist", auth,
        "{\"metadata\":{\"ideType\":\"IDE_UNSPECIFIED\",\"pluginType\":\"GEMINI\"}}");
    assertEquals(200, load.statusCode(), load.body());
    assertTrue(JSON.readTree(load.body()).has("currentTier"), load.body());
    HttpResponse<String> r = raw("POST", "/gemini/v1internal:streamGenerateContent?alt=sse", auth,
        codeAssistBody("gemini-2.5-pro", "relay", "session-ca-1", "hi"));
    assertEquals(200, r.statusCode(), r.body());
    List<JsonNode> events = events(r.body());
    StringBuilder text = new StringBuilder();
    for (JsonNode e : events) {
      assertTrue(e.has("response"), "each event is in the Code Assist envelope: " + e);
      e.at("/response/candidates/0/content/parts").forEach(p -> {
        if (!p.path("thought").asBoolean()) {
          text.append(p.path("text").asText());
        }
      });
    }
    assertEquals(MockGemini.TEXT, text.toString());
    MockGemini.Received up = mock.received().get(mock.received().size() - 1);
    assertEquals("/v1beta/models/gemini-2.5-pro:streamGenerateContent", up.path());
    assertFalse(up.body().contains("session_id"), "the public API gets the public body: " + up.body());
    assertEquals(1, mock.received().size(), "loadCodeAssist was answered by the relay");
    JsonNode rows = node.awaitRequests(key.get("id").asText(), x -> x.size() == 2);
    for (JsonNode row : rows) {
      assertEquals(account, row.get("accountId").asText());
      if (row.get("endpoint").asText().equals("v1internal:streamGenerateContent")) {
        assertLedgered(row, account, USAGE);
      } else {
        assertEquals("v1internal:loadCodeAssist", row.get("endpoint").asText());
        assertEquals(0, row.get("costMicros").asLong());
      }
    }
  }

  @Test
  void aClientRequestIsThrownAtNoAccountOfAnotherPool() throws Exception {
    // A key with only the Claude pool is refused in Gemini's shape.
    ObjectNode body = JSON.createObjectNode().put("name", "claude-only-" + UUID.randomUUID());
    body.putArray("permissions").add("claude");
    String key = node.admin("POST", "/admin/api/keys", body).get("key").asText();
    apiAccount("api", MockGemini.API_KEY, 10);
    HttpResponse<String> r = raw("POST", "/gemini/v1beta/models/gemini-2.5-pro:generateContent",
        Map.of("x-goog-api-key", key), publicBody("hi"));
    assertGeminiError(r, 403, "PERMISSION_DENIED");
    assertEquals(0, mock.received().size());
  }

  @Test
  void anSdkErrorIsGooglesOwn() throws Exception {
    apiAccount("api", MockGemini.API_KEY, 10);
    String key = key().get("key").asText();
    try (Client sdk = sdk(key, "/gemini")) {
      ClientException e = assertThrows(ClientException.class,
          () -> sdk.models.generateContent("mock-403-validation", "hi", null));
      assertEquals(403, e.code());
    }
  }

  // ---- Google-login (Code Assist) accounts ----

  @Test
  void theSdkIsServedByAGoogleLoginThroughTheCodeAssistEnvelope() throws Exception {
    String token = mock.issueAccessToken();
    String account = loginAccount("login", token, 10);
    JsonNode key = key();
    StringBuilder streamed = new StringBuilder();
    try (Client sdk = sdk(key.get("key").asText(), "/gemini")) {
      GenerateContentResponse r = sdk.models.generateContent("gemini-2.5-pro", "say hi", null);
      assertEquals(MockGemini.TEXT, r.text());
      assertTrue(r.responseId().isPresent(), "traceId became responseId");
      try (ResponseStream<GenerateContentResponse> stream = sdk.models.generateContentStream("gemini-2.5-flash",
          "hi", null)) {
        stream.forEach(c -> streamed.append(c.text() == null ? "" : c.text()));
      }
    }
    assertEquals(MockGemini.TEXT, streamed.toString());
    // (The account's background quota reads, retrieveUserQuota, may come in between.)
    List<MockGemini.Received> up = mock.received().stream()
        .filter(x -> x.path().endsWith("GenerateContent") || x.path().endsWith("generateContent")).toList();
    assertEquals("/v1internal:generateContent", up.get(0).path());
    assertEquals("Bearer " + token, up.get(0).header("authorization"));
    JsonNode wrapped = up.get(0).json();
    assertEquals(MockGemini.PROJECT, wrapped.path("project").asText(), "the account's project on every call");
    assertEquals("gemini-2.5-pro", wrapped.path("model").asText());
    assertEquals("say hi", wrapped.at("/request/contents/0/parts/0/text").asText());
    assertEquals("/v1internal:streamGenerateContent", up.get(1).path());
    assertEquals("sse", up.get(1).queryParam("alt"));
    JsonNode rows = node.awaitRequests(key.get("id").asText(), x -> x.size() == 2);
    for (JsonNode row : rows) {
      assertLedgered(row, account, USAGE);
    }
  }

  @Test
  void aCodeAssistClientStaysOnItsSessionsAccountAndItsSideCallsGoThere() throws Exception {
    String tokenA = mock.issueAccessToken();
    String tokenB = mock.issueAccessToken();
    loginAccount("login-a", tokenA, 10);
    loginAccount("login-b", tokenB, 10);
    JsonNode key = key();
    Map<String, String> auth = Map.of("authorization", "Bearer " + key.get("key").asText(),
        "user-agent", "GeminiCLI-tui/0.61.0/gemini-2.5-pro (linux; x64; terminal) google-api-nodejs-client/10.9.0");
    HttpResponse<String> load = raw("POST", "/gemini/v1internal:loadCodeAssist", auth,
        "{\"metadata\":{\"ideType\":\"IDE_UNSPECIFIED\",\"platform\":\"PLATFORM_UNSPECIFIED\",\"pluginType\":\"GEMINI\"}}");
    assertEquals(200, load.statusCode(), load.body());
    assertEquals(MockGemini.PROJECT, JSON.readTree(load.body()).path("cloudaicompanionProject").asText());
    HttpResponse<String> quota = raw("POST", "/gemini/v1internal:retrieveUserQuota", auth,
        "{\"project\":\"" + MockGemini.PROJECT + "\"}");
    assertEquals(200, quota.statusCode(), quota.body());
    assertTrue(JSON.readTree(quota.body()).path("buckets").isArray(), quota.body());
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = raw("POST", "/gemini/v1internal:streamGenerateContent?alt=sse", auth,
          codeAssistBody("gemini-2.5-pro", MockGemini.PROJECT, "session-sticky", "turn " + i));
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(events(r.body()).get(0).has("response"), "Code Assist's own envelope passes: " + r.body());
    }
    int a = mock.requestsByCredential(tokenA);
    int b = mock.requestsByCredential(tokenB);
    assertTrue((a == 3 && b == 0) || (a == 0 && b == 3), "one session, one account: " + a + "/" + b);
    JsonNode rows = node.awaitRequests(key.get("id").asText(), x -> x.size() == 5);
    long sideCalls = 0;
    for (JsonNode row : rows) {
      assertEquals("gemini-cli", row.get("client").asText(), row.toString());
      if (row.get("endpoint").asText().equals("v1internal:streamGenerateContent")) {
        assertLedgered(row, row.get("accountId").asText(), USAGE);
      } else {
        sideCalls++;
        assertEquals(0, row.get("inputTokens").asLong() + row.get("outputTokens").asLong(), row.toString());
      }
    }
    assertEquals(2, sideCalls);
  }

  @Test
  void aQuotaExhaustedLoginFailsOverAndCoolsForTheModelsFamily() throws Exception {
    String tokenA = mock.issueAccessToken();
    String tokenB = mock.issueAccessToken();
    String limited = loginAccount("limited", tokenA, 10);
    String spare = loginAccount("spare", tokenB, 20);
    mock.failWith(tokenA, "mock-429");
    JsonNode key = key();
    try (Client sdk = sdk(key.get("key").asText(), "/gemini")) {
      assertEquals(MockGemini.TEXT, sdk.models.generateContent("gemini-2.5-pro", "say hi", null).text());
    }
    assertEquals(1, mock.requestsByCredential(tokenA));
    assertEquals(1, mock.requestsByCredential(tokenB));
    JsonNode row = onlyRow(key);
    assertEquals(spare, row.get("accountId").asText());
    assertEquals(2, row.get("attempts").asInt());
    JsonNode view = awaitState(limited, "partly_cooling");
    JsonNode cooldown = view.get("cooldowns").get(0);
    assertEquals("pro", cooldown.get("family").asText(), view.toString());
    long until = java.time.Instant.parse(cooldown.get("until").asText()).toEpochMilli();
    assertTrue(until - System.currentTimeMillis() <= 8_000, "cools for RetryInfo's 7s: " + view);
    // A flash request may still use the limited account (its priority comes first).
    mock.failWith(tokenA, null);
    try (Client sdk = sdk(key.get("key").asText(), "/gemini")) {
      sdk.models.generateContent("gemini-2.5-flash", "hi", null);
    }
    assertEquals(2, mock.requestsByCredential(tokenA));
  }

  @Test
  void anExpiredAccessTokenIsRefreshedOnceAndTheRequestSucceeds() throws Exception {
    String token = mock.issueAccessToken();
    String account = loginAccount("login", token, 10);
    mock.expireAccessTokens();
    JsonNode key = key();
    HttpResponse<String> r = raw("POST", "/gemini/v1beta/models/gemini-2.5-pro:generateContent",
        Map.of("x-goog-api-key", key.get("key").asText()), publicBody("hi"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(MockGemini.TEXT, JSON.readTree(r.body()).at("/candidates/0/content/parts/1/text").asText(
        JSON.readTree(r.body()).at("/candidates/0/content/parts/0/text").asText()));
    List<MockGemini.Received> calls = mock.received("/v1internal:generateContent");
    assertEquals(2, calls.size(), "the 401, then the retry with the refreshed token");
    assertFalse(calls.get(1).header("authorization").endsWith(token));
    assertEquals(1, mock.requests("/token"));
    assertEquals("active", node.admin("GET", "/admin/api/accounts/" + account, null).get("state").asText());
  }
}
