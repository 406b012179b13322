package dev.relaycluster.scheduling;

import dev.relaycluster.account.AccountStatus;
import dev.relaycluster.account.CooldownMark;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.apikey.KeyBinding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Why the scheduler would take or pass over each account of the request's pool, for the decision trace:
 * pure, the same inputs as {@link Scheduler#rank}. Accounts of other platforms are not listed.
 */
public final class CandidateReport {
  private CandidateReport() {}

  /** One account of the pool: its place in the scheduler's order (from 1), or 0 and why it was passed over. */
  public record Candidate(String accountId, String name, int rank, String why) {}

  public static List<Candidate> explain(Collection<PoolEntry> pool, Demand demand, Set<String> excluded, long now,
      double maxCoolingShare, ToLongFunction<String> lastUsedAt) {
    List<PoolEntry> ranked = Scheduler.rank(pool, demand, excluded, now, maxCoolingShare, lastUsedAt);
    List<Candidate> out = new ArrayList<>();
    List<PoolEntry> ofPlatform = pool.stream()
        .filter(a -> a.platform().equals(demand.platform()) && a.status() != AccountStatus.DELETED)
        .sorted(Comparator.comparing(PoolEntry::id)).toList();
    for (int i = 0; i < ranked.size(); i++) {
      PoolEntry a = ranked.get(i);
      out.add(new Candidate(a.id(), a.name(), i + 1, coolingNote(a, demand.family(), now)));
    }
    for (PoolEntry a : ofPlatform) {
      if (ranked.stream().noneMatch(r -> r.id().equals(a.id()))) {
        out.add(new Candidate(a.id(), a.name(), 0, whyNot(a, demand, excluded, now)));
      }
    }
    return out;
  }

  /** A ranked account may still be cooling (reinstated by the cascade guard): say so. */
  private static String coolingNote(PoolEntry a, String family, long now) {
    return a.coolingFor(family, now)
        .map(m -> "cooling until " + Instant.ofEpochMilli(m.until()) + ", kept schedulable by the cascade guard")
        .orElse(null);
  }

  static String whyNot(PoolEntry a, Demand demand, Set<String> excluded, long now) {
    if (!a.schedulable()) {
      return "not schedulable (" + a.status().name().toLowerCase(java.util.Locale.ROOT)
          + (a.statusReason() != null ? ": " + a.statusReason() : "") + ")";
    }
    if (!Scheduler.servesModel(a, demand.model())) {
      return "its subscription (" + a.tier() + ") does not serve " + demand.model();
    }
    if (excluded.contains(a.id())) {
      return "already tried for this request";
    }
    Optional<CooldownMark> cooling = a.coolingFor(demand.family(), now);
    if (cooling.isPresent()) {
      CooldownMark m = cooling.get();
      return "cooling until " + Instant.ofEpochMilli(m.until()) + " (" + m.reason() + ")";
    }
    KeyBinding binding = demand.binding();
    if (binding.bound() && !binding.fallbackToPool() && !Scheduler.dedicatedTo(a, binding)) {
      return "outside the key's binding";
    }
    return "passed over";
  }
}
