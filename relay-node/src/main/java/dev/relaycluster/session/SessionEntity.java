package dev.relaycluster.session;

import dev.relaycluster.account.PaceBoard;
import dev.relaycluster.account.PaceRule;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.scheduling.Demand;
import dev.relaycluster.scheduling.LastUsedClock;
import dev.relaycluster.scheduling.Scheduler;
import dev.relaycluster.store.TtlStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.CircuitBreakerOpenException;

/**
 * One conversation's sticky binding to an upstream account. Sharded, so one actor in the cluster
 * decides for a session; the binding is kept in the TTL store (sliding expiry) so that it survives
 * passivation and node restarts. The bound account is kept while it stays eligible; otherwise the
 * scheduler picks another and the session is rebound; so is a session whose account the cluster saw answering
 * too slowly or failing too often while another can serve ({@link PaceBoard}). A store that cannot be read (Redis down, its circuit
 * open) means "no binding yet": the scheduler picks and the binding is kept here, and written to the store
 * once it answers again.
 */
public final class SessionEntity {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionEntity.class);
  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "Session");

  public sealed interface Command extends CborSerializable {}

  /** Route a request of this session; {@code excluded} are accounts that already failed it. */
  public record Route(Demand demand, Set<String> excluded, ActorRef<RouteReply> replyTo) implements Command {
    public Route(String platform, Set<String> excluded, ActorRef<RouteReply> replyTo) {
      this(Demand.of(platform), excluded, replyTo);
    }
  }

  private record Loaded(Optional<String> accountId) implements Command {}

  /** Whether writing (or refreshing) the binding to {@code accountId} reached the store. */
  private record Written(String accountId, boolean ok) implements Command {}

  public sealed interface RouteReply extends CborSerializable {}

  /**
   * The session goes to {@code accountId}; {@code rebound} when it was bound to another account before;
   * {@code stored} when the TTL store is known to hold this binding (its write was answered), so that a
   * node may route the session's next requests from its {@link BindingCache} without losing the binding if
   * this entity stops. A binding whose write is under way or failed is not stored: the next request comes
   * here again and, after a failure, writes it again.
   */
  public record Routed(String accountId, boolean rebound, boolean stored) implements RouteReply {
    public Routed(String accountId, boolean rebound) {
      this(accountId, rebound, false);
    }
  }

  public record NoAccount(String reason) implements RouteReply {}

  /**
   * Starts the sharding of sessions over {@code shards} shards ({@code relay.session.shards}): a session's first
   * request on a shard that no node hosts yet waits for the coordinator to place it, and the coordinator places
   * one shard at a time, so a burst of new conversations on a fresh or restarted node waits less with fewer shards
   * ({@link SessionShardPlacement} places them ahead). Answers the node's shard region.
   */
  public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system, PoolView pool, LastUsedClock clock,
      TtlStore store, Duration ttl, double maxCoolingShare, int shards) {
    return ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY,
            ctx -> create(ctx.getEntityId(), pool, clock, store, ttl, maxCoolingShare))
        .withMessageExtractor(new HashCodeMessageExtractor<>(shards)));
  }

  public static Behavior<Command> create(
      String sessionId, PoolView pool, LastUsedClock clock, TtlStore store, Duration ttl) {
    return create(sessionId, pool, clock, store, ttl, Scheduler.DEFAULT_MAX_COOLING_SHARE);
  }

  public static Behavior<Command> create(
      String sessionId, PoolView pool, LastUsedClock clock, TtlStore store, Duration ttl, double maxCoolingShare) {
    return Behaviors.withStash(256, stash -> Behaviors.setup(ctx ->
        new SessionEntity(ctx, stash, sessionId, pool, clock, store, ttl, maxCoolingShare).unread()));
  }

  private final ActorContext<Command> ctx;
  private final StashBuffer<Command> stash;
  private final String sessionId;
  private final String storeKey;
  private final PoolView pool;
  private final LastUsedClock clock;
  private final TtlStore store;
  private final Duration ttl;
  private final double maxCoolingShare;

  private SessionEntity(ActorContext<Command> ctx, StashBuffer<Command> stash, String sessionId, PoolView pool,
      LastUsedClock clock, TtlStore store, Duration ttl, double maxCoolingShare) {
    this.maxCoolingShare = maxCoolingShare;
    this.ctx = ctx;
    this.stash = stash;
    this.sessionId = sessionId;
    this.storeKey = "session:" + sessionId;
    this.pool = pool;
    this.clock = clock;
    this.store = store;
    this.ttl = ttl;
  }

  /**
   * Started, the binding not read yet: it is read when the first request asks. Sharding starts an entity with
   * no message when its shard is placed ahead of requests ({@link SessionShardPlacement}); such an entity
   * reads nothing until a session of its id routes a request.
   */
  private Behavior<Command> unread() {
    return Behaviors.receive(Command.class)
        .onAnyMessage(msg -> {
          read();
          stash.stash(msg);
          return loading();
        })
        .build();
  }

  private void read() {
    ctx.pipeToSelf(store.get(storeKey), (value, failure) -> {
      if (failure != null) {
        // Runs on the store's thread: a plain logger, not the actor context.
        if (failingFast(failure)) {
          LOG.debug("session store failing fast, routing session {} afresh", sessionId);
        } else {
          LOG.warn("session store unavailable, routing session {} afresh: {}", sessionId, failure.toString());
        }
        return new Loaded(Optional.empty());
      }
      return new Loaded(value);
    });
  }

  private Behavior<Command> loading() {
    return Behaviors.receive(Command.class)
        .onMessage(Loaded.class, loaded -> stash.unstashAll(
            bound(loaded.accountId().orElse(null), 0, loaded.accountId().isPresent())))
        .onAnyMessage(msg -> {
          stash.stash(msg);
          return Behaviors.same();
        })
        .build();
  }

  /**
   * Serving; {@code accountId} may be null (no binding yet), {@code touchedAt} is the last TTL refresh, or
   * {@link #UNWRITTEN} while the store does not hold the binding (its write failed), so that the next
   * request writes it again; {@code stored} whether the store answered that it holds the binding.
   */
  private Behavior<Command> bound(String accountId, long touchedAt, boolean stored) {
    return Behaviors.receive(Command.class)
        .onMessage(Route.class, route -> onRoute(route, accountId, touchedAt, stored))
        .onMessage(Written.class, written -> !written.accountId().equals(accountId) ? Behaviors.same()
            : !written.ok() ? bound(accountId, UNWRITTEN, false)
            : stored ? Behaviors.same() : bound(accountId, touchedAt, true))
        .build();
  }

  private static final long UNWRITTEN = 0;

  private Behavior<Command> onRoute(Route route, String accountId, long touchedAt, boolean stored) {
    long now = System.currentTimeMillis();
    // The bound account stays while the scheduler would still consider it (eligible, not cooling, bound).
    List<PoolEntry> ranked = Scheduler.rank(pool.accounts(), route.demand(), route.excluded(), now, maxCoolingShare,
        clock::lastUsedAt);
    PaceBoard paces = pool.paces();
    if (accountId != null) {
      // ... unless the cluster saw it answer too slowly or fail too often and another account can serve.
      boolean eligible = ranked.stream().anyMatch(a -> a.id().equals(accountId));
      boolean keep = eligible
          && (!paces.lagging(accountId, now) || ranked.stream().allMatch(a -> paces.lagging(a.id(), now)));
      if (eligible && !keep) {
        LOG.info("session {} leaves account {}: {}", storeKey, accountId,
            PaceRule.describe(paces.summary(accountId, now)));
      }
      if (keep) {
        boolean refresh = now - touchedAt > ttl.toMillis() / 4;
        if (refresh) {
          // Refresh the expiry; a binding the store lost (or never got) is written again. Started before the
          // answer, as for a new binding: a write that fails at once is then known here before the caller's
          // next request can arrive, and that request writes it again.
          write(accountId, store.expire(storeKey, ttl).thenCompose(alive -> alive
              ? CompletableFuture.<Void>completedFuture(null)
              : store.set(storeKey, accountId, ttl)));
        }
        route.replyTo().tell(new Routed(accountId, false, stored));
        if (refresh) {
          return bound(accountId, now, stored);
        }
        return Behaviors.same();
      }
    }
    if (ranked.isEmpty()) {
      route.replyTo().tell(new NoAccount(Scheduler.whyNone(pool.accounts(), route.demand(), route.excluded(), now)));
      return Behaviors.same();
    }
    String chosen = Scheduler.preferBrisk(ranked, id -> paces.lagging(id, now)).get(0).id();
    write(chosen, store.set(storeKey, chosen, ttl));
    route.replyTo().tell(new Routed(chosen, accountId != null, false));
    return bound(chosen, now, false);
  }

  /** Tells this entity whether the write reached the store; a failed one is tried again on the next request. */
  private void write(String accountId, CompletionStage<Void> write) {
    ctx.pipeToSelf(write, (ok, failure) -> {
      // Runs on the store's thread: a plain logger, not the actor context.
      if (failure != null && !failingFast(failure)) {
        LOG.warn("session store write failed for {}: {}", storeKey, failure.toString());
      }
      return new Written(accountId, failure == null);
    });
  }

  /** A failure because the store's circuit is open: expected during an outage, and already logged once. */
  private static boolean failingFast(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CircuitBreakerOpenException) {
        return true;
      }
    }
    return false;
  }
}
