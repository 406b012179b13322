package dev.relaycluster.apikey;

/**
 * How much of a key's allowance a node asks for when its budget shares run low (pure): rated cost and window
 * tokens for four requests like this one, or twice what the node's shares hold now (requests in flight and
 * what ended ones spent) with this one, when that is more; window requests twice as many as were taken since
 * the last ask, or, when that is fewer, as a concurrency share's margin: a sixteenth of the window's requests
 * (at least one, at most {@link ShareSizing#MAX_MARGIN}). So a busy node's shares grow until one lasts its life.
 * The entity grants at most a quarter of what the key has left of each ({@link BudgetGrants}), so a share stays
 * small next to a limit nearly reached and another node's requests still find room.
 */
public final class BudgetSizing {
  /** Requests like the one that asks a share is sized for. */
  public static final int REQUESTS_PER_SHARE = 4;

  private BudgetSizing() {}

  /**
   * Cost or tokens to ask for.
   *
   * @param estimate the request's estimate
   * @param held what the node's shares of the key hold now: estimates in flight and what ended requests spent
   */
  public static long toAsk(long estimate, long held) {
    long e = Math.max(0, estimate);
    long forDemand = saturatedMultiply(saturatedAdd(e, Math.max(0, held)), 2);
    return Math.max(1, Math.max(saturatedMultiply(e, REQUESTS_PER_SHARE), forDemand));
  }

  /**
   * Window requests to ask for, for a window of {@code maxRequests} (0: the key limits none), when the node
   * took {@code recent} requests on the key's shares since its last ask.
   */
  public static long requestsToAsk(long maxRequests, long recent) {
    if (maxRequests <= 0) {
      return 0;
    }
    long margin = Math.max(1, Math.min(ShareSizing.MAX_MARGIN, maxRequests / 16));
    return Math.min(maxRequests, Math.max(margin, saturatedMultiply(Math.max(0, recent), 2)));
  }

  /** What a grant may take of {@code room} left: a quarter, and no more than {@code max}. */
  static long grantable(long room, long max) {
    return Math.min(max, room / 4);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE / 4 : Math.min(r, Long.MAX_VALUE / 4);
  }

  private static long saturatedMultiply(long a, int b) {
    return a > Long.MAX_VALUE / 4 / b ? Long.MAX_VALUE / 4 : a * b;
  }
}
