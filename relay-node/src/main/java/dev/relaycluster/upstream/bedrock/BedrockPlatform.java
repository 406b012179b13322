package dev.relaycluster.upstream.bedrock;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.bedrock.BedrockAnswers;
import dev.relaycluster.protocol.bedrock.BedrockFraming;
import dev.relaycluster.protocol.bedrock.BedrockModelIds;
import dev.relaycluster.protocol.bedrock.BedrockRequest;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.ratelimit.ModelFamily;
import dev.relaycluster.upstream.Credential;
import dev.relaycluster.upstream.CredentialSettings;
import dev.relaycluster.upstream.Platform;
import dev.relaycluster.upstream.UpstreamCall;
import dev.relaycluster.upstream.UpstreamUris;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/**
 * Claude on AWS Bedrock ({@code bedrock}): {@code POST /model/{id}/invoke} for a whole answer and
 * {@code /invoke-with-response-stream} for a stream, the model id from the account's map or
 * {@link BedrockModelIds}, the body rewritten by {@link BedrockRequest}. Signed with SigV4 from the account's
 * key pair ({@link BedrockSigner}), or a Bedrock API key sent as a bearer token. None of the client's own
 * headers go to AWS (its beta flags travel in the body). Streams come back as AWS's binary event stream and
 * are decoded into Anthropic SSE before anything reads them ({@link #decoding}); errors are re-said as
 * Anthropic errors and judged by {@link BedrockAnswers}. Token counts are not served: the relay estimates them.
 */
public final class BedrockPlatform implements Platform {
  public static final String TYPE = "bedrock";
  static final String DEFAULT_REGION = "us-east-1";
  static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  private static final String ERROR_TYPE = "x-amzn-errortype";

  private final Clock clock;

  public BedrockPlatform() {
    this(Clock.systemUTC());
  }

  BedrockPlatform(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String accountType() {
    return TYPE;
  }

  @Override
  public String pool() {
    return "claude";
  }

  @Override
  public DialectId dialect() {
    return DialectId.ANTHROPIC;
  }

  @Override
  public boolean oauth() {
    return false;
  }

  @Override
  public boolean serves(String endpoint) {
    return AnthropicDialect.MESSAGES.equals(endpoint);
  }

  @Override
  public HttpRequest request(UpstreamCall call, Credential credential) {
    String region = credential.setting(CredentialSettings.REGION, DEFAULT_REGION);
    String modelId = BedrockModelIds.resolve(call.view().model(), region, modelMap(credential));
    boolean stream = call.view().stream();
    List<String> betas = new ArrayList<>();
    for (HttpHeader h : call.headers()) {
      if (h.lowercaseName().equals("anthropic-beta")) {
        betas.add(h.value());
      }
    }
    byte[] body = BedrockRequest.invokeBody(call.body().toArrayUnsafe(), betas);
    String path = "/model/" + URLEncoder.encode(modelId, StandardCharsets.UTF_8).replace("+", "%20")
        + (stream ? "/invoke-with-response-stream" : "/invoke");
    Uri uri = UpstreamUris.of(credential.baseUrl(), path, "");
    // Sent as the HTTP client renders it: the signature is over exactly these headers and bytes.
    Map<String, String> sent = new LinkedHashMap<>();
    sent.put("content-type", "application/json");
    sent.put("accept", stream ? EVENT_STREAM : "application/json");
    if (stream) {
      sent.put("x-amzn-bedrock-accept", "application/json");
    }
    List<HttpHeader> headers = new ArrayList<>();
    sent.forEach((name, value) -> {
      if (!name.equals("content-type")) {
        headers.add(RawHeader.create(name, value));
      }
    });
    if (credential.apiKey() != null && !credential.apiKey().isBlank()) {
      headers.add(RawHeader.create("authorization", "Bearer " + credential.apiKey()));
    } else {
      URI wire = URI.create(uri.scheme() + "://" + uri.host().address()
          + (uri.port() > 0 ? ":" + uri.port() : "") + uri.path());
      for (Map.Entry<String, String> h : BedrockSigner.sign(wire, sent, body,
          credential.setting(CredentialSettings.ACCESS_KEY_ID, null),
          credential.setting(CredentialSettings.SECRET_ACCESS_KEY, null),
          credential.setting(CredentialSettings.SESSION_TOKEN, null), region, clock)) {
        headers.add(RawHeader.create(h.getKey(), h.getValue()));
      }
    }
    return HttpRequest.create()
        .withUri(uri)
        .withMethod(HttpMethods.POST)
        .withHeaders(headers)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, ByteString.fromArrayUnsafe(body)));
  }

  /** The account's own model map: {@code model:<anthropic name>} settings. */
  static Map<String, String> modelMap(Credential credential) {
    Map<String, String> map = new HashMap<>();
    credential.settings().forEach((k, v) -> {
      if (k.startsWith(CredentialSettings.MODEL_PREFIX)) {
        map.put(k.substring(CredentialSettings.MODEL_PREFIX.length()), v);
      }
    });
    return map;
  }

  /** Streams are AWS event streams, decoded into Anthropic SSE; whole answers name the model as the client did. */
  @Override
  public AnswerFraming decoding(UpstreamCall call) {
    return new BedrockFraming(call.view().model());
  }

  @Override
  public byte[] dialectErrorBody(int status, HttpResponse response, byte[] body) {
    String type = response.getHeader("x-amzn-ErrorType").map(HttpHeader::value).orElse(null);
    return BedrockAnswers.anthropicErrorBody(status, type, body);
  }

  @Override
  public boolean healthHeader(String name) {
    return name.equals(ERROR_TYPE);
  }

  @Override
  public AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis) {
    return BedrockAnswers.classify(status, headers.get(ERROR_TYPE), body);
  }

  /** An error event made from an exception frame says what the same exception as an HTTP answer would. */
  @Override
  public AnswerVerdict classifyStreamError(String errorType, byte[] errorJson, long nowMillis) {
    if (errorType == null) {
      return null;
    }
    return switch (errorType) {
      case "rate_limit_error" -> BedrockAnswers.classify(429, "ThrottlingException", errorJson);
      case "overloaded_error" -> BedrockAnswers.classify(503, "ServiceUnavailableException", errorJson);
      case "api_error" -> BedrockAnswers.classify(500, "InternalServerException", errorJson);
      default -> null;
    };
  }

  @Override
  public String probeModel() {
    return "claude-haiku-4-5";
  }

  @Override
  public UpstreamCall probe(String model) {
    String body = "{\"model\":" + TextNode.valueOf(model) + ",\"max_tokens\":1,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}";
    return new UpstreamCall(AnthropicDialect.MESSAGES, "", List.of(), ContentTypes.APPLICATION_JSON,
        ByteString.fromString(body), new RequestView(model, false, 1, true, null));
  }

  @Override
  public String modelFamily(String model) {
    return ModelFamily.of(model).wireName();
  }
}
