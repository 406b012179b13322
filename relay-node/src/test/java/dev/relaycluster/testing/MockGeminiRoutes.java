package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Routes each request {@link MockGemini} receives: authentication (API key or issued access token), the
 * scenario models, and the model answers, whole or streamed (SSE or the JSON array stream), with or without
 * the Code Assist envelope.
 */
final class MockGeminiRoutes {
  private static final String CLOUD_CODE_METHOD = "google.internal.cloud.code.v1internal.CloudCode.";
  private final MockGemini mock;

  MockGeminiRoutes(MockGemini mock) {
    this.mock = mock;
  }

  /** Answers one request; false when the connection must end. */
  boolean answer(MockGemini.Received req, OutputStream out) throws IOException, InterruptedException {
    String path = req.path();
    String method = req.method();
    if (path.equals("/token") && method.equals("POST")) {
      MockGeminiAuth.Answer a = mock.auth.token(req.header("authorization"), req.body());
      return send(out, a.status(), a.body());
    }
    if (path.equals("/oauth2/v2/userinfo") || path.equals("/oauth2/v3/userinfo")) {
      String info = mock.auth.userinfo(bearer(req));
      return info != null ? send(out, 200, info)
          : send(out, 401, MockGeminiErrors.unauthenticated(mock.auth.issued(bearer(req)), "oauth2.googleapis.com",
              "google.identity.oauth2.v2.UserInfo"));
    }
    if (path.equals("/oauth2/v3/tokeninfo") || path.equals("/tokeninfo")) {
      String token = req.queryParam("access_token");
      if (token == null) {
        token = MockGeminiWire.query(req.body()).get("access_token");
      }
      String info = mock.auth.tokeninfo(token);
      return info != null ? send(out, 200, info)
          : send(out, 400, "{\n  \"error\": \"invalid_token\",\n  \"error_description\": \"Invalid Value\"\n}");
    }
    if (path.startsWith("/v1internal")) {
      return codeAssist(req, out);
    }
    if (path.startsWith("/v1beta/") || path.startsWith("/v1/")) {
      return publicApi(req, out);
    }
    return send(out, 404, MockGeminiErrors.notFound("The requested URL " + path + " was not found on this server."));
  }

  // ---- public API ----

  private boolean publicApi(MockGemini.Received req, OutputStream out) throws IOException, InterruptedException {
    String rest = req.path().substring(req.path().indexOf('/', 1) + 1); // after /v1beta/ or /v1/
    if (!rest.startsWith("models")) {
      return send(out, 404, MockGeminiErrors.notFound("Method not found."));
    }
    int colon = rest.indexOf(':');
    String verb = colon < 0 ? null : rest.substring(colon + 1);
    String model = rest.startsWith("models/") ? rest.substring(7, colon < 0 ? rest.length() : colon) : null;
    String key = req.header("x-goog-api-key");
    if (key == null) {
      key = req.queryParam("key");
    }
    boolean modelCall = verb != null && req.method().equals("POST");
    if (modelCall) {
      MockGemini.count(mock.byCredential, key);
    }
    if (key == null || key.isEmpty()) {
      return send(out, 403, MockGeminiErrors.apiKeyMissing());
    }
    if (!mock.apiKeys.contains(key)) {
      return send(out, 400, MockGeminiErrors.apiKeyInvalid());
    }
    if (verb == null && req.method().equals("GET")) {
      if (model == null) {
        Map<String, String> q = MockGeminiWire.query(req.query());
        return send(out, 200, MockGeminiAnswers.models(Integer.parseInt(q.getOrDefault("pageSize", "0")),
            q.get("pageToken")));
      }
      String page = MockGeminiAnswers.models(100, null);
      for (JsonNode m : MockGeminiAnswers.JSON.readTree(page).path("models")) {
        if (m.path("name").asText().equals("models/" + model)) {
          return send(out, 200, MockGeminiAnswers.pretty(m));
        }
      }
      return send(out, 404, MockGeminiErrors.notFound("models/" + model + " is not found for API version v1beta, "
          + "or is not supported for generateContent. Call ListModels to see the list of available models and "
          + "their supported methods."));
    }
    if (!modelCall || model == null) {
      return send(out, 404, MockGeminiErrors.notFound("Method not found."));
    }
    JsonNode body = parse(req);
    if (body == null) {
      return send(out, 400, invalidJson());
    }
    return model(out, verb, mock.scenarioFor(key, model), body, req.queryParam("alt"), null);
  }

  // ---- Code Assist ----

  private boolean codeAssist(MockGemini.Received req, OutputStream out) throws IOException, InterruptedException {
    String path = req.path();
    boolean operation = path.startsWith("/v1internal/operations/");
    String verb = path.startsWith("/v1internal:") ? path.substring("/v1internal:".length()) : null;
    if (verb == null && !operation) {
      return send(out, 404, MockGeminiErrors.notFound("Method not found."));
    }
    String token = bearer(req);
    boolean modelCall = verb != null && isModelVerb(verb);
    MockGeminiAuth.Account account = mock.auth.accountOf(token);
    if (modelCall) {
      MockGemini.count(mock.byCredential, token);
      MockGemini.count(mock.byAccount, account == null ? null : account.email());
    }
    if (account == null) {
      String rpc = operation ? "GetOperation" : Character.toUpperCase(verb.charAt(0)) + verb.substring(1);
      return send(out, 401, MockGeminiErrors.unauthenticated(mock.auth.issued(token), MockGeminiErrors.CLOUD_CODE,
          CLOUD_CODE_METHOD + rpc), "www-authenticate: Bearer realm=\"https://accounts.google.com/\", "
              + "error=\"invalid_token\"\r\n");
    }
    if (operation) {
      MockGeminiCodeAssist.Answer a = mock.codeAssist.operation(path.substring("/v1internal/".length()), account);
      return send(out, a.status(), a.body());
    }
    JsonNode body = req.body().isBlank() ? MockGeminiAnswers.JSON.createObjectNode() : parse(req);
    if (body == null) {
      return send(out, 400, invalidJson());
    }
    if (!modelCall) {
      MockGeminiCodeAssist.Answer a = mock.codeAssist.call(verb, account, body);
      return a != null ? send(out, a.status(), a.body()) : send(out, 404, MockGeminiErrors.notFound("Method not found."));
    }
    JsonNode request = body.path("request");
    if (verb.equals("countTokens")) {
      String model = request.path("model").asText("").replaceFirst("^models/", "");
      return model(out, verb, model, request, null, "");
    }
    String project = body.path("project").asText("");
    mock.projects.add(project);
    if (project.isEmpty()) {
      return send(out, 400, MockGeminiErrors.invalidArgument("Request contains an invalid argument."));
    }
    if (!project.equals(account.project())) {
      return send(out, 403, MockGeminiErrors.projectDenied(project));
    }
    String traceId = Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 16);
    return model(out, verb, mock.scenarioFor(token, body.path("model").asText("")), request, req.queryParam("alt"),
        traceId);
  }

  private static boolean isModelVerb(String verb) {
    return verb.equals("generateContent") || verb.equals("streamGenerateContent") || verb.equals("countTokens");
  }

  // ---- model answers ----

  /**
   * A model call's answer.
   *
   * @param traceId null on the public API; on Code Assist the envelope's traceId ("" for countTokens)
   */
  private boolean model(OutputStream out, String verb, String model, JsonNode request, String alt, String traceId)
      throws IOException, InterruptedException {
    boolean codeAssist = traceId != null;
    MockGeminiErrors.Failure failure = MockGeminiErrors.scenario(model, codeAssist);
    if (failure != null) {
      return send(out, failure.status(), failure.body());
    }
    if (verb.equals("countTokens")) {
      int n = MockGeminiAnswers.countTokens(request);
      ObjectNode r = MockGeminiAnswers.JSON.createObjectNode().put("totalTokens", n);
      if (!codeAssist) {
        r.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", n);
      }
      return send(out, 200, MockGeminiAnswers.pretty(r));
    }
    if (!verb.equals("generateContent") && !verb.equals("streamGenerateContent")) {
      return send(out, 404, MockGeminiErrors.notFound("Method not found."));
    }
    String responseId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    List<ObjectNode> chunks = MockGeminiAnswers.chunks(model, request, responseId);
    if (verb.equals("generateContent")) {
      if (model.equals("mock-break")) {
        String whole = MockGeminiAnswers.pretty(envelope(MockGeminiAnswers.whole(chunks), traceId));
        MockGeminiWire.streamHead(out, MockGeminiWire.JSON);
        MockGeminiWire.chunk(out, whole.substring(0, whole.length() / 2));
        return false;
      }
      return send(out, 200, MockGeminiAnswers.pretty(envelope(MockGeminiAnswers.whole(chunks), traceId)));
    }
    boolean sse = "sse".equals(alt);
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      ObjectNode c = envelope(chunks.get(i), traceId);
      if (sse) {
        pieces.add("data: " + c + "\r\n\r\n");
      } else {
        pieces.add((i == 0 ? "[" : "\n,\r\n") + MockGeminiAnswers.pretty(c) + (i == chunks.size() - 1 ? "\n]" : ""));
      }
    }
    MockGeminiWire.streamHead(out, sse ? MockGeminiWire.SSE : MockGeminiWire.JSON);
    if (model.equals("mock-break")) {
      String cut = pieces.get(Math.min(2, pieces.size() - 1));
      MockGeminiWire.chunk(out, String.join("", pieces.subList(0, Math.min(2, pieces.size() - 1)))
          + cut.substring(0, cut.length() / 2));
      return false; // the socket closes without the chunked terminator
    }
    if (model.equals("mock-clean-cut")) {
      // The stream stops before the chunk with finishReason, with a proper end of the chunked body.
      MockGeminiWire.chunk(out, String.join("", pieces.subList(0, Math.max(1, pieces.size() - 1))));
      MockGeminiWire.endChunks(out);
      return true;
    }
    if (model.equals("mock-slow")) {
      for (String p : pieces) {
        MockGeminiWire.chunk(out, p);
        Thread.sleep(MockGemini.SLOW_GAP_MILLIS);
      }
    } else {
      MockGeminiWire.chunkedInPieces(out, String.join("", pieces));
    }
    MockGeminiWire.endChunks(out);
    return true;
  }

  /** The Code Assist envelope {@code {response, traceId}}, or the response itself on the public API. */
  private static ObjectNode envelope(ObjectNode response, String traceId) {
    if (traceId == null) {
      return response;
    }
    ObjectNode e = MockGeminiAnswers.JSON.createObjectNode();
    e.set("response", response);
    e.put("traceId", traceId);
    return e;
  }

  // ---- helpers ----

  private static JsonNode parse(MockGemini.Received req) {
    JsonNode n = req.json();
    return n.isObject() ? n : null;
  }

  private static String invalidJson() {
    return MockGeminiErrors.invalidArgument("Invalid JSON payload received. Unexpected token.");
  }

  private static String bearer(MockGemini.Received req) {
    String auth = req.header("authorization");
    return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
  }

  private static boolean send(OutputStream out, int status, String body) throws IOException {
    return send(out, status, body, "");
  }

  private static boolean send(OutputStream out, int status, String body, String headers) throws IOException {
    MockGeminiWire.send(out, status, MockGeminiWire.JSON, body, headers);
    return true;
  }
}
