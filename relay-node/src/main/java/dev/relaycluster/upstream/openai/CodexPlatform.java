package dev.relaycluster.upstream.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.openai.CodexAnswers;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.upstream.UpstreamCall;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.upstream.Credential;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/**
 * ChatGPT subscription accounts ({@code codex-oauth}), as Codex CLI calls them when logged in with
 * ChatGPT: {@code {baseUrl}/responses} (and {@code /responses/compact}) under
 * {@code https://chatgpt.com/backend-api/codex}, with the OAuth access token and the
 * {@code chatgpt-account-id} header the token requires. Health from the {@code x-codex-*} quota windows
 * and {@code usage_limit_reached} errors ({@link CodexAnswers}).
 */
public final class CodexPlatform extends ResponsesPlatform {
  public static final String TYPE = "codex-oauth";
  public static final String DEFAULT_BASE_URL = "https://chatgpt.com/backend-api/codex";

  @Override
  public String accountType() {
    return TYPE;
  }

  @Override
  public boolean oauth() {
    return true;
  }

  @Override
  protected String path(String endpoint) {
    return COMPACT.equals(endpoint) ? "/responses/compact" : "/responses";
  }

  @Override
  protected String token(Credential credential) {
    return credential.accessToken();
  }

  /**
   * The ChatGPT backend answers only streams: a client that asked for a whole answer gets it added up from
   * the stream ({@code Answering}), and the request goes up with {@code "stream": true}.
   */
  @Override
  public boolean streamsOnly() {
    return true;
  }

  @Override
  protected ByteString body(UpstreamCall call, Credential credential) {
    if (call.view().stream()) {
      return call.body();
    }
    JsonNode json = Json.tryParse(call.body().toArrayUnsafe()).orElse(null);
    if (!(json instanceof ObjectNode object)) {
      return call.body();
    }
    object.put("stream", true);
    return ByteString.fromArrayUnsafe(Json.write(object));
  }

  @Override
  protected void addCredentialHeaders(List<HttpHeader> headers, Credential credential) {
    if (credential.upstreamAccountId() != null && !credential.upstreamAccountId().isBlank()) {
      headers.add(RawHeader.create("chatgpt-account-id", credential.upstreamAccountId()));
    }
  }

  @Override
  public boolean healthHeader(String name) {
    return CodexAnswers.isHealthHeader(name);
  }

  @Override
  public AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis) {
    return CodexAnswers.classify(status, headers, body, nowMillis);
  }

  @Override
  public AnswerVerdict classifyStreamError(String errorType, byte[] errorJson, long nowMillis) {
    return CodexAnswers.classifyStreamError(errorJson, nowMillis);
  }
}
