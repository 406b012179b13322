package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentResponse;
import dev.relaycluster.testing.MockGemini;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gemini through the relay on Google-login (Code Assist) accounts, end to end: the SDK in API-key mode served
 * through the Code Assist envelope with the account's project, a Code Assist client's session and side calls
 * kept on one account, a RESOURCE_EXHAUSTED failover that cools the model's family, an expired access token
 * refreshed once. Run once per storage profile.
 */
abstract class GeminiLoginRelayContract extends GeminiRelayBase {
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
