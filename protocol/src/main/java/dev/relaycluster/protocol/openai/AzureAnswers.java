package dev.relaycluster.protocol.openai;

import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.util.Map;

/**
 * Reads an answer of an Azure OpenAI account ({@code https://{resource}.openai.azure.com}) into an
 * {@link AnswerVerdict}. Azure answers in OpenAI's error format, so {@link OpenAiAnswers} judges it, except:
 * <ul>
 *   <li>404 {@code DeploymentNotFound}: the account names a deployment its resource does not have, a
 *       configuration error no retry mends; ORG_DISABLED, so the account is blocked (with the reason) until an
 *       admin fixes the deployment, and the request fails over.</li>
 *   <li>Azure sends {@code x-ratelimit-remaining-requests} / {@code -tokens} without the matching
 *       {@code -limit-} headers on many deployments: a remaining budget of 0 then reads as full utilisation
 *       (any other value says nothing without its limit).</li>
 * </ul>
 * The rest is OpenAI's: 401 UNAUTHORIZED; 429 RATE_LIMITED with {@code retry-after-ms} (milliseconds, rounded
 * up to whole seconds) or {@code retry-after} (seconds) as the verdict's retry-after; 5xx transient; a
 * {@code content_filter} 400 (with its {@code innererror}) a REQUEST_ERROR: the client's own error. Header
 * names must be lower-case. Pure.
 */
public final class AzureAnswers {

  static final String DEPLOYMENT_NOT_FOUND = "DeploymentNotFound";

  private AzureAnswers() {}

  /** Classifies one answer. {@code body} may be null or empty. */
  public static AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, long nowMillis) {
    if (status == 404) {
      OpenAiErrorBody error = OpenAiErrorBody.parse(body);
      if (error.is(DEPLOYMENT_NOT_FOUND)) {
        return new AnswerVerdict(AnswerClass.ORG_DISABLED, status, null, 0, -1, -1, -1,
            "the account's deployment does not exist on its Azure resource (a configuration error: fix the"
                + " deployment name or create it): " + error.summary());
      }
    }
    AnswerVerdict v = OpenAiAnswers.classify(status, headers, body, nowMillis);
    if (v.utilisation5h() < 0 && exhausted(headers)) {
      return new AnswerVerdict(v.answerClass(), v.status(), v.family(), v.resetAtMillis(), v.retryAfterSeconds(),
          1.0, v.utilisation7d(), v.message(), v.requestFamily());
    }
    return v;
  }

  /** The verdict an in-stream error event stands for, judged by these rules; null when it says nothing. */
  public static AnswerVerdict classifyStreamError(byte[] errorEventJson, long nowMillis) {
    return OpenAiStreamErrors.classify(errorEventJson, nowMillis, AzureAnswers::classify, error -> false,
        OpenAiErrorBody::inferredStatus);
  }

  /** Whether {@link #classify} reads this (lower-case) header: OpenAI's {@code x-ratelimit-*} and retry-after pair. */
  public static boolean isHealthHeader(String lowerName) {
    return OpenAiAnswers.isHealthHeader(lowerName);
  }

  private static boolean exhausted(Map<String, String> headers) {
    for (String dimension : new String[] {"requests", "tokens"}) {
      String remaining = headers.get(OpenAiAnswers.PREFIX + "remaining-" + dimension);
      if (remaining != null && remaining.strip().equals("0")) {
        return true;
      }
    }
    return false;
  }
}
