package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.util.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a Gemini upstream's answer (public API or Code Assist) says about the account, read from the status
 * and Google's error body ({@link GoogleRpcError}: {@code RetryInfo}, {@code QuotaFailure}, {@code ErrorInfo},
 * {@code Help}), following Gemini CLI's own reading ({@code googleQuotaErrors.ts}). Pure.
 * <ul>
 *   <li>2xx: SUCCESS (no news).</li>
 *   <li>429 (and 499/503 whose message says {@code limit: 0}): RATE_LIMITED. Long ("terminal", the quota is
 *       used up): a daily quota ({@code QuotaFailure} quota id with {@code PerDay}/{@code Daily}), a message with
 *       {@code limit: 0} (the model is not in the account's tier), ErrorInfo reason {@code QUOTA_EXHAUSTED} or
 *       {@code INSUFFICIENT_G1_CREDITS_BALANCE}, {@code RATE_LIMIT_EXCEEDED} without {@code RetryInfo}, or a
 *       retry delay over 300 s. It lasts until the quota resets: for a daily quota and {@code limit: 0} the
 *       next midnight US Pacific time (when Google resets daily quotas; a {@code RetryInfo} sent with a daily
 *       quota is a per-request hint, not the reset), else the retry delay, else the message's "reset after
 *       2h27m12s", else that next Pacific midnight. Short: a {@code RetryInfo.retryDelay} (or "Please retry in
 *       37s") up to 300 s is the reset time; with nothing readable (or only a per-minute quota id) the verdict
 *       carries a retry-after of 60 s (or the {@code retry-after} header), a transient pause.</li>
 *   <li>403 with ErrorInfo reason {@code VALIDATION_REQUIRED} (or that text): ORG_DISABLED (blocked until
 *       someone opens the verification link in the account's browser; the link is in the message). 403 whose
 *       ErrorInfo or text says the service is disabled or the consumer suspended: ORG_DISABLED. Other 403:
 *       REQUEST_ERROR, as the other platforms treat 403.</li>
 *   <li>401, and 400 with reason {@code API_KEY_INVALID} (how the public API refuses a bad key): UNAUTHORIZED
 *       (an OAuth account refreshes once and retries).</li>
 *   <li>503 UNAVAILABLE ("The model is overloaded") and 529: OVERLOADED; 499 CANCELLED and other 5xx:
 *       SERVER_ERROR; 504: UNREACHABLE (all short pauses). Other 4xx: REQUEST_ERROR.</li>
 * </ul>
 * Gemini quotas are per model: a RATE_LIMITED verdict concerns {@code modelFamily} (named in the message).
 * {@link AnswerVerdict#family()} is the Claude family enum and cannot name a Gemini family, so it is null
 * here; the caller keeps the family it passed.
 */
public final class GeminiAnswers {
  /** Retry delays longer than this mean the quota is used up (Gemini CLI's own bound). */
  static final long MAX_RETRYABLE_DELAY_MILLIS = 300_000;
  /** The pause after a 429 that says nothing readable. */
  static final long DEFAULT_RATE_LIMIT_SECONDS = 60;
  /** Where Google's daily quotas reset (midnight Pacific time). */
  static final ZoneId QUOTA_ZONE = ZoneId.of("America/Los_Angeles");

  private static final Pattern LIMIT_ZERO = Pattern.compile("limit:\\s*0(?!\\d|\\.\\d)",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern PRO = Pattern.compile("(^|[-_./])pro($|[-_.])");
  private static final Set<String> TERMINAL_REASONS = Set.of("QUOTA_EXHAUSTED", "INSUFFICIENT_G1_CREDITS_BALANCE");
  private static final Set<String> DISABLED_REASONS = Set.of("SERVICE_DISABLED", "CONSUMER_SUSPENDED",
      "API_KEY_SERVICE_BLOCKED", "BILLING_DISABLED");
  private static final String[] DISABLED_TEXT = {"has been suspended", "has not been used in project",
      "it is disabled", "has been disabled"};

  private GeminiAnswers() {}

  /** {@code headers}: health headers only (lower-case); {@code body}: the error body, null for a success. */
  public static AnswerVerdict classify(int status, Map<String, String> headers, byte[] body, String modelFamily,
      long nowMillis) {
    if (status >= 200 && status < 300) {
      return verdict(AnswerClass.SUCCESS, status, 0, -1, "");
    }
    return classify(status, headers == null ? Map.of() : headers, GoogleRpcError.parse(body), modelFamily,
        nowMillis);
  }

  /** An error object that came inside a 200 stream ({@code {"error":{…}}}); null when it says nothing. */
  public static AnswerVerdict classifyStreamError(byte[] errorJson, String modelFamily, long nowMillis) {
    JsonNode root = errorJson == null ? null : Json.tryParse(errorJson).orElse(null);
    if (root != null && root.isArray()) {
      root = root.path(0);
    }
    JsonNode error = root == null ? null : root.get("error");
    if (error == null || !error.isObject()) {
      return null;
    }
    GoogleRpcError parsed = GoogleRpcError.of(error);
    int status = parsed.code >= 400 ? parsed.code : statusOf(parsed.status);
    AnswerVerdict v = classify(status, Map.of(), parsed, modelFamily, nowMillis);
    return v.answerClass() == AnswerClass.REQUEST_ERROR || v.answerClass() == AnswerClass.SUCCESS ? null : v;
  }

  /** Whether a response header says anything about health (Gemini says it in bodies; retry-after only). */
  public static boolean isHealthHeader(String lowerName) {
    return "retry-after".equals(lowerName);
  }

  /** The family cooldowns are kept per: "pro", "flash", "flash-lite", else "other". */
  public static String modelFamily(String model) {
    if (model == null) {
      return "other";
    }
    String m = CodeAssistEnvelope.bareModel(model.strip().toLowerCase(Locale.ROOT));
    if (m.contains("flash-lite") || m.contains("flash_lite")) {
      return "flash-lite";
    }
    if (m.contains("flash")) {
      return "flash";
    }
    return PRO.matcher(m).find() ? "pro" : "other";
  }

  private static AnswerVerdict classify(int status, Map<String, String> headers, GoogleRpcError error,
      String family, long now) {
    long retryAfter = retryAfterSeconds(headers.get("retry-after"));
    String summary = error.summary();
    if (status == 429 || ((status == 499 || status == 503) && LIMIT_ZERO.matcher(error.message).find())) {
      return rateLimited(status, error, family, retryAfter, now);
    }
    if (status == 401 || (status == 400 && apiKeyInvalid(error))) {
      return verdict(AnswerClass.UNAUTHORIZED, status, 0, retryAfter, summary);
    }
    if (status == 403) {
      if (validationRequired(error)) {
        String link = error.validationLink();
        return verdict(AnswerClass.ORG_DISABLED, status, 0, retryAfter, "account verification required"
            + " (VALIDATION_REQUIRED): " + (link != null ? "open " + link + " signed in as the account; " : "")
            + summary);
      }
      return verdict(saysDisabled(error) ? AnswerClass.ORG_DISABLED : AnswerClass.REQUEST_ERROR, status, 0,
          retryAfter, summary);
    }
    AnswerClass answerClass;
    if (status == 503 || status == 529) {
      answerClass = AnswerClass.OVERLOADED;
    } else if (status == 504) {
      answerClass = AnswerClass.UNREACHABLE;
    } else if (status >= 500 || status == 499) {
      answerClass = AnswerClass.SERVER_ERROR;
    } else {
      answerClass = AnswerClass.REQUEST_ERROR;
    }
    return verdict(answerClass, status, 0, retryAfter, summary);
  }

  private static AnswerVerdict rateLimited(int status, GoogleRpcError error, String family, long retryAfter,
      long now) {
    boolean daily = error.dailyQuota();
    boolean limitZero = LIMIT_ZERO.matcher(error.message).find();
    long delay = error.retryDelayMillis >= 0 ? error.retryDelayMillis : error.retryInMessageMillis();
    boolean terminal = daily || limitZero || (error.reason != null && TERMINAL_REASONS.contains(error.reason))
        || (error.reasonIs("RATE_LIMIT_EXCEEDED") && error.retryDelayMillis < 0)
        || delay > MAX_RETRYABLE_DELAY_MILLIS;
    String scope = " for " + (family == null ? "other" : family) + " models";
    if (terminal) {
      long resetAt;
      String why;
      if (daily || limitZero) {
        resetAt = nextQuotaReset(now);
        why = daily ? "daily quota used up" : "quota limit 0 (model not in the account's tier)";
      } else if (delay > 0) {
        resetAt = now + delay;
        why = "quota used up";
      } else {
        long resetAfter = error.resetAfterInMessageMillis();
        resetAt = resetAfter > 0 ? now + resetAfter : nextQuotaReset(now);
        why = "quota used up";
      }
      return verdict(AnswerClass.RATE_LIMITED, status, resetAt, retryAfter,
          why + scope + " until " + Instant.ofEpochMilli(resetAt) + ": " + error.summary());
    }
    if (delay > 0) {
      return verdict(AnswerClass.RATE_LIMITED, status, now + delay, retryAfter,
          "rate limited" + scope + ": " + error.summary());
    }
    return verdict(AnswerClass.RATE_LIMITED, status, 0, retryAfter > 0 ? retryAfter : DEFAULT_RATE_LIMIT_SECONDS,
        "rate limited" + scope + ": " + error.summary());
  }

  /** The next midnight US Pacific time after {@code now}: when Google resets daily quotas. */
  static long nextQuotaReset(long now) {
    return Instant.ofEpochMilli(now).atZone(QUOTA_ZONE).toLocalDate().plusDays(1).atStartOfDay(QUOTA_ZONE)
        .toInstant().toEpochMilli();
  }

  private static boolean validationRequired(GoogleRpcError error) {
    return error.reasonIs("VALIDATION_REQUIRED") || error.message.contains("VALIDATION_REQUIRED");
  }

  private static boolean apiKeyInvalid(GoogleRpcError error) {
    String lower = error.message.toLowerCase(Locale.ROOT);
    return error.reasonIs("API_KEY_INVALID") || lower.contains("api key not valid") || lower.contains("api key expired");
  }

  private static boolean saysDisabled(GoogleRpcError error) {
    if (error.reason != null && DISABLED_REASONS.contains(error.reason)) {
      return true;
    }
    String lower = error.message.toLowerCase(Locale.ROOT);
    for (String text : DISABLED_TEXT) {
      if (lower.contains(text)) {
        return true;
      }
    }
    return false;
  }

  /** The HTTP status a google.rpc status name stands for (an in-stream error may carry only the name). */
  static int statusOf(String rpcStatus) {
    if (rpcStatus == null) {
      return 500;
    }
    return switch (rpcStatus) {
      case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> 400;
      case "UNAUTHENTICATED" -> 401;
      case "PERMISSION_DENIED" -> 403;
      case "NOT_FOUND" -> 404;
      case "ABORTED", "ALREADY_EXISTS" -> 409;
      case "RESOURCE_EXHAUSTED" -> 429;
      case "CANCELLED" -> 499;
      case "UNIMPLEMENTED" -> 501;
      case "UNAVAILABLE" -> 503;
      case "DEADLINE_EXCEEDED" -> 504;
      default -> 500;
    };
  }

  private static long retryAfterSeconds(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      return Math.max(0, (long) Math.ceil(Double.parseDouble(value.strip())));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static AnswerVerdict verdict(AnswerClass answerClass, int status, long resetAt, long retryAfter,
      String message) {
    // Google's quotas are per model: a rate limit is about the request's model family.
    return new AnswerVerdict(answerClass, status, null, resetAt, retryAfter, -1, -1, message,
        answerClass == AnswerClass.RATE_LIMITED);
  }
}
