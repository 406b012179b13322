package dev.relaycluster.session;

import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.scheduling.Demand;
import dev.relaycluster.scheduling.Scheduler;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A session's binding as this node last heard it from the session's entity: the bound account and when the
 * entity confirmed it. A request of the session may go to that account without asking the entity again
 * while the account is still fit for it and the confirmation is fresh ({@link #verdict}); anything else
 * sends the request to the entity, which keeps or rebinds the session as it always does. Pure: the pool
 * entry, the demand, the pace and the time come in, a verdict goes out.
 */
public record CachedBinding(String accountId, long confirmedAt) {

  /** The longest a node goes without asking a busy session's entity, whatever the session TTL. */
  public static final Duration MAX_REFRESH = Duration.ofSeconds(60);

  /** Whether the cached binding may be used, or why the entity has to be asked. */
  public enum Verdict {
    USABLE,
    /** The entity confirmed the binding a refresh interval ago or longer: ask it, which also slides its TTL. */
    STALE,
    /** The account is not in this node's pool view (deleted, or not replicated here). */
    GONE,
    /** Paused, blocked, unauthorized or deleted. */
    NOT_SCHEDULABLE,
    /** Of another platform than the request's pool, or its subscription does not serve the model. */
    CANNOT_SERVE,
    /** Cooling down for the request's model family. */
    COOLING,
    /** It already failed this request. */
    EXCLUDED,
    /** The key's dedicated binding (account or group, without fallback) does not include it. */
    NOT_ALLOWED,
    /** The cluster saw it answering too slowly or failing too often; the entity decides whether to leave it. */
    LAGGING
  }

  /**
   * How often a node asks a session's entity while the session is in use: a quarter of the session TTL, at
   * most {@link #MAX_REFRESH}. The entity slides the binding's expiry when asked, so a conversation in use
   * never loses its binding, and the store is touched at most once per interval per node.
   */
  public static Duration refreshInterval(Duration sessionTtl) {
    Duration quarter = sessionTtl.dividedBy(4);
    return quarter.compareTo(MAX_REFRESH) < 0 ? quarter : MAX_REFRESH;
  }

  /**
   * Whether this binding can route a request now. {@code entry} is the bound account as this node's pool
   * view has it; {@code lagging} is the pool's pace board, asked last (the same test the entity makes before
   * it keeps a binding).
   */
  public Verdict verdict(Optional<PoolEntry> entry, Demand demand, Set<String> excluded, Predicate<String> lagging,
      long now, long refreshMillis) {
    if (now - confirmedAt >= refreshMillis) {
      return Verdict.STALE;
    }
    if (entry.isEmpty()) {
      return Verdict.GONE;
    }
    PoolEntry a = entry.get();
    if (!a.schedulable()) {
      return Verdict.NOT_SCHEDULABLE;
    }
    if (!a.platform().equals(demand.platform()) || !Scheduler.servesModel(a, demand.model())) {
      return Verdict.CANNOT_SERVE;
    }
    if (a.coolingFor(demand.family(), now).isPresent()) {
      return Verdict.COOLING;
    }
    if (excluded.contains(accountId)) {
      return Verdict.EXCLUDED;
    }
    if (!Scheduler.allowedBy(demand.binding(), a)) {
      return Verdict.NOT_ALLOWED;
    }
    if (lagging.test(accountId)) {
      return Verdict.LAGGING;
    }
    return Verdict.USABLE;
  }
}
