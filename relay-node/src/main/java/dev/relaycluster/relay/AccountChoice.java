package dev.relaycluster.relay;

import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.AccountReplicas;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.scheduling.Demand;
import dev.relaycluster.upstream.Platforms;
import dev.relaycluster.scheduling.LastUsedClock;
import dev.relaycluster.session.SessionEntity;
import dev.relaycluster.upstream.Platform;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Steps 5–6 of a request (ARCHITECTURE.md §1): the session's bound account or the scheduler's pick,
 * then a lease on it from its entity (with its credentials, refreshed if due). An account that refuses
 * the lease or does not answer is passed over like a busy one, up to the attempt limit.
 *
 * <p>An account without a concurrency limit whose definition this node was granted before and that has
 * not changed since ({@link AccountReplicas}) is taken without asking: no lease, nothing to release; its
 * entity hears "used at" at most every few seconds instead.
 */
final class AccountChoice {

  /** What {@link #choose} found. */
  sealed interface Result permits Chosen, NoneLeft {}

  /**
   * A leased account, on the attempt that leased it; {@code fromReplica}: taken from this node's replica,
   * with no lease (nothing to release).
   */
  record Chosen(Attempt attempt, EntityRef<AccountEntity.Command> ref, AccountEntity.Granted granted,
      boolean fromReplica) implements Result {}

  /** No account could be had after {@code attempts} tries, and why. */
  record NoneLeft(Attempt attempt, int attempts, String reason) implements Result {}

  private final ClusterSharding sharding;
  private final PoolView pool;
  private final LastUsedClock clock;
  private final RelaySettings settings;
  private final ActorRef<LeaseHolder.Command> leaseHolder;
  private final SessionRouting routing;
  private final AccountReplicas replicas;
  private final CredentialVault vault;

  AccountChoice(ActorSystem<?> system, PoolView pool, LastUsedClock clock, RelaySettings settings,
      ActorRef<LeaseHolder.Command> leaseHolder, CredentialVault vault) {
    this.sharding = ClusterSharding.get(system);
    this.pool = pool;
    this.clock = clock;
    this.settings = settings;
    this.leaseHolder = leaseHolder;
    this.routing = new SessionRouting(system, pool, clock, settings);
    this.replicas = AccountReplicas.get(system);
    this.vault = vault;
  }

  CompletionStage<Result> choose(Attempt attempt) {
    RouteTrace trace = attempt.trace();
    Demand demand = demand(attempt.call());
    trace.routing(attempt.number(), pool.snapshot(), demand, attempt.excluded());
    return routing.route(attempt).thenCompose(routed -> {
      if (routed instanceof SessionEntity.NoAccount none) {
        trace.routed("none: " + none.reason(), null);
        return CompletableFuture.completedFuture(new NoneLeft(attempt, attempt.number() - 1, none.reason()));
      }
      String accountId = ((SessionEntity.Routed) routed).accountId();
      EntityRef<AccountEntity.Command> account = ref(accountId);
      long now = System.currentTimeMillis();
      AccountDefinition kept = replicas.take(pool, accountId, demand.modelFamily(), now);
      if (kept != null) {
        trace.lease("granted (replica)");
        clock.markUsed(accountId, now);
        if (replicas.usedTellDue(accountId, now)) {
          account.tell(new AccountEntity.Used(now));
        }
        return CompletableFuture.completedFuture(
            new Chosen(attempt, account, new AccountEntity.Granted(null, kept, 0), true));
      }
      return acquire(accountId, attempt.accountLease(), demand.family())
          .thenCompose(acquired -> {
            if (acquired instanceof AccountEntity.Unavailable unavailable) {
              trace.lease("refused: " + unavailable.reason());
              if (!FailoverPolicy.mayTryAnother(attempt.number(), settings.upstream().maxAccountAttempts())) {
                return CompletableFuture.completedFuture(new NoneLeft(attempt, attempt.number(),
                    "no account could take the request after " + attempt.number() + " attempts (last: "
                        + unavailable.reason() + ")"));
              }
              return choose(attempt.next(accountId, null));
            }
            trace.lease("granted");
            clock.markUsed(accountId, System.currentTimeMillis());
            return CompletableFuture.completedFuture(
                new Chosen(attempt, account, (AccountEntity.Granted) acquired, false));
          });
    });
  }

  /**
   * A lease on one account, for a request routed for model {@code family} (null: a pinned socket's turn, not
   * routed by cooldowns). An account whose entity does not answer (its node just died) is Unavailable
   * like a busy one, and told to drop the lease in case it granted it after all. A grant is kept in this
   * node's replica; a refusal drops the account from it.
   */
  CompletionStage<AccountEntity.AcquireReply> acquire(String accountId, String lease, String family) {
    EntityRef<AccountEntity.Command> account = ref(accountId);
    return account.<AccountEntity.AcquireReply>ask(r -> new AccountEntity.Acquire(lease, leaseHolder, r, family),
            acquireTimeout(accountId))
        .exceptionally(t -> {
          account.tell(new AccountEntity.Release(lease));
          return new AccountEntity.Unavailable("account did not answer in time");
        })
        .thenApply(reply -> {
          if (reply instanceof AccountEntity.Granted granted) {
            replicas.keep(granted, vault, settings.accounts().refreshAhead().toMillis());
          } else {
            replicas.drop(accountId);
          }
          return reply;
        });
  }

  /** Upstream refused the account (its credentials, or the request it was given): the next request asks its entity. */
  void forgetReplica(String accountId) {
    replicas.drop(accountId);
  }

  /** What an error event inside a started stream says about its account, if anything, told to the account. */
  void reportStreamError(String accountId, Platform platform, UsageTap tap, String model) {
    if (tap.errorType() == null) {
      return;
    }
    AnswerVerdict verdict = platform.classifyStreamError(tap.errorType(), tap.errorJson(), System.currentTimeMillis());
    if (verdict != null) {
      ref(accountId).tell(AccountEntity.Report.of(null, verdict, false, platform.modelFamily(model)));
    }
  }

  /**
   * Tells the account a stream error's verdict that moves the request elsewhere; the account is no longer taken
   * from the node's replica (the next request asks its entity, which has the verdict first).
   */
  void reportFailover(String accountId, Platform platform, AnswerVerdict verdict, String model) {
    ref(accountId).tell(AccountEntity.Report.of(null, verdict, false, platform.modelFamily(model)));
    forgetReplica(accountId);
  }

  EntityRef<AccountEntity.Command> ref(String accountId) {
    return sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, accountId);
  }

  /** The hop to an OAuth account may wait for a token refresh inside its entity. */
  Duration acquireTimeout(String accountId) {
    boolean oauth = pool.find(accountId).map(a -> a.type().oauth()).orElse(false);
    return oauth ? refreshTimeout() : settings.http().askTimeout();
  }

  Duration refreshTimeout() {
    return settings.http().askTimeout().plus(settings.accounts().oauth().timeout());
  }

  static Demand demand(RelayCall call) {
    String model = call.targetModel();
    return new Demand(call.pool(), model, call.key().binding(call.pool()),
        Platforms.standard().modelFamily(call.pool(), model));
  }
}
