package dev.relaycluster.upstream.openai;

import dev.relaycluster.protocol.openai.OpenAiAnswers;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.upstream.Credential;
import java.util.Map;

/**
 * OpenAI API-key accounts ({@code openai-api}): {@code {baseUrl}/v1/responses} (and {@code /compact})
 * with {@code Authorization: Bearer sk-…}. Health from {@code x-ratelimit-*} and error bodies
 * ({@link OpenAiAnswers}).
 */
public final class OpenAiPlatform extends ResponsesPlatform {
  public static final String TYPE = "openai-api";

  @Override
  public String accountType() {
    return TYPE;
  }

  @Override
  public boolean oauth() {
    return false;
  }

  @Override
  String path(String endpoint) {
    return COMPACT.equals(endpoint) ? "/v1/responses/compact" : "/v1/responses";
  }

  @Override
  String token(Credential credential) {
    return credential.apiKey();
  }

  @Override
  public boolean healthHeader(String name) {
    return OpenAiAnswers.isHealthHeader(name);
  }

  @Override
  public AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis) {
    return OpenAiAnswers.classify(status, headers, body, nowMillis);
  }

  @Override
  public AnswerVerdict classifyStreamError(String errorType, byte[] errorJson, long nowMillis) {
    return OpenAiAnswers.classifyStreamError(errorJson, nowMillis);
  }
}
