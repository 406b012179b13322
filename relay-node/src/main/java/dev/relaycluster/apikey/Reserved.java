package dev.relaycluster.apikey;

/**
 * The sum of the reservations of requests in flight: all of them, the Opus ones, and the ones admitted in
 * the current rate window.
 */
public record Reserved(long costMicros, long opusCostMicros, long windowCostMicros, long windowTokens) {
  public static final Reserved NONE = new Reserved(0, 0, 0, 0);
}
