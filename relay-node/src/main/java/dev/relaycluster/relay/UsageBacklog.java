package dev.relaycluster.relay;

/**
 * The usage records this node holds because their key's entity has not taken them yet: how many wait,
 * how many of them are on disk, how many are being sent right now, and when the oldest was put aside
 * (epoch ms, 0 when none waits).
 */
public record UsageBacklog(int records, int onDisk, int sending, long oldestSpooledAt) {
  public static final UsageBacklog EMPTY = new UsageBacklog(0, 0, 0, 0);

  public boolean empty() {
    return records == 0;
  }

  /** How long the oldest record has waited at {@code now}, 0 when none waits. */
  public long oldestAgeMillis(long now) {
    return records == 0 ? 0 : Math.max(0, now - oldestSpooledAt);
  }
}
