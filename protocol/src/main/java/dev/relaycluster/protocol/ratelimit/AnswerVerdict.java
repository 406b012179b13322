package dev.relaycluster.protocol.ratelimit;

/**
 * The account-relevant facts of one upstream answer. {@code family} is the model family a rate
 * limit is about, or null when it concerns the whole account; {@code resetAtMillis} is when the limit
 * ends per upstream (0 unknown); {@code retryAfterSeconds} is -1 when absent; utilisations are
 * fractions 0..1, or -1 when not sent. {@code requestFamily}: a rate limit (with no {@code family} of its
 * own) concerns the model family of the request that met it, not the whole account (Gemini's quotas are
 * per model); the platform names that family.
 */
public record AnswerVerdict(
    AnswerClass answerClass,
    int status,
    ModelFamily family,
    long resetAtMillis,
    long retryAfterSeconds,
    double utilisation5h,
    double utilisation7d,
    String message,
    boolean requestFamily) {

  public AnswerVerdict(AnswerClass answerClass, int status, ModelFamily family, long resetAtMillis,
      long retryAfterSeconds, double utilisation5h, double utilisation7d, String message) {
    this(answerClass, status, family, resetAtMillis, retryAfterSeconds, utilisation5h, utilisation7d, message, false);
  }

  /** No answer at all: a connection failure or a response that did not come in time. */
  public static AnswerVerdict unreachable(String why) {
    return new AnswerVerdict(AnswerClass.UNREACHABLE, 0, null, 0, -1, -1, -1, why);
  }

  /** The fullest rate-limit window seen, -1 when no utilisation header was sent. */
  public double utilisation() {
    return Math.max(utilisation5h, utilisation7d);
  }

  /** Whether the relay may try another account for this request. */
  public boolean failover() {
    return switch (answerClass) {
      case RATE_LIMITED, OVERLOADED, SERVER_ERROR, UNREACHABLE, UNAUTHORIZED, ORG_DISABLED -> true;
      case SUCCESS, REQUEST_ERROR -> false;
    };
  }
}
