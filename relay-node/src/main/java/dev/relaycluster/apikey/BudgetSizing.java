package dev.relaycluster.apikey;

/**
 * How much of a key's allowance a node asks for when a request finds no room in its budget shares (pure):
 * rated cost and window tokens for four requests like this one, or for what is in flight on the node plus
 * this one when that is more; window requests as a concurrency share's margin, a sixteenth of the window's
 * requests (at least one, at most {@link ShareSizing#MAX_MARGIN}). The entity grants at most a quarter of
 * what the key has left of each ({@link BudgetGrants}), so a share stays small next to a limit nearly reached
 * and another node's requests still find room.
 */
public final class BudgetSizing {
  /** Requests like the one that asks a share is sized for. */
  public static final int REQUESTS_PER_SHARE = 4;

  private BudgetSizing() {}

  /**
   * Cost or tokens to ask for.
   *
   * @param estimate the request's estimate
   * @param inFlight the estimates of the key's requests in flight on the node's shares now
   */
  public static long toAsk(long estimate, long inFlight) {
    long e = Math.max(0, estimate);
    long forDemand = saturatedAdd(e, Math.max(0, inFlight));
    return Math.max(1, Math.max(saturatedMultiply(e, REQUESTS_PER_SHARE), forDemand));
  }

  /** Window requests to ask for, for a window of {@code maxRequests} (0: the key limits none). */
  public static long requestsToAsk(long maxRequests) {
    if (maxRequests <= 0) {
      return 0;
    }
    return Math.max(1, Math.min(ShareSizing.MAX_MARGIN, maxRequests / 16));
  }

  /** What a grant may take of {@code room} left: a quarter, but at least {@code min} (when the room has it). */
  static long grantable(long room, long max, long min) {
    long quarter = Math.max(Math.max(1, min), room / 4);
    return Math.min(Math.min(room, max), quarter);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE / 4 : Math.min(r, Long.MAX_VALUE / 4);
  }

  private static long saturatedMultiply(long a, int b) {
    return a > Long.MAX_VALUE / 4 / b ? Long.MAX_VALUE / 4 : a * b;
  }
}
