package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ClientException;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import dev.relaycluster.testing.MockGemini;
import dev.relaycluster.testing.MockGeminiAnswers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Gemini through the relay on API-key accounts, end to end: the official SDK and raw clients in API-key mode
 * through /gemini and the root /v1beta (whole, SSE and JSON-array streams, count tokens, the key in each place
 * clients put it), Gemini's errors for bad input, a stream cut upstream, a per-family rate limit, and a Code
 * Assist client served by an API key. Run once per storage profile.
 */
abstract class GeminiRelayContract extends GeminiRelayBase {
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
  void aStreamThatEndsBeforeItsFinishReasonIsACutAnswer() throws Exception {
    apiAccount("api", MockGemini.API_KEY, 10);
    JsonNode key = key();
    HttpResponse<String> r = raw("POST", "/gemini/v1beta/models/mock-clean-cut:streamGenerateContent?alt=sse",
        Map.of("x-goog-api-key", key.get("key").asText()), publicBody("hi"));
    assertEquals(200, r.statusCode());
    List<JsonNode> events = events(r.body());
    assertTrue(events.stream().noneMatch(e -> e.at("/candidates/0").has("finishReason")), r.body());
    assertEquals("INTERNAL", events.get(events.size() - 1).at("/error/status").asText(), r.body());
    assertEquals("UPSTREAM_FAILED", onlyRow(key).get("outcome").asText());
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
}
