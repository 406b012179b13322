package dev.relaycluster.scheduling;

import dev.relaycluster.account.PoolEntry;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Chooses an upstream account: only schedulable accounts of the request's platform that are not
 * excluded (already tried for this request); then lower priority number first, then least recently
 * used, then oldest. Pure.
 */
public final class Scheduler {
  private Scheduler() {}

  public static boolean eligible(PoolEntry account, String platform, Set<String> excluded) {
    return account.schedulable() && account.platform().equals(platform) && !excluded.contains(account.id());
  }

  public static List<PoolEntry> rank(
      Collection<PoolEntry> pool, String platform, Set<String> excluded, ToLongFunction<String> lastUsedAt) {
    return pool.stream()
        .filter(a -> eligible(a, platform, excluded))
        .sorted(Comparator.comparingInt(PoolEntry::priority)
            .thenComparingLong(a -> lastUsedAt.applyAsLong(a.id()))
            .thenComparingLong(PoolEntry::createdAt)
            .thenComparing(PoolEntry::id))
        .toList();
  }

  public static Optional<PoolEntry> pick(
      Collection<PoolEntry> pool, String platform, Set<String> excluded, ToLongFunction<String> lastUsedAt) {
    List<PoolEntry> ranked = rank(pool, platform, excluded, lastUsedAt);
    return ranked.isEmpty() ? Optional.empty() : Optional.of(ranked.get(0));
  }

  /** Why nothing could be chosen, for the client's error message. */
  public static String whyNone(Collection<PoolEntry> pool, String platform, Set<String> excluded) {
    long ofPlatform = pool.stream().filter(a -> a.platform().equals(platform)).count();
    if (ofPlatform == 0) {
      return "no " + platform + " account is configured on this relay";
    }
    long active = pool.stream().filter(a -> a.platform().equals(platform) && a.schedulable()).count();
    if (active == 0) {
      return "all " + ofPlatform + " " + platform + " accounts are paused";
    }
    return "all " + active + " schedulable " + platform + " accounts are busy or unavailable";
  }
}
