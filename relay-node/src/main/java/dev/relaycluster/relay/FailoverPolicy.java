package dev.relaycluster.relay;

import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;

/**
 * What to do after upstream refused a request before any byte reached the client (pure): retry once
 * on the same account after a token refresh, fail over to another account, or pass the refusal on.
 * Failover is bounded by {@code relay.upstream.max-account-attempts}.
 */
public final class FailoverPolicy {
  private FailoverPolicy() {}

  public enum Step {
    /** The credential was refused: refresh it (once) and send the same request again. */
    REFRESH_AND_RETRY,
    /** The account cannot serve now: try the next account. */
    FAIL_OVER,
    /** The request itself was refused: the client gets upstream's answer. */
    PASS_ON
  }

  /**
   * The step after upstream refused; a failover with no attempt left gives the client this refusal.
   *
   * @param afterRefresh the request was already retried with refreshed tokens
   */
  public static Step afterRefusal(AnswerVerdict verdict, boolean afterRefresh) {
    if (verdict.answerClass() == AnswerClass.UNAUTHORIZED && !afterRefresh) {
      return Step.REFRESH_AND_RETRY;
    }
    return verdict.failover() ? Step.FAIL_OVER : Step.PASS_ON;
  }

  /** Whether another account may be tried after {@code attempts} were. */
  public static boolean mayTryAnother(int attempts, int maxAttempts) {
    return attempts < maxAttempts;
  }
}
