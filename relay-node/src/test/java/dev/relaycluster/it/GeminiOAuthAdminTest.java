package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockGemini;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * Adding Gemini accounts end to end on an embedded node against {@link MockGemini}'s Google: the Google login
 * (login URL, the code {@link MockGemini} issues for its challenge pasted back bare or as the redirect URL,
 * the project found through loadCodeAssist, or by onboarding and polling, or the operator's own), Gemini
 * CLI's {@code oauth_creds.json} pasted (an expired one refreshed first), direct creation of gemini-api and
 * gemini-oauth accounts through {@code POST /admin/api/accounts}, a project edit; no answer shows a token
 * or key, the project is shown, and a login that cannot be completed creates nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeminiOAuthAdminTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASE = "/admin/api/accounts/gemini-oauth";
  private static final String REDIRECT = "https://codeassist.google.com/authcode";

  private MockGemini google;
  private TestNode node;
  private final List<String> created = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    google = MockGemini.start();
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("relay.accounts.gemini-oauth.client-id", MockGemini.CLIENT_ID);
    cfg.put("relay.accounts.gemini-oauth.client-secret", MockGemini.CLIENT_SECRET);
    cfg.put("relay.accounts.gemini-oauth.authorize-url", google.baseUrl() + "/o/oauth2/v2/auth");
    cfg.put("relay.accounts.gemini-oauth.token-url", google.tokenUrl());
    cfg.put("relay.accounts.gemini-oauth.userinfo-url", google.userinfoUrl());
    cfg.put("relay.accounts.gemini-oauth.code-assist-base-url", google.baseUrl());
    cfg.put("relay.accounts.gemini-oauth.onboard-poll-interval", "20ms");
    node = TestNode.embedded(Files.createTempDirectory("relay-gemini-oauth-"), cfg);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    google.close();
  }

  @AfterEach
  void deleteAccounts() throws Exception {
    google.setup(MockGemini.Setup.CURRENT_TIER);
    for (String id : created) {
      node.admin("DELETE", "/admin/api/accounts/" + id, null);
    }
    created.clear();
  }

  private HttpResponse<String> post(String path, JsonNode body) throws Exception {
    return node.send("POST", path, body, node.login());
  }

  /** A 201 answer's account, remembered for deletion. */
  private JsonNode createdAccount(HttpResponse<String> r) throws Exception {
    assertEquals(201, r.statusCode(), r.body());
    JsonNode account = JSON.readTree(r.body());
    created.add(account.get("id").asText());
    return account;
  }

  private JsonNode detail(String id) throws Exception {
    return node.admin("GET", "/admin/api/accounts/" + id, null);
  }

  private int accountCount() throws Exception {
    return node.admin("GET", "/admin/api/accounts", null).get("data").size();
  }

  private static Map<String, String> query(String url) {
    Map<String, String> q = new HashMap<>();
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return q;
  }

  /** Asks for a login URL and plays the operator's login: the session id and the code Google showed. */
  private String[] login() throws Exception {
    JsonNode generated = node.admin("POST", BASE + "/generate-auth-url", JSON.createObjectNode());
    Map<String, String> q = query(generated.get("authUrl").asText());
    return new String[] {generated.get("sessionId").asText(),
        google.authorizationCode(q.get("code_challenge"), q.get("redirect_uri"))};
  }

  private void assertNoSecrets(String answer, String... secrets) {
    for (String s : secrets) {
      assertFalse(answer.contains(s), "no token or key in an answer");
    }
    assertFalse(answer.contains("ya29."), "no access token in an answer");
    assertFalse(answer.contains(MockGemini.CLIENT_SECRET), "never the client secret");
  }

  @Test
  void addsAGoogleLoginFromThePastedCodeWithItsProject() throws Exception {
    JsonNode generated = node.admin("POST", BASE + "/generate-auth-url", JSON.createObjectNode());
    String url = generated.get("authUrl").asText();
    assertTrue(url.startsWith(google.baseUrl() + "/o/oauth2/v2/auth?"), url);
    assertTrue(Instant.parse(generated.get("expiresAt").asText()).isAfter(Instant.now()));
    Map<String, String> q = query(url);
    assertEquals("code", q.get("response_type"));
    assertEquals(MockGemini.CLIENT_ID, q.get("client_id"));
    assertEquals(REDIRECT, q.get("redirect_uri"));
    assertEquals("https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email"
        + " https://www.googleapis.com/auth/userinfo.profile", q.get("scope"));
    assertEquals("offline", q.get("access_type"));
    assertEquals("consent", q.get("prompt"));
    assertEquals("S256", q.get("code_challenge_method"));
    assertEquals(43, q.get("code_challenge").length());
    assertFalse(url.contains(MockGemini.CLIENT_SECRET), "the secret stays on the node");

    String code = google.authorizationCode(q.get("code_challenge"), REDIRECT);
    int exchangesBefore = google.auth().exchangeCalls();
    int loadsBefore = google.requests("/v1internal:loadCodeAssist");
    ObjectNode body = JSON.createObjectNode().put("sessionId", generated.get("sessionId").asText())
        .put("code", REDIRECT + "?code=" + code + "&scope=email%20profile").put("priority", 7);
    body.putArray("groups").add("gemini-team");
    HttpResponse<String> r = post(BASE + "/exchange-code", body);
    JsonNode account = createdAccount(r);
    assertEquals(1, google.auth().exchangeCalls() - exchangesBefore);
    assertEquals(1, google.requests("/v1internal:loadCodeAssist") - loadsBefore, "the project was looked up");
    assertEquals("gemini-oauth", account.get("type").asText());
    assertEquals("gemini", account.get("platform").asText());
    assertEquals(MockGemini.EMAIL, account.get("name").asText(), "named after the login's email");
    assertEquals(google.baseUrl(), account.get("baseUrl").asText(), "the configured Code Assist base URL");
    assertEquals(7, account.get("priority").asInt());
    assertEquals("gemini-team", account.get("groups").get(0).asText());

    String id = account.get("id").asText();
    JsonNode shown = detail(id);
    assertEquals(MockGemini.PROJECT, shown.get("projectId").asText(), "the project is shown");
    String listed = node.send("GET", "/admin/api/accounts", null, node.login()).body();
    for (String answer : List.of(r.body(), shown.toString(), listed)) {
      assertNoSecrets(answer, MockGemini.REFRESH_TOKEN, code);
    }

    HttpResponse<String> again = post(BASE + "/exchange-code", body);
    assertEquals(400, again.statusCode(), "a login session is used once: " + again.body());
    assertEquals(1, google.auth().exchangeCalls() - exchangesBefore);
  }

  @Test
  void aLoginOnNoTierIsOnboardedAndTheOperatorsProjectSkipsDiscovery() throws Exception {
    google.setup(MockGemini.Setup.ONBOARD);
    String[] login = login();
    int onboardsBefore = google.requests("/v1internal:onboardUser");
    JsonNode account = createdAccount(post(BASE + "/exchange-code", JSON.createObjectNode()
        .put("sessionId", login[0]).put("code", login[1]).put("name", "onboarded")));
    assertEquals(1, google.requests("/v1internal:onboardUser") - onboardsBefore);
    assertEquals(MockGemini.ONBOARDED_PROJECT, detail(account.get("id").asText()).get("projectId").asText());

    String[] second = login();
    int loadsBefore = google.requests("/v1internal:loadCodeAssist");
    JsonNode own = createdAccount(post(BASE + "/exchange-code", JSON.createObjectNode()
        .put("sessionId", second[0]).put("code", second[1]).put("projectId", "my-own-project-42")));
    assertEquals("my-own-project-42", detail(own.get("id").asText()).get("projectId").asText());
    assertEquals(loadsBefore, google.requests("/v1internal:loadCodeAssist"), "no discovery when a project is given");

    String[] third = login();
    HttpResponse<String> numeric = post(BASE + "/exchange-code", JSON.createObjectNode()
        .put("sessionId", third[0]).put("code", third[1]).put("projectId", "123456789012"));
    assertEquals(400, numeric.statusCode(), numeric.body());
    assertTrue(numeric.body().contains("not its number"), numeric.body());
  }

  @Test
  void importsOauthCredsJsonRefreshingAnExpiredOne() throws Exception {
    int refreshesBefore = google.auth().refreshCalls();
    ObjectNode creds = JSON.createObjectNode().put("access_token", "ya29.long-expired")
        .put("scope", "https://www.googleapis.com/auth/cloud-platform openid").put("token_type", "Bearer")
        .put("expiry_date", System.currentTimeMillis() - 3_600_000).put("refresh_token", MockGemini.REFRESH_TOKEN);
    ObjectNode body = JSON.createObjectNode().put("credsJson", creds.toString());
    HttpResponse<String> r = post(BASE + "/import-creds", body);
    JsonNode account = createdAccount(r);
    assertEquals(1, google.auth().refreshCalls() - refreshesBefore, "the expired token was refreshed first");
    assertEquals(MockGemini.EMAIL, account.get("name").asText(), "named from userinfo");
    assertEquals(MockGemini.PROJECT, detail(account.get("id").asText()).get("projectId").asText());
    assertNoSecrets(r.body(), MockGemini.REFRESH_TOKEN);

    // The same file through the direct creation, as an object, with the operator's project and a name.
    ObjectNode direct = JSON.createObjectNode().put("platform", "gemini").put("type", "gemini-oauth")
        .put("name", "from-creds").put("projectId", "team-project");
    direct.set("credsJson", creds.deepCopy().put("access_token", google.issueAccessToken())
        .put("expiry_date", System.currentTimeMillis() + 3_000_000));
    JsonNode second = createdAccount(post("/admin/api/accounts", direct));
    assertEquals("team-project", detail(second.get("id").asText()).get("projectId").asText());
    assertEquals(1, google.auth().refreshCalls() - refreshesBefore, "a fresh token is not refreshed");

    int before = accountCount();
    HttpResponse<String> noRefresh = post(BASE + "/import-creds", JSON.createObjectNode()
        .put("credsJson", "{\"access_token\":\"ya29.x\"}"));
    assertEquals(400, noRefresh.statusCode(), noRefresh.body());
    assertTrue(noRefresh.body().contains("refresh_token"), noRefresh.body());
    HttpResponse<String> notJson = post(BASE + "/import-creds", JSON.createObjectNode().put("credsJson", "{oops"));
    assertEquals(400, notJson.statusCode(), notJson.body());
    assertEquals(before, accountCount());
  }

  @Test
  void createsBothTypesDirectlyAndRefusesWhatCannotWork() throws Exception {
    HttpResponse<String> apiKey = post("/admin/api/accounts", JSON.createObjectNode().put("platform", "gemini")
        .put("type", "gemini-api").put("name", "gemini-key").put("apiKey", MockGemini.API_KEY)
        .put("baseUrl", google.baseUrl()));
    JsonNode keyAccount = createdAccount(apiKey);
    assertEquals("gemini-api", keyAccount.get("type").asText());
    assertEquals("gemini", keyAccount.get("platform").asText());
    JsonNode keyDetail = detail(keyAccount.get("id").asText());
    assertFalse(keyDetail.has("projectId"), "only Google logins have a project");
    assertNoSecrets(apiKey.body() + keyDetail, MockGemini.API_KEY);
    JsonNode defaulted = createdAccount(post("/admin/api/accounts", JSON.createObjectNode().put("platform", "gemini")
        .put("type", "gemini-api").put("name", "gemini-key-2").put("apiKey", MockGemini.SECOND_API_KEY)));
    assertEquals("https://generativelanguage.googleapis.com", defaulted.get("baseUrl").asText());

    String token = google.issueAccessToken();
    ObjectNode oauth = JSON.createObjectNode().put("platform", "gemini").put("type", "gemini-oauth")
        .put("name", "gemini-tokens").put("accessToken", token).put("refreshToken", MockGemini.REFRESH_TOKEN)
        .put("expiresAt", Instant.now().plusSeconds(3000).toString());
    HttpResponse<String> r = post("/admin/api/accounts", oauth);
    JsonNode account = createdAccount(r);
    JsonNode shown = detail(account.get("id").asText());
    assertEquals(MockGemini.PROJECT, shown.get("projectId").asText(), "found at add time");
    assertNoSecrets(r.body() + shown, token, MockGemini.REFRESH_TOKEN);

    int before = accountCount();
    HttpResponse<String> badToken = post("/admin/api/accounts", oauth.deepCopy().put("accessToken", "ya29.never-issued")
        .put("name", "refused"));
    assertEquals(400, badToken.statusCode(), badToken.body());
    assertTrue(badToken.body().contains("loadCodeAssist refused (401)"), badToken.body());
    assertFalse(badToken.body().contains("ya29.never-issued"));
    ObjectNode noRefresh = oauth.deepCopy();
    noRefresh.remove("refreshToken");
    assertEquals(400, post("/admin/api/accounts", noRefresh).statusCode());
    HttpResponse<String> wrongType = post("/admin/api/accounts", JSON.createObjectNode().put("platform", "gemini")
        .put("type", "claude-oauth").put("name", "x").put("accessToken", "a"));
    assertEquals(400, wrongType.statusCode());
    assertTrue(wrongType.body().contains("gemini-api") && wrongType.body().contains("gemini-oauth"), wrongType.body());
    assertEquals(before, accountCount(), "nothing was created");
  }

  @Test
  void anEditSetsTheProjectOfAGoogleLoginOnly() throws Exception {
    JsonNode account = createdAccount(post("/admin/api/accounts", JSON.createObjectNode().put("platform", "gemini")
        .put("type", "gemini-oauth").put("name", "to-edit").put("accessToken", google.issueAccessToken())
        .put("refreshToken", MockGemini.REFRESH_TOKEN).put("projectId", "first-project")));
    String id = account.get("id").asText();
    HttpResponse<String> edited = node.send("PATCH", "/admin/api/accounts/" + id,
        JSON.createObjectNode().put("projectId", "second-project").put("priority", 3), node.login());
    assertEquals(200, edited.statusCode(), edited.body());
    JsonNode shown = detail(id);
    assertEquals("second-project", shown.get("projectId").asText());
    assertEquals(3, shown.get("priority").asInt());

    JsonNode key = createdAccount(post("/admin/api/accounts", JSON.createObjectNode().put("platform", "gemini")
        .put("type", "gemini-api").put("name", "key").put("apiKey", MockGemini.API_KEY)));
    HttpResponse<String> refused = node.send("PATCH", "/admin/api/accounts/" + key.get("id").asText(),
        JSON.createObjectNode().put("projectId", "x-project"), node.login());
    assertEquals(400, refused.statusCode(), refused.body());
  }
}
