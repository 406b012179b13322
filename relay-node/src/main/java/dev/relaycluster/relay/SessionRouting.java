package dev.relaycluster.relay;

import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.scheduling.Demand;
import dev.relaycluster.scheduling.LastUsedClock;
import dev.relaycluster.scheduling.Scheduler;
import dev.relaycluster.session.BindingCache;
import dev.relaycluster.session.CachedBinding;
import dev.relaycluster.session.SessionEntity;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Step 5 of a request (ARCHITECTURE.md §1): the account a request should go to. A request with a session
 * key asks its session's entity (the sticky binding, or the scheduler's pick that becomes the binding);
 * one without, or whose session's entity does not answer, gets the scheduler's pick on this node. The
 * entity's answers for bindings the store holds are kept in the node's {@link BindingCache}: while the
 * bound account stays fit for the request and the entity confirmed it less than a refresh interval ago
 * ({@link CachedBinding#verdict}), the next requests of the session go to it without the hop; otherwise
 * the entity is asked (and keeps or rebinds the session).
 */
final class SessionRouting {
  private final ClusterSharding sharding;
  private final PoolView pool;
  private final LastUsedClock clock;
  private final RelaySettings settings;
  private final BindingCache bindings;
  private final long refreshMillis;

  SessionRouting(ActorSystem<?> system, PoolView pool, LastUsedClock clock, RelaySettings settings) {
    this.sharding = ClusterSharding.get(system);
    this.pool = pool;
    this.clock = clock;
    this.settings = settings;
    this.bindings = BindingCache.get(system);
    this.refreshMillis = CachedBinding.refreshInterval(settings.sessionTtl()).toMillis();
  }

  CompletionStage<SessionEntity.RouteReply> route(Attempt attempt) {
    RelayCall call = attempt.call();
    if (call.sessionKey().isPresent()) {
      String sessionId = call.pool() + ":"
          + Hashing.sha256Hex(call.key().id() + "\n" + call.sessionKey().get().value()).substring(0, 32);
      Demand demand = AccountChoice.demand(call);
      SessionEntity.Routed cached = cached(sessionId, demand, attempt);
      if (cached != null) {
        attempt.trace().routed("session (cached)", cached.accountId());
        return CompletableFuture.completedFuture(cached);
      }
      EntityRef<SessionEntity.Command> session = sharding.entityRefFor(SessionEntity.ENTITY_TYPE_KEY, sessionId);
      // If the session's entity does not answer (its node just died), route this request without stickiness.
      return session.<SessionEntity.RouteReply>ask(r -> new SessionEntity.Route(demand, attempt.excluded(), r),
              settings.http().askTimeout())
          .thenApply(reply -> {
            if (reply instanceof SessionEntity.Routed routed) {
              // Only a binding the store holds: one still being written (or failed) is asked for again.
              if (routed.stored()) {
                bindings.confirmed(sessionId, routed.accountId(), System.currentTimeMillis());
              }
              attempt.trace().routed(routed.rebound() ? "session (rebound: its account could not take it)"
                  : "session", routed.accountId());
            }
            return reply;
          })
          .exceptionally(t -> pickWithoutSession(attempt, "scheduler (the session's entity did not answer)"));
    }
    return CompletableFuture.completedFuture(pickWithoutSession(attempt, "scheduler (no session key)"));
  }

  /** The session's binding from this node's cache if it may route this request; a binding that may not is dropped. */
  private SessionEntity.Routed cached(String sessionId, Demand demand, Attempt attempt) {
    CachedBinding binding = bindings.get(sessionId);
    if (binding == null) {
      return null;
    }
    long now = System.currentTimeMillis();
    CachedBinding.Verdict verdict = binding.verdict(pool.find(binding.accountId()), demand, attempt.excluded(),
        id -> pool.paces().lagging(id, now), now, refreshMillis);
    if (verdict == CachedBinding.Verdict.USABLE) {
      return new SessionEntity.Routed(binding.accountId(), false, true);
    }
    bindings.drop(sessionId);
    return null;
  }

  private SessionEntity.RouteReply pickWithoutSession(Attempt attempt, String how) {
    long now = System.currentTimeMillis();
    Demand demand = AccountChoice.demand(attempt.call());
    List<PoolEntry> ranked = Scheduler.rank(pool.accounts(), demand,
        attempt.excluded(), now, settings.accounts().maxCoolingShare(), clock::lastUsedAt);
    if (ranked.isEmpty()) {
      return new SessionEntity.NoAccount(Scheduler.whyNone(pool.accounts(), demand, attempt.excluded(), now));
    }
    String chosen = Scheduler.preferBrisk(ranked, id -> pool.paces().lagging(id, now)).get(0).id();
    attempt.trace().routed(how, chosen);
    return new SessionEntity.Routed(chosen, false);
  }
}
