package dev.relaycluster.usage;

import java.util.List;

/**
 * How far the journal can be read without missing an event: the highest ordering up to which every
 * ordering is present, where a hole that has stayed open longer than {@code gapTimeoutMillis} counts as
 * final (a write that was rolled back, or identity values a restart skipped) — the rule the JDBC read
 * journal applies too. Orderings are allocated before commit, so a hole may still be an event in flight.
 * Immutable.
 */
public record OrderingWatermark(long safe, long gapSeenAt) {

  public static OrderingWatermark from(long offset) {
    return new OrderingWatermark(offset, -1);
  }

  /**
   * The watermark after seeing {@code present}, the orderings above {@link #safe()} now in the journal
   * (ascending, the first few), at {@code now}.
   */
  public OrderingWatermark advance(List<Long> present, long now, long gapTimeoutMillis) {
    long next = safe;
    for (long ordering : present) {
      if (ordering == next + 1) {
        next = ordering;
      } else if (ordering > next + 1) {
        // A hole right after 'next': wait for it, unless it has been open long enough.
        if (next == safe && gapSeenAt >= 0 && now - gapSeenAt >= gapTimeoutMillis) {
          next = ordering;
          continue;
        }
        return next == safe ? new OrderingWatermark(safe, gapSeenAt >= 0 ? gapSeenAt : now)
            : new OrderingWatermark(next, now);
      }
    }
    return new OrderingWatermark(next, -1);
  }
}
