package dev.relaycluster.relay;

import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.apikey.Admission;
import dev.relaycluster.apikey.AdmissionMode;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.apikey.BudgetLease;
import dev.relaycluster.apikey.KeyBudgets;
import dev.relaycluster.apikey.KeyShares;
import dev.relaycluster.apikey.Refusal;
import dev.relaycluster.apikey.RequestFacts;
import dev.relaycluster.apikey.StaticPolicy;
import dev.relaycluster.cluster.LeaseBook;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.cluster.NodeDrain;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.metrics.RelayMetrics;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.scheduling.LastUsedClock;
import dev.relaycluster.store.StorageOutages;
import dev.relaycluster.upstream.Platforms;
import dev.relaycluster.upstream.UpstreamClient;
import dev.relaycluster.upstream.UpstreamFailures;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path of ARCHITECTURE.md §1 from the static policy on, for every dialect and platform:
 * check the key's policy on this node's replica, admit on the key's entity, then let {@link Failover}
 * route, acquire and call upstream, and settle usage and leases exactly once however the request ends.
 * Answers a {@link RelayAnswer} that the HTTP routes (or the WebSocket route) render in the client's
 * dialect; never a failed stage.
 */
public final class RelayFlow {
  private static final Logger log = LoggerFactory.getLogger(RelayFlow.class);
  /** Carried by every answer to an admitted request: the id its usage record is filed under. */
  public static final String REQUEST_ID_HEADER = "x-relay-request-id";

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final UsageRecords usageRecords;
  private final RelaySettings settings;
  private final ActorRef<LeaseHolder.Command> leaseHolder;
  private final LeaseBook leaseBook;
  private final NodeDrain drain;
  private final Failover failover;
  private final UsageRedelivery redelivery;
  private final TraceBook traces;
  private final SettledRequests settled;
  private final RelayOverhead overhead;
  /** This node's shares of the concurrency of keys with a concurrency limit. */
  private final KeyShares shares;
  /** This node's shares of the allowance of keys with a rate window or a cost limit. */
  private final KeyBudgets budgets;

  public RelayFlow(ActorSystem<?> system, PoolView pool, LastUsedClock clock, CredentialVault vault,
      UpstreamClient upstream, UsageRecords usageRecords, RelaySettings settings,
      ActorRef<LeaseHolder.Command> leaseHolder, LeaseBook leaseBook, Platforms platforms, TraceBook traces,
      Conversions conversions, dev.relaycluster.store.TtlStore replayStore) {
    this.traces = traces;
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.usageRecords = usageRecords;
    this.settings = settings;
    this.leaseHolder = leaseHolder;
    this.leaseBook = leaseBook;
    this.drain = NodeDrain.get(system);
    this.redelivery = UsageRedelivery.get(system);
    this.failover = new Failover(system, pool, clock, vault, upstream, usageRecords, settings, leaseHolder, platforms,
        new TargetPlanner(conversions, new ReplayNotes(replayStore)));
    RelayMetrics metrics = RelayMetrics.get(system);
    this.settled = new SettledRequests(metrics, pool);
    this.overhead = new RelayOverhead(metrics);
    this.shares = KeyShares.start(system, leaseHolder, leaseBook, settings.http().askTimeout());
    this.budgets = KeyBudgets.start(system, leaseHolder, leaseBook, settings.http().askTimeout());
  }

  /** Relays one call; {@code facts} are what the key's policy and limits judge the request by. */
  public CompletionStage<RelayAnswer> relay(RelayCall call, RequestFacts facts) {
    long startedNanos = System.nanoTime();
    HttpHeader requestId = RawHeader.create(REQUEST_ID_HEADER, call.requestId());
    RouteTrace trace = traces.start(call);
    return admit(call, facts, trace).thenCompose(admitted -> {
      if (admitted.refused() != null) {
        trace.refused(admitted.refused().kind().status(), admitted.refused().message());
        // A request that was never admitted has no record to name.
        return CompletableFuture.completedFuture(overhead.stamp(admitted.named()
            ? admitted.refused().withHeader(requestId) : admitted.refused(), call, startedNanos, 0));
      }
      Settlement settlement = admitted.settlement();
      trace.admitted();
      settlement.traced(trace);
      Attempt first = Attempt.first(call, settlement, trace);
      return failover.attempt(first).exceptionally(failure -> {
        log.error("request {} failed inside the relay", call.requestId(), UpstreamFailures.unwrap(failure));
        settlement.settle(usageRecords.record(call, null, 1, null, TokenUsage.ZERO, 500,
            RequestOutcome.UPSTREAM_FAILED, call.dialect().errorType(ErrorKind.API_ERROR), 0));
        return new RelayAnswer.Refused(ErrorKind.API_ERROR, "internal relay error (request " + call.requestId() + ")");
      }).thenApply(answer -> overhead.stamp(retryable(answer).withHeader(requestId), call, startedNanos,
          first.upstreamWait().nanos()));
    });
  }

  /**
   * A 503 the relay answers itself (no account could take the request, as when the accounts' entities
   * cannot reach their journal) tells the client when to try again, like every outage answer.
   */
  private static RelayAnswer retryable(RelayAnswer answer) {
    if (answer instanceof RelayAnswer.Refused r && r.kind() == ErrorKind.OVERLOADED && r.retryAfterSeconds() <= 0) {
      return new RelayAnswer.Refused(r.kind(), r.message(), StorageOutages.RETRY_AFTER_SECONDS, r.headers());
    }
    return answer;
  }

  /**
   * Steps 3–4: the key's static policy on this node's replica (no hop), then admission: on this node for a
   * key with no limit to check ({@link AdmissionMode#LOCAL}), on a free slot of the node's share of a key's
   * concurrency ({@link KeyShares}) and on the node's share of a key's rate window and cost limits
   * ({@link KeyBudgets}) for a key that has them, else on the key's entity. Admitted: the request's
   * {@link Settlement} (the node counts it in flight until it settles).
   * Refused: the refusal, already recorded in the key's ledger. Never a failed stage.
   */
  public CompletionStage<Admitted> admit(RelayCall call, RequestFacts facts) {
    return admit(call, facts, RouteTrace.OFF);
  }

  /** {@link #admit(RelayCall, RequestFacts)}, with the trace whose short form the request's log line shows. */
  private CompletionStage<Admitted> admit(RelayCall call, RequestFacts facts, RouteTrace trace) {
    EntityRef<ApiKeyEntity.Command> key = sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, call.key().id());
    drain.started();
    Optional<Admission.Refuse> policy = StaticPolicy.check(call.key(), facts, System.currentTimeMillis());
    if (policy.isPresent()) {
      Admission.Refuse r = policy.get();
      return CompletableFuture.completedFuture(Admitted.refused(
          refusal(call, key, new ApiKeyEntity.Refused(r.refusal(), r.message(), r.retryAfterSeconds(), r.resetAt()),
              trace)));
    }
    AdmissionMode mode = AdmissionMode.of(call.key());
    // A key with no limit to check: no ask.
    if (mode == AdmissionMode.LOCAL) {
      return CompletableFuture.completedFuture(onNode(call, key, null, null, trace));
    }
    // Room on this node's share of the key's allowance (or on one its ask for more brought): no ask.
    if (mode == AdmissionMode.BUDGET) {
      return budgets.acquire(call.key(), facts).thenCompose(ticket -> ticket == null
          ? askEntity(call, facts, key, trace) : withSlot(call, facts, key, ticket, trace));
    }
    return withSlot(call, facts, key, null, trace);
  }

  /**
   * A free slot of this node's share of the key's concurrency (or one its ask for more brought), when the key
   * has a concurrency limit: no ask. Without one, the request asks the entity (giving back its ticket).
   */
  private CompletionStage<Admitted> withSlot(RelayCall call, RequestFacts facts, EntityRef<ApiKeyEntity.Command> key,
      KeyBudgets.Ticket ticket, RouteTrace trace) {
    if (ticket != null && !AdmissionMode.sharesSlots(call.key())) {
      return CompletableFuture.completedFuture(onNode(call, key, null, ticket, trace));
    }
    return shares.acquire(call.key()).thenCompose(slot -> {
      if (slot != null) {
        return CompletableFuture.completedFuture(onNode(call, key, slot, ticket, trace));
      }
      if (ticket != null) {
        budgets.cancel(ticket);
      }
      return askEntity(call, facts, key, trace);
    });
  }

  /** Admission on the key's entity: its lease, rate window and cost reservation. */
  private CompletionStage<Admitted> askEntity(RelayCall call, RequestFacts facts, EntityRef<ApiKeyEntity.Command> key,
      RouteTrace trace) {
    // The key lease is named after the request, so that it can be released even if this ask times out.
    String keyLease = call.requestId();
    return key.<ApiKeyEntity.AdmitReply>ask(r -> new ApiKeyEntity.Admit(keyLease, leaseHolder, facts, r),
            settings.http().askTimeout())
        .thenApply(reply -> {
          if (reply instanceof ApiKeyEntity.Refused refused) {
            // The slots granted to this node's share meanwhile count in the refusal: use one if it is free (with
            // room on the node's share of the key's allowance, for a key that has one).
            String granted = refused.refusal() == Refusal.CONCURRENCY ? shares.takeFree(call.key()) : null;
            KeyBudgets.Ticket ticket = null;
            if (granted != null && AdmissionMode.of(call.key()) == AdmissionMode.BUDGET) {
              ticket = budgets.takeNow(call.key(), facts);
              if (ticket == null) {
                shares.giveBack(call.key().id(), granted);
                granted = null;
              }
            }
            return granted != null ? onNode(call, key, granted, ticket, trace)
                : Admitted.refused(refusal(call, key, refused, trace));
          }
          return new Admitted(settlement(call, key, ((ApiKeyEntity.Admitted) reply).leaseId(), trace), null, true);
        })
        .exceptionally(failure -> {
          // In case the entity granted the lease after all, once the ask had given up.
          key.tell(new ApiKeyEntity.Release(keyLease));
          log.warn("request {} could not be admitted: {}", call.requestId(), UpstreamFailures.unwrap(failure).toString());
          return Admitted.refused(unavailable(call, key, trace));
        });
  }

  /**
   * A request admitted on this node, on a slot of its share of the key's concurrency ({@code slot}) and on its
   * share of the key's allowance ({@code ticket}), each given back when it settles, or, with neither, for a
   * key with no limit to check: no lease on the key's entity.
   */
  private Admitted onNode(RelayCall call, EntityRef<ApiKeyEntity.Command> key, String slot, KeyBudgets.Ticket ticket,
      RouteTrace trace) {
    String keyId = call.key().id();
    Consumer<UsageRecord> ended = usage -> {
      if (slot != null) {
        shares.giveBack(keyId, slot);
      }
      if (ticket != null) {
        budgets.end(ticket, usage);
      }
    };
    Runnable recorded = ticket == null ? drain::finished : () -> {
      drain.finished();
      budgets.recorded(ticket);
    };
    // On a budget share, the request settles under its id and the share's: the share is spent as it is counted.
    String settleId = ticket == null ? call.requestId() : BudgetLease.settleId(call.requestId(), ticket.shareId());
    return new Admitted(Settlement.withoutKeyLease(key, settleId, ended, leaseBook, redelivery,
        recorded, usage -> settled(call, usage, trace)), null, true);
  }

  /**
   * The key's entity did not answer in time (its journal is down, or its node is gone): 503 with
   * {@code retry-after}. The refusal is part of the key's ledger like any other: its record is settled
   * through the same retrying path as every usage record, so it lands once the entity answers again
   * (the settlement releases nothing the entity does not hold).
   */
  private RelayAnswer.Refused unavailable(RelayCall call, EntityRef<ApiKeyEntity.Command> key, RouteTrace trace) {
    settlement(call, key, call.requestId(), trace).settle(usageRecords.record(call, null, 0, null, TokenUsage.ZERO,
        ErrorKind.OVERLOADED.status(), RequestOutcome.REFUSED, call.dialect().errorType(ErrorKind.OVERLOADED), 0));
    return new RelayAnswer.Refused(ErrorKind.OVERLOADED,
        "the relay could not admit the request in time; retry shortly",
        StorageOutages.RETRY_AFTER_SECONDS, List.of());
  }

  /**
   * The outcome of {@link #admit}: a settlement to settle exactly once, or the refusal. {@code named}: the
   * request id names a record in the key's ledger (or an admitted request), so answers may carry it.
   */
  public record Admitted(Settlement settlement, RelayAnswer.Refused refused, boolean named) {
    static Admitted refused(RelayAnswer.Refused refused) {
      return new Admitted(null, refused, true);
    }
  }

  private Settlement settlement(RelayCall call, EntityRef<ApiKeyEntity.Command> key, String leaseId,
      RouteTrace trace) {
    return new Settlement(key, leaseId, leaseBook, redelivery, drain::finished, usage -> settled(call, usage, trace));
  }

  private void settled(RelayCall call, UsageRecord usage, RouteTrace trace) {
    settled.settled(call, usage);
    RequestLines.finished(call, usage, trace.shortForm());
  }

  /**
   * A refusal by the key: 429 + retry-after for windows and concurrency, 402 with the reset time for cost
   * limits, 403 for policy rules, 401 for keys that cannot be used. A refusal of a known key is part of
   * its ledger: recorded once by request id, with no tokens.
   */
  private RelayAnswer.Refused refusal(RelayCall call, EntityRef<ApiKeyEntity.Command> key, ApiKeyEntity.Refused refused,
      RouteTrace trace) {
    int status = refused.refusal().status();
    ErrorKind kind = ErrorKind.forStatus(status);
    if (refused.refusal() == Refusal.UNKNOWN_KEY) {
      drain.finished();
    } else {
      settlement(call, key, call.requestId(), trace).settle(usageRecords.record(call, null, 0, null, TokenUsage.ZERO,
          status, RequestOutcome.REFUSED, call.dialect().errorType(kind), 0));
    }
    List<HttpHeader> headers = refused.resetAt() > 0
        ? List.of(RawHeader.create("x-relay-limit-reset", Instant.ofEpochMilli(refused.resetAt()).toString()))
        : List.of();
    return new RelayAnswer.Refused(kind, refused.message(), Math.max(0, refused.retryAfterSeconds()), headers);
  }
}
