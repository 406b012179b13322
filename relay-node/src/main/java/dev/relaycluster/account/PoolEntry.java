package dev.relaycluster.account;

import dev.relaycluster.cluster.Versioned;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import java.util.List;
import java.util.Optional;

/**
 * What every node knows about an account for scheduling and listing; no credentials. {@code cooldowns}
 * end at their own times (compare with the clock), {@code utilisation} is the fullest rate-limit window
 * upstream reported (0..1, -1 unknown), {@code windows} the short and weekly windows it came from (null unknown).
 */
public record PoolEntry(
    String id,
    String name,
    String platform,
    AccountType type,
    String baseUrl,
    int priority,
    int maxConcurrency,
    AccountStatus status,
    long createdAt,
    long updatedAt,
    long revision,
    SubscriptionTier tier,
    List<String> groups,
    List<CooldownMark> cooldowns,
    double utilisation,
    double priceMultiplier,
    String proxy,
    String statusReason,
    UsageWindows windows) implements Versioned {

  public PoolEntry {
    tier = tier == null ? SubscriptionTier.UNKNOWN : tier;
    groups = groups == null ? List.of() : List.copyOf(groups);
    cooldowns = cooldowns == null ? List.of() : List.copyOf(cooldowns);
    priceMultiplier = priceMultiplier > 0 ? priceMultiplier : 1.0;
  }

  public PoolEntry(String id, String name, String platform, AccountType type, String baseUrl, int priority,
      int maxConcurrency, AccountStatus status, long createdAt, long updatedAt, long revision, SubscriptionTier tier,
      List<String> groups, List<CooldownMark> cooldowns, double utilisation, double priceMultiplier, String proxy,
      String statusReason) {
    this(id, name, platform, type, baseUrl, priority, maxConcurrency, status, createdAt, updatedAt, revision, tier,
        groups, cooldowns, utilisation, priceMultiplier, proxy, statusReason, null);
  }

  public PoolEntry(String id, String name, String platform, AccountType type, String baseUrl, int priority,
      int maxConcurrency, AccountStatus status, long createdAt, long updatedAt, long revision) {
    this(id, name, platform, type, baseUrl, priority, maxConcurrency, status, createdAt, updatedAt, revision,
        SubscriptionTier.UNKNOWN, List.of(), List.of(), -1, 1.0, null, null);
  }

  public boolean schedulable() {
    return status == AccountStatus.ACTIVE;
  }

  /** The active cooldown that keeps this account from a model family (the longest), if any. */
  public Optional<CooldownMark> coolingFor(String family, long now) {
    return cooldowns.stream()
        .filter(m -> m.activeAt(now) && m.covers(family))
        .max(java.util.Comparator.comparingLong(CooldownMark::until));
  }

  public boolean inGroup(String group) {
    return groups.contains(group);
  }
}
