package dev.relaycluster.relay;

import java.time.Duration;

/**
 * How often a warning that can come thousands of times a second is written: the first at once, then at most one
 * line per interval, which tells how many were left out since the line before. Under overload (a key's entity
 * that cannot keep up, every settlement going round the usage spool) a line per record cost the node CPU it
 * did not have; what waits is counted in the node's health and metrics either way. Thread-safe.
 */
final class LogQuota {
  private final long intervalNanos;
  private boolean written;
  /** System.nanoTime after which the next line may be written. */
  private long nextAt;
  private long leftOut;

  LogQuota(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Whether the occurrence at {@code nanoNow} is written: -1 when it is left out, else how many were left out
   * before it (since the last line written).
   */
  synchronized long admit(long nanoNow) {
    if (written && nanoNow - nextAt < 0) {
      leftOut++;
      return -1;
    }
    written = true;
    nextAt = nanoNow + intervalNanos;
    long before = leftOut;
    leftOut = 0;
    return before;
  }
}
