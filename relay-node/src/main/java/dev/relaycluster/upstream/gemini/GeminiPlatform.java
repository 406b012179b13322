package dev.relaycluster.upstream.gemini;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.gemini.GeminiAnswers;
import dev.relaycluster.protocol.gemini.GeminiEndpoint;
import dev.relaycluster.protocol.gemini.GeminiFraming;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.Platform;
import dev.relaycluster.upstream.UpstreamCall;
import dev.relaycluster.upstream.UpstreamHeaders;
import dev.relaycluster.upstream.UpstreamUris;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/**
 * What the two Gemini upstreams share: the client's headers go up without its relay key, answers are asked
 * for uncompressed and streams always as SSE (a client that wanted the JSON-array stream gets it re-framed),
 * health is read from Google's error bodies ({@link GeminiAnswers}), and a client in the other envelope than
 * the upstream's has its request and answers moved across ({@code CodeAssistEnvelope}, {@link GeminiFraming}).
 */
abstract class GeminiPlatform implements Platform {

  @Override
  public final String pool() {
    return "gemini";
  }

  @Override
  public final DialectId dialect() {
    return DialectId.GEMINI;
  }

  @Override
  public final boolean serves(String endpoint) {
    return GeminiEndpoint.parse(endpoint).isPresent();
  }

  /** Whether this upstream speaks the Code Assist envelope. */
  abstract boolean codeAssist();

  /** The upstream path and body for a client call (already parsed), in this upstream's envelope. */
  abstract Target target(GeminiEndpoint endpoint, UpstreamCall call, Credential credential);

  /** Headers the credential needs (the API key, the bearer token). */
  abstract void addCredential(List<HttpHeader> headers, Credential credential);

  /** Where a call goes: a path under the account's base URL, the method, and the body to send. */
  record Target(String path, boolean get, ByteString body) {}

  @Override
  public final HttpRequest request(UpstreamCall call, Credential credential) {
    GeminiEndpoint endpoint = endpoint(call);
    Target target = target(endpoint, call, credential);
    List<HttpHeader> headers = UpstreamHeaders.forwarded(call.headers(), name -> true);
    headers.add(RawHeader.create("accept-encoding", "identity"));
    addCredential(headers, credential);
    HttpRequest request = HttpRequest.create()
        .withUri(UpstreamUris.of(credential.baseUrl(), target.path(), endpoint.streams() ? "alt=sse" : null))
        .withHeaders(headers);
    return target.get()
        ? request.withMethod(HttpMethods.GET)
        : request.withMethod(HttpMethods.POST).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
            target.body()));
  }

  /**
   * Answers of model calls are moved into the client's envelope; a client that streams without
   * {@code alt=sse} gets the JSON-array stream.
   */
  @Override
  public final AnswerFraming framing(UpstreamCall call) {
    GeminiEndpoint endpoint = endpoint(call);
    boolean moved = endpoint.generates() && endpoint.codeAssist() != codeAssist();
    boolean jsonArray = endpoint.streams() && !asksForSse(call.rawQuery());
    return GeminiFraming.of(moved && codeAssist(), moved && !codeAssist(), jsonArray);
  }

  static boolean asksForSse(String rawQuery) {
    if (rawQuery == null) {
      return false;
    }
    for (String part : rawQuery.split("&")) {
      if (part.equals("alt=sse")) {
        return true;
      }
    }
    return false;
  }

  static GeminiEndpoint endpoint(UpstreamCall call) {
    return GeminiEndpoint.parse(call.endpoint())
        .orElseThrow(() -> new IllegalArgumentException("not a Gemini endpoint: " + call.endpoint()));
  }

  @Override
  public final boolean healthHeader(String lowerCaseName) {
    return GeminiAnswers.isHealthHeader(lowerCaseName);
  }

  @Override
  public final AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis) {
    return GeminiAnswers.classify(status, headers, body, null, nowMillis);
  }

  @Override
  public final AnswerVerdict classifyStreamError(String errorType, byte[] errorJson, long nowMillis) {
    return errorJson == null ? null : GeminiAnswers.classifyStreamError(errorJson, null, nowMillis);
  }

  @Override
  public final String modelFamily(String model) {
    return model == null ? "other" : GeminiAnswers.modelFamily(model);
  }

  @Override
  public final String probeModel() {
    return "gemini-2.5-flash";
  }

  /** One short public-API generateContent call; moved into the Code Assist envelope for a Google login. */
  @Override
  public final UpstreamCall probe(String model) {
    String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"ping\"}]}],"
        + "\"generationConfig\":{\"maxOutputTokens\":1}}";
    String endpoint = GeminiEndpoint.ofModel(model, GeminiEndpoint.GENERATE);
    return new UpstreamCall(endpoint, null, List.of(), ContentTypes.APPLICATION_JSON, ByteString.fromString(body),
        new RequestView(TextNode.valueOf(model).textValue(), false, 1, true, null));
  }
}
