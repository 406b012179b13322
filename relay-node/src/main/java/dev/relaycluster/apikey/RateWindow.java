package dev.relaycluster.apikey;

/**
 * The key's current fixed rate window (in memory only): it opened at {@code start} with the first
 * request and lasts {@code lengthMillis}. Requests count at admission; tokens and rated cost when usage
 * settles.
 */
public record RateWindow(long start, long lengthMillis, long requests, long tokens, long costMicros) {

  public long end() {
    return start + lengthMillis;
  }

  public boolean open(long now) {
    return now >= start && now < end();
  }

  /** The window in force at {@code now}: this one while it is open, else a new empty one opening now. */
  public static RateWindow at(RateWindow current, RateWindowLimit limit, long now) {
    if (current != null && current.lengthMillis() == limit.lengthMillis() && current.open(now)) {
      return current;
    }
    return new RateWindow(now, limit.lengthMillis(), 0, 0, 0);
  }

  public RateWindow withRequest() {
    return new RateWindow(start, lengthMillis, requests + 1, tokens, costMicros);
  }

  /** With {@code n} more requests counted (a node's budget share takes them ahead of its requests). */
  public RateWindow withRequests(long n) {
    return new RateWindow(start, lengthMillis, requests + n, tokens, costMicros);
  }

  /** With {@code n} requests fewer (a share gave back the ones it did not use), never below none. */
  public RateWindow withoutRequests(long n) {
    return new RateWindow(start, lengthMillis, Math.max(0, requests - n), tokens, costMicros);
  }

  public RateWindow withUsage(long moreTokens, long moreCostMicros) {
    return new RateWindow(start, lengthMillis, requests, tokens + moreTokens, costMicros + moreCostMicros);
  }
}
