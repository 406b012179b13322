package dev.relaycluster.account;

import dev.relaycluster.cluster.CborSerializable;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What upstream's answers left on an account: cooldown marks per family, a block (organisation
 * disabled) or an unauthorized mark with their reasons, and the fullest rate-limit window seen
 * ({@code utilisation} 0..1, -1 unknown) with the windows it came from ({@code windows}, null unknown).
 * Immutable; methods return new values.
 */
public record AccountHealth(Map<String, CooldownMark> cooldowns, String blockedReason, String unauthorizedReason,
    double utilisation, UsageWindows windows) implements CborSerializable {
  public static final AccountHealth CLEAR = new AccountHealth(Map.of(), null, null, -1, null);

  public AccountHealth(Map<String, CooldownMark> cooldowns, String blockedReason, String unauthorizedReason,
      double utilisation) {
    this(cooldowns, blockedReason, unauthorizedReason, utilisation, null);
  }

  public AccountHealth {
    cooldowns = cooldowns == null ? Map.of() : Map.copyOf(cooldowns);
  }

  public boolean blocked() {
    return blockedReason != null;
  }

  public boolean unauthorized() {
    return unauthorizedReason != null;
  }

  public List<CooldownMark> marks() {
    return new TreeMap<>(cooldowns).values().stream().toList();
  }

  /**
   * The real limit (a cooldown with upstream's reset time, which the scheduler never overrides) that keeps the
   * account from serving {@code family} at {@code now}, if any: the one that ends last.
   */
  public Optional<CooldownMark> limitFor(String family, long now) {
    return cooldowns.values().stream()
        .filter(m -> m.activeAt(now) && m.covers(family) && !m.transientError())
        .max(Comparator.comparingLong(CooldownMark::until));
  }

  public AccountHealth cooling(CooldownMark mark) {
    Map<String, CooldownMark> next = new TreeMap<>(cooldowns);
    next.put(mark.family(), mark);
    return new AccountHealth(next, blockedReason, unauthorizedReason, utilisation, windows);
  }

  public AccountHealth ended(String family) {
    Map<String, CooldownMark> next = new TreeMap<>(cooldowns);
    next.remove(family);
    return new AccountHealth(next, blockedReason, unauthorizedReason, utilisation, windows);
  }

  public AccountHealth withBlock(String reason) {
    return new AccountHealth(cooldowns, reason, unauthorizedReason, utilisation, windows);
  }

  public AccountHealth withUnauthorized(String reason) {
    return new AccountHealth(cooldowns, blockedReason, reason, utilisation, windows);
  }

  public AccountHealth withUtilisation(double u, UsageWindows seen) {
    return new AccountHealth(cooldowns, blockedReason, unauthorizedReason, u, seen != null ? seen : windows);
  }
}
