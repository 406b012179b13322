package dev.relaycluster.usage;

/**
 * Summed usage: requests, each token class, real and rated cost, errors (any answer of status 400 or
 * more, or a request that upstream broke off) and cooling errors (upstream answers 429, 529 or 5xx: the
 * answers that cool an account down) and failovers (requests that needed more than one account: a second account
 * took the request after the first refused it before any byte reached the client).
 */
public record UsageTotals(
    long requests,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWrite5mTokens,
    long cacheWrite1hTokens,
    long costMicros,
    long ratedCostMicros,
    long errors,
    long coolingErrors,
    long failovers) {

  public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Totals without failovers (as rows written before they were counted read). */
  public UsageTotals(long requests, long inputTokens, long outputTokens, long cacheReadTokens, long cacheWrite5mTokens,
      long cacheWrite1hTokens, long costMicros, long ratedCostMicros, long errors, long coolingErrors) {
    this(requests, inputTokens, outputTokens, cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens, costMicros,
        ratedCostMicros, errors, coolingErrors, 0);
  }

  public static UsageTotals of(UsageRecord u) {
    return new UsageTotals(1, u.inputTokens(), u.outputTokens(), u.cacheReadTokens(), u.cacheWrite5mTokens(),
        u.cacheWrite1hTokens(), u.costMicros(), u.ratedCostMicros(), isError(u) ? 1 : 0, isCoolingError(u) ? 1 : 0,
        u.attempts() > 1 ? 1 : 0);
  }

  /** Only a change of cost: what re-pricing adds to an aggregate row. */
  public static UsageTotals costChange(long costMicros, long ratedCostMicros) {
    return new UsageTotals(0, 0, 0, 0, 0, 0, costMicros, ratedCostMicros, 0, 0, 0);
  }

  public static boolean isError(UsageRecord u) {
    return u.status() >= 400 || u.outcome() == RequestOutcome.UPSTREAM_FAILED;
  }

  /** An answer from upstream that cools its account: 429, 529 or any 5xx (not the relay's own 502/503/504). */
  public static boolean isCoolingError(UsageRecord u) {
    return u.outcome() == RequestOutcome.UPSTREAM_ERROR && (u.status() == 429 || u.status() >= 500);
  }

  public long totalTokens() {
    return inputTokens + outputTokens + cacheReadTokens + cacheWrite5mTokens + cacheWrite1hTokens;
  }

  public UsageTotals plus(UsageTotals o) {
    return new UsageTotals(requests + o.requests, inputTokens + o.inputTokens, outputTokens + o.outputTokens,
        cacheReadTokens + o.cacheReadTokens, cacheWrite5mTokens + o.cacheWrite5mTokens,
        cacheWrite1hTokens + o.cacheWrite1hTokens, costMicros + o.costMicros, ratedCostMicros + o.ratedCostMicros,
        errors + o.errors, coolingErrors + o.coolingErrors, failovers + o.failovers);
  }

  long[] counts() {
    return new long[] {requests, inputTokens, outputTokens, cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens,
        costMicros, ratedCostMicros, errors, coolingErrors, failovers};
  }
}
