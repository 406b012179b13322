package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.MockOpenAiAuth;
import dev.relaycluster.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Adding a ChatGPT (codex-oauth) account end to end on an embedded node: the admin asks for a login URL,
 * {@link MockOpenAi}'s auth side plays the browser's login and gives the callback URL the operator pastes,
 * the node exchanges the code and creates the account; its tokens and ChatGPT account id are sealed (no
 * answer shows them) and the account's test request carries them to the mock's codex backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodexOAuthAdminTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GENERATE = "/admin/api/accounts/openai-oauth/generate-auth-url";
  private static final String EXCHANGE = "/admin/api/accounts/openai-oauth/exchange-code";
  private static final long SESSION_TTL_MILLIS = 3_000;

  private MockOpenAi openai;
  private MockOpenAiAuth auth;
  private TestNode node;
  private final List<String> created = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    openai = new MockOpenAi();
    auth = openai.auth();
    Map<String, Object> cfg = new HashMap<>(auth.nodeConfig());
    cfg.put("relay.accounts.codex-oauth.session-ttl", SESSION_TTL_MILLIS + "ms");
    node = TestNode.embedded(Files.createTempDirectory("relay-codex-oauth-"), cfg);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    openai.close();
  }

  @AfterEach
  void deleteAccounts() throws Exception {
    for (String id : created) {
      node.admin("DELETE", "/admin/api/accounts/" + id, null);
    }
    created.clear();
  }

  private String codexBaseUrl() {
    return openai.codexBaseUrl();
  }

  /** What requests to the codex backend sent: authorization and chatgpt-account-id, in order. */
  private List<String> upstreamCredentials() {
    return openai.received().stream().filter(r -> r.path().startsWith("/backend-api/codex/"))
        .map(r -> r.header("authorization") + " | " + r.header("chatgpt-account-id")).toList();
  }

  private HttpResponse<String> exchange(ObjectNode body) throws Exception {
    return node.send("POST", EXCHANGE, body, node.login());
  }

  @Test
  void addsAChatGptAccountFromThePastedCallbackUrl() throws Exception {
    JsonNode generated = node.admin("POST", GENERATE, JSON.createObjectNode());
    String url = generated.get("authUrl").asText();
    String sessionId = generated.get("sessionId").asText();
    Instant expiresAt = Instant.parse(generated.get("expiresAt").asText());
    assertTrue(expiresAt.isAfter(Instant.now()) && expiresAt.isBefore(Instant.now().plusMillis(SESSION_TTL_MILLIS + 1)));
    Map<String, String> q = MockOpenAiAuth.query(url);
    assertTrue(url.startsWith(auth.authorizeUrl() + "?"), url);
    assertEquals("code", q.get("response_type"));
    assertEquals("app_EMoamEEZ73f0CkXaXp7hrann", q.get("client_id"));
    assertEquals("http://localhost:1455/auth/callback", q.get("redirect_uri"));
    assertEquals("openid profile email offline_access", q.get("scope"));
    assertEquals("S256", q.get("code_challenge_method"));
    assertEquals(43, q.get("code_challenge").length(), "base64url SHA-256");
    assertEquals("true", q.get("id_token_add_organizations"));
    assertEquals("true", q.get("codex_cli_simplified_flow"));
    assertTrue(q.get("state").length() >= 32, "a random state");

    String callback = auth.login(url);
    assertTrue(callback.startsWith("http://localhost:1455/auth/callback?code="), callback);

    ObjectNode wrongState = JSON.createObjectNode().put("sessionId", sessionId)
        .put("code", callback.replace("state=", "state=not-"));
    HttpResponse<String> refused = exchange(wrongState);
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("state does not belong to this login session"), refused.body());

    ObjectNode body = JSON.createObjectNode().put("sessionId", sessionId).put("code", callback)
        .put("baseUrl", codexBaseUrl()).put("priority", 3).put("maxConcurrency", 2).put("priceMultiplier", 0.5);
    body.putArray("groups").add("codex-team");
    int exchangesBefore = auth.exchangeCalls();
    HttpResponse<String> r = exchange(body);
    assertEquals(201, r.statusCode(), r.body());
    assertEquals(1, auth.exchangeCalls() - exchangesBefore);
    JsonNode account = JSON.readTree(r.body());
    String id = account.get("id").asText();
    created.add(id);
    assertEquals("codex-oauth", account.get("type").asText());
    assertEquals("openai", account.get("platform").asText());
    assertEquals(MockOpenAiAuth.EMAIL, account.get("name").asText(), "named after the login's email");
    assertEquals(codexBaseUrl(), account.get("baseUrl").asText());
    assertEquals(3, account.get("priority").asInt());
    assertEquals(2, account.get("maxConcurrency").asInt());
    assertEquals(0.5, account.get("priceMultiplier").asDouble());
    assertEquals("codex-team", account.get("groups").get(0).asText());
    assertEquals("active", account.get("state").asText());
    assertEquals("plus", account.get("tier").asText(), "the plan of the login's id token");

    HttpResponse<String> shown = node.send("GET", "/admin/api/accounts/" + id, null, node.login());
    assertEquals(200, shown.statusCode(), shown.body());
    assertEquals("plus", JSON.readTree(shown.body()).get("tier").asText(), shown.body());
    HttpResponse<String> listed = node.send("GET", "/admin/api/accounts", null, node.login());
    for (String answer : List.of(r.body(), shown.body(), listed.body())) {
      assertFalse(answer.contains(auth.lastIssued().accessToken()), "no access token in an answer");
      assertFalse(answer.contains(auth.lastIssued().refreshToken()), "no refresh token in an answer");
      assertFalse(answer.contains("eyJ"), "no JWT in an answer");
      assertFalse(answer.contains(MockOpenAi.ACCOUNT_ID), "the ChatGPT account id is sealed with the tokens");
    }

    // The sealed credentials work: the account's test request carries the token and the ChatGPT account.
    JsonNode test = node.admin("POST", "/admin/api/accounts/" + id + "/test", null);
    assertTrue(test.get("ok").asBoolean(), test.toString());
    List<String> upstreamCredentials = upstreamCredentials();
    assertFalse(upstreamCredentials.isEmpty(), "the test request reached the codex backend");
    assertEquals("Bearer " + auth.lastIssued().accessToken() + " | " + MockOpenAi.ACCOUNT_ID,
        upstreamCredentials.get(upstreamCredentials.size() - 1));

    HttpResponse<String> again = exchange(body);
    assertEquals(400, again.statusCode(), "a login session is used once: " + again.body());
    assertTrue(again.body().contains("unknown, expired or already used"), again.body());
    assertEquals(1, auth.exchangeCalls() - exchangesBefore, "a used session never reaches the token endpoint");
  }

  @Test
  void takesTheBareCodeAndANameAndRefusesUnknownOrExpiredSessions() throws Exception {
    JsonNode generated = node.admin("POST", GENERATE, JSON.createObjectNode());
    String callback = auth.login(generated.get("authUrl").asText());
    String code = MockOpenAiAuth.query(callback).get("code");
    HttpResponse<String> r = exchange(JSON.createObjectNode().put("sessionId", generated.get("sessionId").asText())
        .put("code", code).put("name", "codex-plus-1"));
    assertEquals(201, r.statusCode(), r.body());
    JsonNode account = JSON.readTree(r.body());
    created.add(account.get("id").asText());
    assertEquals("codex-plus-1", account.get("name").asText());
    assertEquals("https://chatgpt.com/backend-api/codex", account.get("baseUrl").asText());

    HttpResponse<String> unknown = exchange(JSON.createObjectNode().put("sessionId", "no-such-session")
        .put("code", code));
    assertEquals(400, unknown.statusCode(), unknown.body());
    assertTrue(unknown.body().contains("generate a new authorization URL"), unknown.body());

    HttpResponse<String> noCode = exchange(JSON.createObjectNode().put("sessionId", "x"));
    assertEquals(400, noCode.statusCode(), noCode.body());

    JsonNode late = node.admin("POST", GENERATE, JSON.createObjectNode());
    String lateCallback = auth.login(late.get("authUrl").asText());
    Thread.sleep(SESSION_TTL_MILLIS + 500);
    int exchangesBefore = auth.exchangeCalls();
    HttpResponse<String> expired = exchange(JSON.createObjectNode().put("sessionId", late.get("sessionId").asText())
        .put("code", lateCallback));
    assertEquals(400, expired.statusCode(), expired.body());
    assertTrue(expired.body().contains("unknown, expired or already used"), expired.body());
    assertEquals(exchangesBefore, auth.exchangeCalls());
  }

  private static String idToken(String plan) {
    return MockOpenAiAuth.jwt(Map.of("email", "ops@example.com", "https://api.openai.com/auth",
        Map.of("chatgpt_account_id", "acct-pasted", "chatgpt_plan_type", plan)));
  }

  @Test
  void pastedTokensTakeThePlanOfTheirIdTokenUnlessATierIsGiven() throws Exception {
    ObjectNode tokens = JSON.createObjectNode().put("access_token", "pasted-access").put("refresh_token", "rt-pasted")
        .put("id_token", idToken("team"));
    ObjectNode auth = JSON.createObjectNode();
    auth.set("tokens", tokens);
    ObjectNode body = JSON.createObjectNode().put("name", "pasted").put("platform", "openai").put("type", "codex-oauth")
        .put("baseUrl", codexBaseUrl()).put("authJson", auth.toString());
    JsonNode account = node.admin("POST", "/admin/api/accounts", body);
    String id = account.get("id").asText();
    created.add(id);
    assertEquals("team", account.get("tier").asText(), account.toString());
    JsonNode shown = node.admin("GET", "/admin/api/accounts/" + id, null);
    assertEquals("team", shown.get("tier").asText(), shown.toString());
    assertFalse(shown.toString().contains("eyJ"), "no JWT in an answer");
    // New tokens of another plan (the login was upgraded) bring their plan along.
    tokens.put("id_token", idToken("pro"));
    node.admin("PATCH", "/admin/api/accounts/" + id, JSON.createObjectNode().put("authJson", auth.toString()));
    assertEquals("pro", node.admin("GET", "/admin/api/accounts/" + id, null).get("tier").asText());
    // A tier the admin names wins over the token's.
    JsonNode named = node.admin("POST", "/admin/api/accounts", JSON.createObjectNode().put("name", "named")
        .put("platform", "openai").put("type", "codex-oauth").put("baseUrl", codexBaseUrl())
        .put("accessToken", "pasted-access-2").put("idToken", idToken("plus")).put("tier", "enterprise"));
    created.add(named.get("id").asText());
    assertEquals("enterprise", named.get("tier").asText(), named.toString());
  }

  @Test
  void aCodeTheTokenEndpointRefusesIsA400AndCreatesNothing() throws Exception {
    JsonNode generated = node.admin("POST", GENERATE, JSON.createObjectNode());
    auth.login(generated.get("authUrl").asText());
    int accountsBefore = node.admin("GET", "/admin/api/accounts", null).get("data").size();
    HttpResponse<String> r = exchange(JSON.createObjectNode().put("sessionId", generated.get("sessionId").asText())
        .put("code", "ac_never-issued"));
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("code exchange refused (400): invalid_grant"), r.body());
    assertEquals(accountsBefore, node.admin("GET", "/admin/api/accounts", null).get("data").size());
  }
}
