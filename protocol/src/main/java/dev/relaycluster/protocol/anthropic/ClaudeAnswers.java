package dev.relaycluster.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.ratelimit.ModelFamily;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an Anthropic answer (status, {@code anthropic-ratelimit-unified-*} and {@code retry-after}
 * headers, error body) into an {@link AnswerVerdict}. Header names must be lower-case. Pure.
 */
public final class ClaudeAnswers {
  static final String PREFIX = "anthropic-ratelimit-unified-";
  private static final String[] ORG_DISABLED_TEXT = {
      "organization has been disabled", "organisation has been disabled",
      "oauth authentication is currently not allowed"};

  private ClaudeAnswers() {}

  public static AnswerVerdict classify(int status, Map<String, String> headers, byte[] body) {
    String message = errorMessage(body);
    String lowerMessage = message.toLowerCase(Locale.ROOT);
    double u5h = fraction(headers.get(PREFIX + "5h-utilization"));
    double u7d = fraction(headers.get(PREFIX + "7d-utilization"));
    long retryAfter = seconds(headers.get("retry-after"));
    AnswerClass answerClass;
    if (status >= 200 && status < 300) {
      answerClass = AnswerClass.SUCCESS;
    } else if (status == 401) {
      answerClass = AnswerClass.UNAUTHORIZED;
    } else if ((status == 400 || status == 403) && containsAny(lowerMessage, ORG_DISABLED_TEXT)) {
      answerClass = AnswerClass.ORG_DISABLED;
    } else if (status == 429) {
      answerClass = AnswerClass.RATE_LIMITED;
    } else if (status == 529) {
      answerClass = AnswerClass.OVERLOADED;
    } else if (status == 504) {
      answerClass = AnswerClass.UNREACHABLE;
    } else if (status >= 500) {
      answerClass = AnswerClass.SERVER_ERROR;
    } else {
      answerClass = AnswerClass.REQUEST_ERROR;
    }
    ModelFamily family = null;
    long resetAt = 0;
    if (answerClass == AnswerClass.RATE_LIMITED) {
      family = limitedFamily(headers, lowerMessage);
      resetAt = resetAtMillis(headers);
    }
    return new AnswerVerdict(answerClass, status, family, resetAt, retryAfter, u5h, u7d, message);
  }

  /**
   * The family a 429 concerns: the representative claim or a rejected family-specific window header
   * ({@code …-7d_opus-status: rejected}), else the body text ("Opus weekly limit"); null = whole account.
   */
  static ModelFamily limitedFamily(Map<String, String> headers, String lowerMessage) {
    String claim = headers.getOrDefault(PREFIX + "representative-claim", "").toLowerCase(Locale.ROOT);
    ModelFamily fromClaim = familyIn(claim);
    if (fromClaim != null) {
      return fromClaim;
    }
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String name = h.getKey();
      if (name.startsWith(PREFIX) && name.endsWith("-status") && "rejected".equalsIgnoreCase(h.getValue().trim())) {
        ModelFamily f = familyIn(name.substring(PREFIX.length()));
        if (f != null) {
          return f;
        }
      }
    }
    if (lowerMessage.contains("limit")) {
      return familyIn(lowerMessage);
    }
    return null;
  }

  private static ModelFamily familyIn(String text) {
    boolean opus = text.contains("opus");
    boolean sonnet = text.contains("sonnet");
    boolean haiku = text.contains("haiku");
    if (opus && !sonnet && !haiku) {
      return ModelFamily.OPUS;
    }
    if (sonnet && !opus && !haiku) {
      return ModelFamily.SONNET;
    }
    if (haiku && !opus && !sonnet) {
      return ModelFamily.HAIKU;
    }
    return null;
  }

  /**
   * When the limit ends: {@code anthropic-ratelimit-unified-reset} (epoch seconds), else the latest
   * reset of a rejected window, else 0 (the caller may use retry-after).
   */
  static long resetAtMillis(Map<String, String> headers) {
    long unified = seconds(headers.get(PREFIX + "reset"));
    if (unified > 0) {
      return unified * 1000;
    }
    long latest = 0;
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String name = h.getKey();
      if (name.startsWith(PREFIX) && name.endsWith("-status") && "rejected".equalsIgnoreCase(h.getValue().trim())) {
        String window = name.substring(0, name.length() - "-status".length());
        latest = Math.max(latest, seconds(headers.get(window + "-reset")));
      }
    }
    return latest * 1000;
  }

  /** The {@code error.message} of an Anthropic error body, or the raw text cut to 300 characters. */
  public static String errorMessage(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    JsonNode node = Json.tryParse(body).orElse(null);
    if (node != null && node.path("error").path("message").isTextual()) {
      return node.path("error").path("message").asText();
    }
    if (node != null && node.path("error").isTextual()) {
      return node.path("error").asText();
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.length() > 300 ? text.substring(0, 300) : text;
  }

  private static boolean containsAny(String text, String[] needles) {
    for (String n : needles) {
      if (text.contains(n)) {
        return true;
      }
    }
    return false;
  }

  private static long seconds(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      return (long) Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A utilisation header: a fraction 0..1; a percentage above 1 is scaled down. */
  private static double fraction(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      double d = Double.parseDouble(value.trim());
      if (d < 0 || Double.isNaN(d)) {
        return -1;
      }
      return d > 1.0 ? Math.min(1.0, d / 100.0) : d;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
