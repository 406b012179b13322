package dev.relaycluster.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives {@link MockGemini}'s Code Assist and Google OAuth sides with java.net.http: the envelope per SSE
 * event, the project check, countTokens, expired tokens, onboarding with operation polls, quota buckets, the
 * scenario errors' details, the token endpoint (code grant with PKCE, refresh, invalid_client, invalid_grant
 * after a revoke) and userinfo.
 */
class MockGeminiCodeAssistTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = MockGeminiHttp.HTTP;
  private static MockGemini mock;

  @BeforeAll
  static void start() throws IOException {
    mock = MockGemini.start();
  }

  @AfterAll
  static void stop() {
    mock.close();
  }

  @BeforeEach
  void reset() {
    mock.clear();
    mock.setup(MockGemini.Setup.CURRENT_TIER);
    mock.setQuotaRemaining(1.0);
  }

  @Test
  void codeAssistEnvelopePerSseEvent() throws Exception {
    String token = mock.issueAccessToken();
    HttpResponse<String> r = post("/v1internal:streamGenerateContent?alt=sse", "Authorization: Bearer " + token,
        caBody("gemini-2.5-pro", MockGemini.PROJECT, "Hi"));
    assertEquals(200, r.statusCode());
    assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow());
    String[] events = r.body().split("\r\n\r\n");
    assertEquals(MockGeminiAnswers.TEXT_PIECES.size(), events.length);
    StringBuilder text = new StringBuilder();
    for (String e : events) {
      assertTrue(e.startsWith("data: "), e);
      JsonNode j = JSON.readTree(e.substring(6));
      assertFalse(j.path("traceId").asText().isEmpty());
      text.append(j.at("/response/candidates/0/content/parts/0/text").asText());
    }
    assertEquals(MockGemini.TEXT, text.toString());
    assertEquals(1070, JSON.readTree(events[events.length - 1].substring(6)).at("/response/usageMetadata/totalTokenCount")
        .asInt());
    assertEquals(List.of(MockGemini.PROJECT), mock.projectsSeen());
    assertEquals(1, mock.requestsByCredential(token));
    assertEquals(1, mock.requestsByAccount(MockGemini.EMAIL));
  }

  @Test
  void codeAssistChecksProjectAndCountsTokens() throws Exception {
    String auth = "Authorization: Bearer " + mock.issueAccessToken();
    assertEquals(403, post("/v1internal:generateContent", auth, caBody("gemini-2.5-pro", "someone-else", "Hi"))
        .statusCode());
    HttpResponse<String> count = post("/v1internal:countTokens", auth,
        "{\"request\":{\"model\":\"models/gemini-2.5-pro\",\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
            + "\"a b c\"}]}]}}");
    assertEquals(3, JSON.readTree(count.body()).path("totalTokens").asInt());
    HttpResponse<String> whole = post("/v1internal:generateContent", auth, caBody("gemini-2.5-pro", MockGemini.PROJECT,
        "Hi"));
    assertEquals(MockGemini.TEXT, JSON.readTree(whole.body()).at("/response/candidates/0/content/parts/0/text").asText());
  }

  @Test
  void expiredTokensGet401() throws Exception {
    String token = mock.issueAccessToken();
    mock.expireAccessTokens();
    HttpResponse<String> r = post("/v1internal:generateContent", "Authorization: Bearer " + token,
        caBody("gemini-2.5-pro", MockGemini.PROJECT, "Hi"));
    assertEquals(401, r.statusCode());
    JsonNode e = JSON.readTree(r.body()).path("error");
    assertEquals("UNAUTHENTICATED", e.path("status").asText());
    assertEquals("ACCESS_TOKEN_EXPIRED", e.at("/details/0/reason").asText());
    String fresh = mock.issueAccessToken();
    assertEquals(200, post("/v1internal:generateContent", "Authorization: Bearer " + fresh,
        caBody("gemini-2.5-pro", MockGemini.PROJECT, "Hi")).statusCode());
  }

  @Test
  void onboardingPollsUntilDone() throws Exception {
    mock.setup(MockGemini.Setup.ONBOARD);
    String auth = "Authorization: Bearer " + mock.issueAccessToken();
    JsonNode load = JSON.readTree(post("/v1internal:loadCodeAssist", auth,
        "{\"metadata\":{\"ideType\":\"IDE_UNSPECIFIED\",\"platform\":\"PLATFORM_UNSPECIFIED\",\"pluginType\":\"GEMINI\"}}")
        .body());
    assertTrue(load.path("currentTier").isMissingNode());
    assertEquals("free-tier", load.at("/allowedTiers/0/id").asText());
    assertTrue(load.at("/allowedTiers/0/isDefault").asBoolean());
    JsonNode op = JSON.readTree(post("/v1internal:onboardUser", auth, "{\"tierId\":\"free-tier\"}").body());
    assertFalse(op.path("done").asBoolean());
    String name = op.path("name").asText();
    assertTrue(name.startsWith("operations/"), name);
    JsonNode poll1 = JSON.readTree(get("/v1internal/" + name, auth).body());
    assertFalse(poll1.path("done").asBoolean());
    JsonNode poll2 = JSON.readTree(get("/v1internal/" + name, auth).body());
    assertTrue(poll2.path("done").asBoolean());
    assertEquals(MockGemini.ONBOARDED_PROJECT, poll2.at("/response/cloudaicompanionProject/id").asText());
    JsonNode again = JSON.readTree(post("/v1internal:loadCodeAssist", auth, "{}").body());
    assertEquals(MockGemini.ONBOARDED_PROJECT, again.path("cloudaicompanionProject").asText());
    assertEquals(200, post("/v1internal:generateContent", auth,
        caBody("gemini-2.5-pro", MockGemini.ONBOARDED_PROJECT, "Hi")).statusCode());
  }

  @Test
  void quotaBucketsFollowTheSetting() throws Exception {
    mock.setQuotaRemaining(0.25);
    JsonNode q = JSON.readTree(post("/v1internal:retrieveUserQuota", "Authorization: Bearer " + mock.issueAccessToken(),
        "{\"project\":\"" + MockGemini.PROJECT + "\"}").body());
    JsonNode b = q.at("/buckets/0");
    assertEquals("REQUESTS", b.path("tokenType").asText());
    assertEquals(0.25, b.path("remainingFraction").asDouble());
    assertFalse(b.path("resetTime").asText().isEmpty());
  }

  @Test
  void scenarioErrorsCarryGoogleDetails() throws Exception {
    String auth = "Authorization: Bearer " + mock.issueAccessToken();
    JsonNode daily = JSON.readTree(post("/v1internal:generateContent", auth,
        caBody("mock-429-daily", MockGemini.PROJECT, "Hi")).body()).path("error");
    assertTrue(daily.toString().contains("PerDay"));
    JsonNode exhausted = JSON.readTree(post("/v1internal:streamGenerateContent?alt=sse", auth,
        caBody("mock-quota-exhausted", MockGemini.PROJECT, "Hi")).body()).path("error");
    assertEquals("QUOTA_EXHAUSTED", exhausted.at("/details/0/reason").asText());
    assertEquals("cloudcode-pa.googleapis.com", exhausted.at("/details/0/domain").asText());
    HttpResponse<String> validation = post("/v1internal:generateContent", auth,
        caBody("mock-403-validation", MockGemini.PROJECT, "Hi"));
    assertEquals(403, validation.statusCode());
    assertTrue(validation.body().contains(MockGeminiErrors.VALIDATION_URL));
    assertEquals(503, post("/v1beta/models/mock-503:generateContent", "x-goog-api-key: " + MockGemini.API_KEY,
        "{}").statusCode());
  }

  // ---- raw HTTP: OAuth ----

  @Test
  void tokenEndpointCodeGrantRefreshAndRevoke() throws Exception {
    String verifier = "mock-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
    String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    String redirect = "http://127.0.0.1:8085/oauth2callback";
    String code = mock.authorizationCode(challenge, redirect);
    String client = "&client_id=" + enc(MockGemini.CLIENT_ID) + "&client_secret=" + enc(MockGemini.CLIENT_SECRET);
    HttpResponse<String> wrongVerifier = form("grant_type=authorization_code&code=" + enc(code) + "&code_verifier=x"
        + "&redirect_uri=" + enc(redirect) + client);
    assertEquals(400, wrongVerifier.statusCode());
    assertEquals("invalid_grant", JSON.readTree(wrongVerifier.body()).path("error").asText());
    code = mock.authorizationCode(challenge, redirect);
    HttpResponse<String> exchanged = form("grant_type=authorization_code&code=" + enc(code) + "&code_verifier="
        + verifier + "&redirect_uri=" + enc(redirect) + client);
    assertEquals(200, exchanged.statusCode(), exchanged.body());
    JsonNode tokens = JSON.readTree(exchanged.body());
    assertEquals(MockGemini.REFRESH_TOKEN, tokens.path("refresh_token").asText());
    assertEquals(3599, tokens.path("expires_in").asInt());
    assertEquals("Bearer", tokens.path("token_type").asText());
    HttpResponse<String> info = get("/oauth2/v2/userinfo", "Authorization: Bearer " + tokens.path("access_token")
        .asText());
    assertEquals(MockGemini.EMAIL, JSON.readTree(info.body()).path("email").asText());
    assertEquals(400, form("grant_type=authorization_code&code=" + enc(code) + "&code_verifier=" + verifier
        + "&redirect_uri=" + enc(redirect) + client).statusCode(), "a code is good once");

    HttpResponse<String> refreshed = form("grant_type=refresh_token&refresh_token=" + MockGemini.REFRESH_TOKEN + client);
    assertEquals(200, refreshed.statusCode());
    JsonNode r = JSON.readTree(refreshed.body());
    assertTrue(r.path("refresh_token").isMissingNode());
    String access = r.path("access_token").asText();
    assertEquals(200, post("/v1internal:loadCodeAssist", "Authorization: Bearer " + access, "{}").statusCode());
    assertEquals(401, form("grant_type=refresh_token&refresh_token=" + MockGemini.REFRESH_TOKEN
        + "&client_id=other&client_secret=x").statusCode());
  }

  @Test
  void revokedRefreshTokenGetsInvalidGrant() throws Exception {
    try (MockGemini own = MockGemini.start()) {
      String client = "&client_id=" + enc(MockGemini.CLIENT_ID) + "&client_secret=" + enc(MockGemini.CLIENT_SECRET);
      own.addAccount("second-refresh-token", "second@example.com", "second-project");
      own.revokeRefreshToken();
      HttpResponse<String> revoked = form(own, "grant_type=refresh_token&refresh_token=" + MockGemini.REFRESH_TOKEN
          + client);
      assertEquals(400, revoked.statusCode());
      JsonNode e = JSON.readTree(revoked.body());
      assertEquals("invalid_grant", e.path("error").asText());
      assertFalse(e.path("error_description").asText().isEmpty());
      HttpResponse<String> other = form(own, "grant_type=refresh_token&refresh_token=second-refresh-token" + client);
      assertEquals(200, other.statusCode(), "only the default account's refresh token was revoked");
      String access = JSON.readTree(other.body()).path("access_token").asText();
      JsonNode load = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(own.baseUrl() + "/v1internal:loadCodeAssist"))
          .header("authorization", "Bearer " + access).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertEquals("second-project", load.path("cloudaicompanionProject").asText());
    }
  }

  private static String caBody(String model, String project, String text) {
    return MockGeminiHttp.caBody(model, project, text);
  }

  private static String enc(String s) {
    return MockGeminiHttp.enc(s);
  }

  private static HttpResponse<String> form(String body) throws Exception {
    return MockGeminiHttp.form(mock, body);
  }

  private static HttpResponse<String> form(MockGemini target, String body) throws Exception {
    return MockGeminiHttp.form(target, body);
  }

  private static HttpResponse<String> post(String pathAndQuery, String header, String body) throws Exception {
    return MockGeminiHttp.post(mock, pathAndQuery, header, body);
  }

  private static HttpResponse<String> get(String pathAndQuery, String header) throws Exception {
    return MockGeminiHttp.get(mock, pathAndQuery, header);
  }
}
