package dev.relaycluster.upstream.claude;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.anthropic.ClaudeAnswers;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.ratelimit.ModelFamily;
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
 * The Anthropic Messages API for Claude accounts: an Anthropic API key ({@code claude-console}, sent as
 * x-api-key) or a Claude subscription's OAuth token ({@code claude-oauth}, a bearer token with the OAuth
 * beta flag). The client's headers (anthropic-version, anthropic-beta, x-app, user-agent, x-stainless-*,
 * session headers) and body go upstream unchanged; upstream is asked for an uncompressed answer so the
 * usage tap can read it. Health from {@code anthropic-ratelimit-unified-*} and retry-after ({@link ClaudeAnswers}).
 */
public final class ClaudePlatform implements Platform {
  static final String DEFAULT_VERSION = "2023-06-01";
  static final String OAUTH_BETA = "oauth-2025-04-20";
  private static final String HEALTH_PREFIX = "anthropic-ratelimit-unified-";

  private final String accountType;
  private final boolean oauth;

  public ClaudePlatform(String accountType, boolean oauth) {
    this.accountType = accountType;
    this.oauth = oauth;
  }

  @Override
  public String accountType() {
    return accountType;
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
    return oauth;
  }

  @Override
  public boolean serves(String endpoint) {
    return AnthropicDialect.MESSAGES.equals(endpoint) || AnthropicDialect.COUNT_TOKENS.equals(endpoint);
  }

  @Override
  public HttpRequest request(UpstreamCall call, Credential credential) {
    boolean[] hasVersion = {false};
    StringBuilder beta = new StringBuilder();
    List<HttpHeader> headers = UpstreamHeaders.forwarded(call.headers(), name -> {
      if (name.equals("anthropic-version")) {
        hasVersion[0] = true;
      }
      return !(oauth && name.equals("anthropic-beta"));
    });
    if (oauth) {
      for (HttpHeader h : call.headers()) {
        if (h.lowercaseName().equals("anthropic-beta") && UpstreamHeaders.sendable(h)) {
          beta.append(beta.isEmpty() ? "" : ",").append(h.value());
        }
      }
    }
    if (!hasVersion[0]) {
      headers.add(RawHeader.create("anthropic-version", DEFAULT_VERSION));
    }
    headers.add(RawHeader.create("accept-encoding", "identity"));
    if (oauth) {
      // A subscription token is only accepted together with the OAuth beta flag; the client's own flags are kept.
      headers.add(RawHeader.create("authorization", "Bearer " + credential.accessToken()));
      headers.add(RawHeader.create("anthropic-beta", withOauthBeta(beta.toString())));
    } else {
      headers.add(RawHeader.create("x-api-key", credential.apiKey()));
    }
    String path = AnthropicDialect.COUNT_TOKENS.equals(call.endpoint()) ? "/v1/messages/count_tokens" : "/v1/messages";
    return HttpRequest.create()
        .withUri(UpstreamUris.of(credential.baseUrl(), path, call.rawQuery()))
        .withMethod(HttpMethods.POST)
        .withHeaders(headers)
        .withEntity(HttpEntities.create(call.contentType(), call.body()));
  }

  static String withOauthBeta(String clientBeta) {
    if (clientBeta == null || clientBeta.isBlank()) {
      return OAUTH_BETA;
    }
    for (String flag : clientBeta.split(",")) {
      if (flag.trim().equals(OAUTH_BETA)) {
        return clientBeta;
      }
    }
    return OAUTH_BETA + "," + clientBeta;
  }

  @Override
  public boolean healthHeader(String name) {
    return name.startsWith(HEALTH_PREFIX) || name.equals("retry-after");
  }

  @Override
  public AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis) {
    return ClaudeAnswers.classify(status, headers, body);
  }

  /**
   * An error event inside a started stream says the same about the account as the status would have:
   * overloaded, rate limited or a server error.
   */
  @Override
  public AnswerVerdict classifyStreamError(String errorType, byte[] errorJson, long nowMillis) {
    int status = errorType == null ? 0 : switch (errorType) {
      case "overloaded_error" -> 529;
      case "rate_limit_error" -> 429;
      case "api_error" -> 500;
      default -> 0;
    };
    return status == 0 ? null : ClaudeAnswers.classify(status, Map.of(), null);
  }

  @Override
  public String probeModel() {
    return "claude-haiku-4-5";
  }

  @Override
  public UpstreamCall probe(String model) {
    String body = "{\"model\":" + TextNode.valueOf(model) + ",\"max_tokens\":1,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}";
    return new UpstreamCall(AnthropicDialect.MESSAGES, "", List.of(RawHeader.create("anthropic-version", DEFAULT_VERSION)),
        ContentTypes.APPLICATION_JSON, ByteString.fromString(body), new RequestView(model, false, 1, true, null));
  }

  @Override
  public String modelFamily(String model) {
    return ModelFamily.of(model).wireName();
  }
}
