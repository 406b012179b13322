package dev.relaycluster.scheduling;

import dev.relaycluster.account.CooldownMark;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.apikey.KeyBinding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Chooses upstream accounts for a request. Pure: pool entries, the demand, the time and the cascade
 * guard's share in, an ordered list of candidates out.
 * <ol>
 *   <li>Eligible: schedulable (active), of the request's platform, able to serve the model (tier), not
 *       already tried for this request, not cooling down for the model's family.</li>
 *   <li>Cascade guard: transient cooldowns (529, 5xx, timeouts, 429 without a reset) may take at most
 *       {@code maxCoolingShare} of the platform's otherwise schedulable accounts out; past that, the
 *       accounts whose cooldown ends soonest stay schedulable (after the healthy ones). Cooldowns with
 *       a reset time from upstream are real limits and always count.</li>
 *   <li>Dedicated binding: the key's account or group first; the shared pool after them only when the
 *       binding allows falling back.</li>
 *   <li>Order: priority (lower first), then headroom (utilisation in 10 % bands, emptier first), then
 *       least recently used, then oldest.</li>
 *   <li>Pace ({@link #preferBrisk}, applied by the callers that know it): accounts the cluster saw answering
 *       too slowly or failing too often go after the others while any other can serve.</li>
 * </ol>
 */
public final class Scheduler {
  public static final double DEFAULT_MAX_COOLING_SHARE = 0.5;

  private Scheduler() {}

  public static List<PoolEntry> rank(Collection<PoolEntry> pool, Demand demand, Set<String> excluded, long now,
      double maxCoolingShare, ToLongFunction<String> lastUsedAt) {
    String family = demand.family();
    List<PoolEntry> healthy = new ArrayList<>();
    List<PoolEntry> transientCooling = new ArrayList<>();
    for (PoolEntry a : pool) {
      if (!a.schedulable() || !a.platform().equals(demand.platform()) || !servesModel(a, demand.model())) {
        continue;
      }
      List<CooldownMark> marks = a.cooldowns().stream().filter(m -> m.activeAt(now) && m.covers(family)).toList();
      if (marks.isEmpty()) {
        healthy.add(a);
      } else if (marks.stream().allMatch(CooldownMark::transientError)) {
        transientCooling.add(a);
      }
    }
    int total = healthy.size() + transientCooling.size();
    int allowedOut = (int) Math.floor(maxCoolingShare * total);
    List<PoolEntry> reinstated = List.of();
    if (transientCooling.size() > allowedOut) {
      reinstated = transientCooling.stream()
          .sorted(Comparator.comparingLong((PoolEntry a) -> coolingEnd(a, family, now)).thenComparing(PoolEntry::id))
          .limit(transientCooling.size() - allowedOut)
          .toList();
    }
    Comparator<PoolEntry> order = order(lastUsedAt);
    List<PoolEntry> ranked = new ArrayList<>();
    healthy.stream().filter(a -> !excluded.contains(a.id())).sorted(order).forEach(ranked::add);
    reinstated.stream().filter(a -> !excluded.contains(a.id())).sorted(order).forEach(ranked::add);
    KeyBinding binding = demand.binding();
    if (!binding.bound()) {
      return ranked;
    }
    List<PoolEntry> dedicated = ranked.stream().filter(a -> dedicatedTo(a, binding)).toList();
    if (!binding.fallbackToPool()) {
      return dedicated;
    }
    List<PoolEntry> out = new ArrayList<>(dedicated);
    ranked.stream().filter(a -> !dedicatedTo(a, binding)).forEach(out::add);
    return out;
  }

  public static Optional<PoolEntry> pick(Collection<PoolEntry> pool, Demand demand, Set<String> excluded, long now,
      double maxCoolingShare, ToLongFunction<String> lastUsedAt) {
    List<PoolEntry> ranked = rank(pool, demand, excluded, now, maxCoolingShare, lastUsedAt);
    return ranked.isEmpty() ? Optional.empty() : Optional.of(ranked.get(0));
  }

  /**
   * The ranked list with lagging accounts (too slow or failing too often) moved after the others, each part
   * in its own order; unchanged when none or all of them lag.
   */
  public static List<PoolEntry> preferBrisk(List<PoolEntry> ranked, Predicate<String> lagging) {
    List<PoolEntry> brisk = new ArrayList<>(ranked.size());
    List<PoolEntry> slow = new ArrayList<>();
    for (PoolEntry a : ranked) {
      (lagging.test(a.id()) ? slow : brisk).add(a);
    }
    if (slow.isEmpty() || brisk.isEmpty()) {
      return ranked;
    }
    brisk.addAll(slow);
    return brisk;
  }

  /**
   * Whether the key's binding lets a request go to {@code a}: any account for an unbound key or one that may
   * fall back to the pool, else only the key's dedicated account or group.
   */
  public static boolean allowedBy(KeyBinding binding, PoolEntry a) {
    return !binding.bound() || binding.fallbackToPool() || dedicatedTo(a, binding);
  }

  static boolean dedicatedTo(PoolEntry a, KeyBinding binding) {
    return (binding.accountId() != null && binding.accountId().equals(a.id()))
        || (binding.group() != null && !binding.group().isBlank() && a.inGroup(binding.group()));
  }

  /** Whether {@code a}'s subscription serves {@code model} (null: any model). */
  public static boolean servesModel(PoolEntry a, String model) {
    return model == null || a.tier().serves(model);
  }

  private static long coolingEnd(PoolEntry a, String family, long now) {
    return a.coolingFor(family, now).map(CooldownMark::until).orElse(now);
  }

  private static Comparator<PoolEntry> order(ToLongFunction<String> lastUsedAt) {
    return Comparator.comparingInt(PoolEntry::priority)
        .thenComparingInt(Scheduler::headroomBand)
        .thenComparingLong(a -> lastUsedAt.applyAsLong(a.id()))
        .thenComparingLong(PoolEntry::createdAt)
        .thenComparing(PoolEntry::id);
  }

  /** Utilisation in 10 % bands (unknown counts as empty), so that least-recently-used still spreads load. */
  static int headroomBand(PoolEntry a) {
    return a.utilisation() < 0 ? 0 : (int) Math.min(10, Math.floor(a.utilisation() * 10));
  }

  /** Why nothing could be chosen, for the client's error message. */
  public static String whyNone(Collection<PoolEntry> pool, Demand demand, Set<String> excluded, long now) {
    String platform = demand.platform();
    KeyBinding binding = demand.binding();
    if (binding.bound() && !binding.fallbackToPool()) {
      String target = binding.accountId() != null && !binding.accountId().isBlank()
          ? "dedicated account " + binding.accountId() : "account group '" + binding.group() + "'";
      List<PoolEntry> bound = pool.stream().filter(a -> dedicatedTo(a, binding)).toList();
      if (bound.isEmpty()) {
        return "this key is bound to " + target + ", which does not exist";
      }
      return "this key is bound to " + target + ", which cannot take the request now ("
          + whyNone(bound, new Demand(platform, demand.model(), KeyBinding.NONE), excluded, now) + ")";
    }
    long ofPlatform = pool.stream().filter(a -> a.platform().equals(platform)).count();
    if (ofPlatform == 0) {
      return "no " + platform + " account is configured on this relay";
    }
    List<PoolEntry> active = pool.stream().filter(a -> a.platform().equals(platform) && a.schedulable()).toList();
    if (active.isEmpty()) {
      return "all " + ofPlatform + " " + platform + " accounts are paused";
    }
    List<PoolEntry> serving = active.stream().filter(a -> servesModel(a, demand.model())).toList();
    if (serving.isEmpty()) {
      return "no active " + platform + " account's subscription serves the model " + demand.model();
    }
    Set<String> cooling = new HashSet<>();
    long soonest = Long.MAX_VALUE;
    for (PoolEntry a : serving) {
      Optional<CooldownMark> m = a.coolingFor(demand.family(), now);
      if (m.isPresent() && !excluded.contains(a.id())) {
        cooling.add(a.id());
        soonest = Math.min(soonest, m.get().until());
      }
    }
    if (!cooling.isEmpty() && serving.stream().allMatch(a -> cooling.contains(a.id()) || excluded.contains(a.id()))) {
      return "all " + serving.size() + " schedulable " + platform + " accounts are cooling down or were tried"
          + " (the first is back in " + Math.max(1, (soonest - now + 999) / 1000) + " s)";
    }
    return "all " + serving.size() + " schedulable " + platform + " accounts are busy or unavailable";
  }

  // ---- the shapes used before demands existed: platform only, no model, no binding, default guard

  public static boolean eligible(PoolEntry account, String platform, Set<String> excluded) {
    return account.schedulable() && account.platform().equals(platform) && !excluded.contains(account.id());
  }

  public static List<PoolEntry> rank(
      Collection<PoolEntry> pool, String platform, Set<String> excluded, ToLongFunction<String> lastUsedAt) {
    return rank(pool, Demand.of(platform), excluded, System.currentTimeMillis(), DEFAULT_MAX_COOLING_SHARE, lastUsedAt);
  }

  public static Optional<PoolEntry> pick(
      Collection<PoolEntry> pool, String platform, Set<String> excluded, ToLongFunction<String> lastUsedAt) {
    List<PoolEntry> ranked = rank(pool, platform, excluded, lastUsedAt);
    return ranked.isEmpty() ? Optional.empty() : Optional.of(ranked.get(0));
  }

  public static String whyNone(Collection<PoolEntry> pool, String platform, Set<String> excluded) {
    return whyNone(pool, Demand.of(platform), excluded, System.currentTimeMillis());
  }
}
