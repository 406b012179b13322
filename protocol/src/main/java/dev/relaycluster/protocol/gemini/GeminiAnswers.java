package dev.relaycluster.protocol.gemini;

import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.util.Map;

/**
 * What a Gemini upstream's answer (public API or Code Assist) says about the account. SKELETON.
 */
public final class GeminiAnswers {
  private GeminiAnswers() {}

  /** {@code headers}: health headers only (lower-case); {@code body}: the error body, null for a success. */
  public static AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, String modelFamily,
      long nowMillis) {
    throw new UnsupportedOperationException("TODO");
  }

  /** An error object that came inside a 200 stream ({@code {"error":{…}}}); null when it says nothing. */
  public static AnswerVerdict classifyStreamError(byte[] errorJson, String modelFamily, long nowMillis) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Whether a response header says anything about health (Gemini says it in bodies; retry-after only). */
  public static boolean isHealthHeader(String lowerName) {
    return "retry-after".equals(lowerName);
  }

  /** The family cooldowns are kept per: "pro", "flash", "flash-lite", else "other". */
  public static String modelFamily(String model) {
    throw new UnsupportedOperationException("TODO");
  }
}
