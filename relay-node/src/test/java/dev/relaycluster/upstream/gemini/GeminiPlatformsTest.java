package dev.relaycluster.upstream.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.dialect.StreamReframer;
import dev.relaycluster.protocol.gemini.GeminiDialect;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.UpstreamCall;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** The two Gemini platforms on requests as Gemini CLI sends them (cli-wire.md §6), without network. */
class GeminiPlatformsTest {
  private static final GeminiApiPlatform API = new GeminiApiPlatform();
  private static final CodeAssistPlatform OAUTH = new CodeAssistPlatform();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String RELAY_KEY = "cr_relay_client_key";
  private static final String API_BASE = "https://generativelanguage.googleapis.com";
  private static final String CA_BASE = "https://cloudcode-pa.googleapis.com";
  private static final Credential API_CREDENTIAL =
      new Credential("acc-api", GeminiApiPlatform.TYPE, API_BASE, "AIzaSy-account-key", null, null, null);
  private static final Credential OAUTH_CREDENTIAL =
      new Credential("acc-oauth", CodeAssistPlatform.TYPE, CA_BASE, null, "ya29.account-token", "acct-gcp-project",
          null);

  /** The public request body of Gemini CLI in API-key mode (trimmed). */
  private static final String PUBLIC_BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"say hi\"}]}],"
      + "\"systemInstruction\":{\"role\":\"user\",\"parts\":[{\"text\":\"You are Gemini CLI, an autonomous CLI agent.\"}]},"
      + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"read_file\",\"description\":\"Reads a file.\","
      + "\"parametersJsonSchema\":{\"type\":\"object\",\"properties\":{\"absolute_path\":{\"type\":\"string\"}}}}]}],"
      + "\"generationConfig\":{\"temperature\":1,\"topP\":0.95,\"topK\":64,"
      + "\"thinkingConfig\":{\"includeThoughts\":true,\"thinkingLevel\":\"HIGH\"}}}";
  /** The same request as Gemini CLI sends it in Code Assist mode. */
  private static final String CODE_ASSIST_BODY = "{\"model\":\"gemini-2.5-pro\",\"project\":\"client-project\","
      + "\"user_prompt_id\":\"6f1c2d3e-prompt\",\"request\":" + PUBLIC_BODY.substring(0, PUBLIC_BODY.length() - 1)
      + ",\"session_id\":\"6f1c2d3e-prompt\"}}";
  private static final String LOAD_CODE_ASSIST_BODY =
      "{\"metadata\":{\"ideType\":\"IDE_UNSPECIFIED\",\"platform\":\"LINUX_AMD64\",\"pluginType\":\"GEMINI\"}}";

  private static List<HttpHeader> publicClientHeaders() {
    return List.of(
        RawHeader.create("x-goog-api-key", RELAY_KEY),
        RawHeader.create("x-goog-api-client", "google-genai-sdk/1.30.0 gl-node/v20.20.2"),
        RawHeader.create("user-agent", "GeminiCLI-tui/0.61.0/gemini-2.5-pro (linux; x64; terminal)"),
        RawHeader.create("accept-encoding", "gzip, deflate"),
        RawHeader.create("content-type", "application/json"),
        RawHeader.create("host", "relay.example"),
        RawHeader.create("x-forwarded-for", "203.0.113.7"));
  }

  private static List<HttpHeader> codeAssistClientHeaders() {
    return List.of(
        RawHeader.create("authorization", "Bearer " + RELAY_KEY),
        RawHeader.create("user-agent",
            "GeminiCLI-tui/0.61.0/gemini-2.5-pro (linux; x64; terminal) google-api-nodejs-client/10.9.0"),
        RawHeader.create("x-goog-api-client", "gl-node/20.20.2"),
        RawHeader.create("accept-encoding", "gzip, deflate"),
        RawHeader.create("content-type", "application/json"));
  }

  /** A client call as the relay hands it to a platform: the view read by the Gemini dialect. */
  private static UpstreamCall call(String endpoint, String rawQuery, List<HttpHeader> headers, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    RequestView view = GeminiDialect.INSTANCE.read(endpoint, bytes, name -> headers.stream()
        .filter(h -> h.lowercaseName().equals(name)).map(HttpHeader::value).findFirst().orElse(null), "key-1");
    return new UpstreamCall(endpoint, rawQuery, headers, ContentTypes.APPLICATION_JSON, ByteString.fromArray(bytes),
        view);
  }

  private static UpstreamCall publicCall(String model, String method, String rawQuery) {
    return call("models/" + model + ":" + method, rawQuery, publicClientHeaders(), PUBLIC_BODY);
  }

  private static UpstreamCall codeAssistCall(String method, String rawQuery, String body) {
    return call("v1internal:" + method, rawQuery, codeAssistClientHeaders(), body);
  }

  private static List<String> values(HttpRequest request, String name) {
    return StreamSupport.stream(request.getHeaders().spliterator(), false)
        .filter(h -> h.lowercaseName().equals(name)).map(HttpHeader::value).toList();
  }

  private static String bodyOf(HttpRequest request) {
    return ((HttpEntity.Strict) request.entity()).getData().utf8String();
  }

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  private static void assertNoRelayKey(HttpRequest request) {
    for (HttpHeader h : request.getHeaders()) {
      assertFalse(h.value().contains(RELAY_KEY), h.toString());
    }
    assertFalse(request.getUri().toString().contains(RELAY_KEY), request.getUri().toString());
  }

  /** The bytes a re-framer sends for one whole stream made of {@code sse}. */
  private static String reframe(AnswerFraming framing, String sse) {
    StreamReframer reframer = framing.newStream();
    byte[] first = reframer.feed(ByteBuffer.wrap(sse.getBytes(StandardCharsets.UTF_8)));
    byte[] last = reframer.end();
    return new String(first, StandardCharsets.UTF_8) + new String(last, StandardCharsets.UTF_8);
  }

  // ---- gemini-api ----

  @Test
  void apiKeyGenerateContentGoesToThePublicPathWithTheAccountKey() {
    HttpRequest r = API.request(publicCall("gemini-2.5-pro", "generateContent", "key=" + RELAY_KEY), API_CREDENTIAL);

    assertEquals(HttpMethods.POST, r.method());
    assertEquals(API_BASE + "/v1beta/models/gemini-2.5-pro:generateContent", r.getUri().toString());
    assertEquals(List.of("AIzaSy-account-key"), values(r, "x-goog-api-key"));
    assertEquals(List.of(), values(r, "authorization"));
    assertEquals(List.of("identity"), values(r, "accept-encoding"));
    assertEquals(List.of("google-genai-sdk/1.30.0 gl-node/v20.20.2"), values(r, "x-goog-api-client"));
    assertEquals(List.of("GeminiCLI-tui/0.61.0/gemini-2.5-pro (linux; x64; terminal)"), values(r, "user-agent"));
    assertEquals(List.of(), values(r, "host"));
    assertEquals(List.of(), values(r, "x-forwarded-for"));
    assertNoRelayKey(r);
    assertEquals(ContentTypes.APPLICATION_JSON, r.entity().getContentType());
    assertEquals(PUBLIC_BODY, bodyOf(r));
  }

  @Test
  void apiKeyDropsTheClientsBearerRelayKey() {
    HttpRequest r = API.request(codeAssistCall("generateContent", null, CODE_ASSIST_BODY), API_CREDENTIAL);
    assertEquals(List.of(), values(r, "authorization"));
    assertEquals(List.of("AIzaSy-account-key"), values(r, "x-goog-api-key"));
    assertNoRelayKey(r);
  }

  @Test
  void apiKeyStreamsAlwaysAskForSseAndNothingElse() {
    for (String query : new String[] {"alt=sse", null, "key=" + RELAY_KEY, "alt=sse&key=" + RELAY_KEY}) {
      HttpRequest r = API.request(publicCall("gemini-2.5-flash", "streamGenerateContent", query), API_CREDENTIAL);
      assertEquals(API_BASE + "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
          r.getUri().toString(), String.valueOf(query));
      assertEquals(Optional.of("alt=sse"), r.getUri().rawQueryString(), String.valueOf(query));
    }
  }

  @Test
  void apiKeyTakesACodeAssistStreamOutOfItsEnvelope() throws Exception {
    HttpRequest r = API.request(codeAssistCall("streamGenerateContent", "alt=sse", CODE_ASSIST_BODY), API_CREDENTIAL);

    assertEquals(HttpMethods.POST, r.method());
    assertEquals(API_BASE + "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", r.getUri().toString());
    JsonNode sent = json(bodyOf(r));
    assertEquals(json(PUBLIC_BODY), sent);
    assertFalse(sent.has("session_id"));
    assertFalse(sent.has("model"));
    assertFalse(sent.has("project"));
  }

  @Test
  void apiKeyAnswersCodeAssistSideCallsItself() throws Exception {
    UpstreamCall load = codeAssistCall("loadCodeAssist", null, LOAD_CODE_ASSIST_BODY);
    UpstreamCall quota = codeAssistCall("retrieveUserQuota", null, "{\"project\":\"client-project\"}");
    UpstreamCall operation = call("v1internal/operations/onboard-123", null, codeAssistClientHeaders(), "");

    for (UpstreamCall side : List.of(load, quota, operation)) {
      Optional<HttpResponse> answer = API.localAnswer(side, API_CREDENTIAL);
      assertTrue(answer.isPresent(), side.endpoint());
      HttpResponse response = answer.get();
      assertEquals(200, response.status().intValue(), side.endpoint());
      assertEquals(ContentTypes.APPLICATION_JSON, response.entity().getContentType(), side.endpoint());
      JsonNode body = json(((HttpEntity.Strict) response.entity()).getData().utf8String());
      assertTrue(body.isObject(), side.endpoint());
    }
    JsonNode loaded = json(((HttpEntity.Strict) API.localAnswer(load, API_CREDENTIAL).get().entity())
        .getData().utf8String());
    assertTrue(loaded.path("currentTier").isObject());
    assertTrue(loaded.path("cloudaicompanionProject").isTextual());
    JsonNode buckets = json(((HttpEntity.Strict) API.localAnswer(quota, API_CREDENTIAL).get().entity())
        .getData().utf8String());
    assertTrue(buckets.path("buckets").isArray());
    JsonNode op = json(((HttpEntity.Strict) API.localAnswer(operation, API_CREDENTIAL).get().entity())
        .getData().utf8String());
    assertTrue(op.path("done").asBoolean());
  }

  @Test
  void apiKeyCallsUpstreamForModelCalls() {
    assertTrue(API.localAnswer(publicCall("gemini-2.5-pro", "generateContent", null), API_CREDENTIAL).isEmpty());
    assertTrue(API.localAnswer(codeAssistCall("streamGenerateContent", "alt=sse", CODE_ASSIST_BODY), API_CREDENTIAL)
        .isEmpty());
    assertTrue(API.localAnswer(publicCall("gemini-2.5-pro", "countTokens", null), API_CREDENTIAL).isEmpty());
  }

  @Test
  void apiKeyRefusesToBuildARequestForASideCall() {
    UpstreamCall load = codeAssistCall("loadCodeAssist", null, LOAD_CODE_ASSIST_BODY);
    assertThrows(IllegalArgumentException.class, () -> API.request(load, API_CREDENTIAL));
  }

  // ---- gemini-oauth ----

  @Test
  void oauthSendsACodeAssistStreamWithTheAccountsTokenAndProject() throws Exception {
    HttpRequest r = OAUTH.request(codeAssistCall("streamGenerateContent", "alt=sse", CODE_ASSIST_BODY),
        OAUTH_CREDENTIAL);

    assertEquals(HttpMethods.POST, r.method());
    assertEquals(CA_BASE + "/v1internal:streamGenerateContent?alt=sse", r.getUri().toString());
    assertEquals(List.of("Bearer ya29.account-token"), values(r, "authorization"));
    assertEquals(List.of(), values(r, "x-goog-api-key"));
    assertEquals(List.of("identity"), values(r, "accept-encoding"));
    assertEquals(List.of("gl-node/20.20.2"), values(r, "x-goog-api-client"));
    assertNoRelayKey(r);

    ObjectNode expected = (ObjectNode) json(CODE_ASSIST_BODY);
    expected.put("project", "acct-gcp-project");
    assertEquals(expected, json(bodyOf(r)));
  }

  @Test
  void oauthSetsTheProjectOnLoadCodeAssist() throws Exception {
    HttpRequest r = OAUTH.request(codeAssistCall("loadCodeAssist", null, LOAD_CODE_ASSIST_BODY), OAUTH_CREDENTIAL);

    assertEquals(HttpMethods.POST, r.method());
    assertEquals(CA_BASE + "/v1internal:loadCodeAssist", r.getUri().toString());
    JsonNode sent = json(bodyOf(r));
    assertEquals("acct-gcp-project", sent.path("cloudaicompanionProject").asText());
    assertEquals(json(LOAD_CODE_ASSIST_BODY).path("metadata"), sent.path("metadata"));
    assertTrue(OAUTH.localAnswer(codeAssistCall("loadCodeAssist", null, LOAD_CODE_ASSIST_BODY), OAUTH_CREDENTIAL)
        .isEmpty());
  }

  @Test
  void oauthReadsAnOperationWithAGetAndNoBody() {
    UpstreamCall operation = call("v1internal/operations/onboard-123", null, codeAssistClientHeaders(), "");
    HttpRequest r = OAUTH.request(operation, OAUTH_CREDENTIAL);

    assertEquals(HttpMethods.GET, r.method());
    assertEquals(CA_BASE + "/v1internal/operations/onboard-123", r.getUri().toString());
    assertEquals(0, ((HttpEntity.Strict) r.entity()).getData().length());
    assertEquals(List.of("Bearer ya29.account-token"), values(r, "authorization"));
  }

  @Test
  void oauthWrapsAPublicClientsGenerateContent() throws Exception {
    HttpRequest r = OAUTH.request(publicCall("gemini-2.5-pro", "generateContent", null), OAUTH_CREDENTIAL);

    assertEquals(HttpMethods.POST, r.method());
    assertEquals(CA_BASE + "/v1internal:generateContent", r.getUri().toString());
    assertEquals(List.of("Bearer ya29.account-token"), values(r, "authorization"));
    assertEquals(List.of(), values(r, "x-goog-api-key"));
    assertNoRelayKey(r);
    JsonNode sent = json(bodyOf(r));
    assertEquals("gemini-2.5-pro", sent.path("model").asText());
    assertEquals("acct-gcp-project", sent.path("project").asText());
    assertEquals(json(PUBLIC_BODY), sent.path("request"));
  }

  // ---- framing ----

  @Test
  void sameEnvelopeWithSseIsIdentity() {
    assertTrue(API.framing(publicCall("gemini-2.5-pro", "streamGenerateContent", "alt=sse")).identity());
    assertTrue(API.framing(publicCall("gemini-2.5-pro", "generateContent", null)).identity());
    assertTrue(OAUTH.framing(codeAssistCall("streamGenerateContent", "alt=sse", CODE_ASSIST_BODY)).identity());
    assertTrue(OAUTH.framing(codeAssistCall("generateContent", null, CODE_ASSIST_BODY)).identity());
  }

  @Test
  void oauthTakesTheEnvelopeOffForAPublicClient() throws Exception {
    AnswerFraming framing = OAUTH.framing(publicCall("gemini-2.5-pro", "streamGenerateContent", "alt=sse"));
    assertFalse(framing.identity());
    assertNull(framing.streamContentType());

    String out = reframe(framing, "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\","
        + "\"parts\":[{\"text\":\"hi\"}]}}],\"modelVersion\":\"gemini-2.5-pro\"},\"traceId\":\"trace-1\"}\r\n\r\n");
    assertTrue(out.startsWith("data: ") && out.endsWith("\r\n\r\n"), out);
    JsonNode event = json(out.substring("data: ".length()).strip());
    assertFalse(event.has("response"));
    assertEquals("hi", event.path("candidates").path(0).path("content").path("parts").path(0).path("text").asText());
    assertEquals("trace-1", event.path("responseId").asText());
  }

  @Test
  void apiKeyPutsTheEnvelopeOnForACodeAssistClient() throws Exception {
    AnswerFraming framing = API.framing(codeAssistCall("streamGenerateContent", "alt=sse", CODE_ASSIST_BODY));
    assertFalse(framing.identity());
    assertNull(framing.streamContentType());

    String out = reframe(framing, "data: {\"candidates\":[{\"content\":{\"role\":\"model\","
        + "\"parts\":[{\"text\":\"hi\"}]}}],\"responseId\":\"resp-1\"}\r\n\r\n");
    assertTrue(out.startsWith("data: ") && out.endsWith("\r\n\r\n"), out);
    JsonNode event = json(out.substring("data: ".length()).strip());
    assertEquals("hi",
        event.path("response").path("candidates").path(0).path("content").path("parts").path(0).path("text").asText());
    assertEquals("resp-1", event.path("traceId").asText());
  }

  @Test
  void aStreamWithoutAltSseBecomesAJsonArray() throws Exception {
    for (GeminiPlatform platform : List.of(API, OAUTH)) {
      AnswerFraming framing = platform.framing(publicCall("gemini-2.5-flash", "streamGenerateContent", null));
      assertFalse(framing.identity(), platform.accountType());
      assertEquals("application/json", framing.streamContentType(), platform.accountType());

      String upstreamEvent = platform == OAUTH
          ? "{\"response\":{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"}]}}]},\"traceId\":\"t-1\"}"
          : "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"}]}}],\"responseId\":\"t-1\"}";
      JsonNode array = json(reframe(framing, "data: " + upstreamEvent + "\r\n\r\n"));
      assertTrue(array.isArray(), platform.accountType());
      assertEquals(1, array.size(), platform.accountType());
      assertEquals("hi", array.path(0).path("candidates").path(0).path("content").path("parts").path(0)
          .path("text").asText(), platform.accountType());
      assertEquals("t-1", array.path(0).path("responseId").asText(), platform.accountType());
    }
  }

  @Test
  void countTokensAnswersAreNotReframed() {
    assertTrue(API.framing(publicCall("gemini-2.5-pro", "countTokens", null)).identity());
    assertTrue(OAUTH.framing(publicCall("gemini-2.5-pro", "countTokens", null)).identity());
    String caCount = "{\"request\":{\"model\":\"models/gemini-2.5-pro\",\"contents\":[{\"role\":\"user\","
        + "\"parts\":[{\"text\":\"say hi\"}]}]}}";
    assertTrue(API.framing(codeAssistCall("countTokens", null, caCount)).identity());
    assertTrue(OAUTH.framing(codeAssistCall("countTokens", null, caCount)).identity());
  }

  // ---- classify, families, probe ----

  @Test
  void resourceExhaustedWithRetryInfoIsARateLimitOfTheRequestsFamily() {
    String body = "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota. Please retry in 37s.\","
        + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":["
        + "{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":"
        + "\"generativelanguage.googleapis.com/generate_content_free_tier_requests\",\"quotaId\":"
        + "\"GenerateRequestsPerMinutePerProjectPerModel-FreeTier\"}]},"
        + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"37s\"}]}}";
    long now = 1_760_000_000_000L;
    for (GeminiPlatform platform : List.of(API, OAUTH)) {
      AnswerVerdict v = platform.classify(429, Map.of(), body.getBytes(StandardCharsets.UTF_8), now);
      assertEquals(AnswerClass.RATE_LIMITED, v.answerClass(), platform.accountType());
      assertTrue(v.requestFamily(), platform.accountType());
      assertEquals(now + 37_000, v.resetAtMillis(), platform.accountType());
      assertTrue(v.failover(), platform.accountType());
    }
  }

  @Test
  void modelFamilies() {
    for (GeminiPlatform platform : List.of(API, OAUTH)) {
      assertEquals("pro", platform.modelFamily("gemini-2.5-pro"));
      assertEquals("flash", platform.modelFamily("gemini-2.5-flash"));
      assertEquals("flash-lite", platform.modelFamily("gemini-2.5-flash-lite"));
      assertEquals("other", platform.modelFamily(null));
    }
  }

  @Test
  void probeWorksOnBothPlatforms() throws Exception {
    UpstreamCall probe = API.probe(API.probeModel());
    HttpRequest api = API.request(probe, API_CREDENTIAL);
    assertEquals(HttpMethods.POST, api.method());
    assertEquals(API_BASE + "/v1beta/models/gemini-2.5-flash:generateContent", api.getUri().toString());
    assertEquals(List.of("AIzaSy-account-key"), values(api, "x-goog-api-key"));
    JsonNode apiBody = json(bodyOf(api));
    assertEquals(1, apiBody.path("generationConfig").path("maxOutputTokens").asInt());
    assertTrue(apiBody.path("contents").isArray());

    HttpRequest oauth = OAUTH.request(OAUTH.probe(OAUTH.probeModel()), OAUTH_CREDENTIAL);
    assertEquals(HttpMethods.POST, oauth.method());
    assertEquals(CA_BASE + "/v1internal:generateContent", oauth.getUri().toString());
    assertEquals(List.of("Bearer ya29.account-token"), values(oauth, "authorization"));
    JsonNode oauthBody = json(bodyOf(oauth));
    assertEquals("gemini-2.5-flash", oauthBody.path("model").asText());
    assertEquals("acct-gcp-project", oauthBody.path("project").asText());
    assertEquals(apiBody, oauthBody.path("request"));
    assertTrue(API.localAnswer(probe, API_CREDENTIAL).isEmpty());
  }
}
