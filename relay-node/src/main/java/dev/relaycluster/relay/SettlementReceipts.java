package dev.relaycluster.relay;

import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.apikey.SettleReceipts;
import dev.relaycluster.usage.UsageRecord;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Delivers usage to key entities without an ask per request: each settlement is told to its key's entity at
 * once with a receipt (a number unique on this node) and this node's receipts actor to answer. The entity
 * answers once its usage is in the journal, with the receipts of every settlement from this node that the same
 * write took ({@link SettleReceipts}), and each one's delivery completes. One sweep every tenth of the timeout
 * fails the deliveries still unanswered after the timeout (their records then go to the usage spool, as a
 * timed-out ask's did); an answer that comes after that changes nothing (the spool's re-send is counted once).
 * So a request costs a map entry instead of a temporary actor and a scheduled timer, and a busy key answers a
 * node with one message a write instead of one a request.
 */
final class SettlementReceipts implements UsageDelivery {
  /** How a settlement is told to its key's entity (sharding here; tests stand in an entity that drops it). */
  @FunctionalInterface
  interface Teller {
    void tell(String keyId, ApiKeyEntity.Settle settle);
  }

  private record Waiting(CompletableFuture<Done> delivered, long deadlineNanos) {}

  private static final AtomicLong INSTANCES = new AtomicLong();

  private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
  private final AtomicLong receipts = new AtomicLong();
  private final long timeoutNanos;
  private final Duration timeout;
  private final Teller teller;
  private final ActorRef<SettleReceipts> answers;
  /**
   * Where an entity that predates receipts (a node not yet upgraded, in a rolling upgrade) sends its {@code Done}:
   * an actor that drops it. Such an entity still writes the usage; its delivery here times out and the spool
   * sends it again (counted once) until an upgraded node's entity answers with the receipt.
   */
  private final ActorRef<Done> unnamedAnswers;

  /** Tells the key entities through cluster sharding. */
  static SettlementReceipts viaSharding(ActorSystem<?> system, Duration timeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return new SettlementReceipts(system, timeout,
        (keyId, settle) -> sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, keyId).tell(settle));
  }

  SettlementReceipts(ActorSystem<?> system, Duration timeout, Teller teller) {
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.teller = teller;
    long instance = INSTANCES.incrementAndGet();
    this.answers = system.systemActorOf(behavior(), "settlement-receipts-" + instance, Props.empty());
    this.unnamedAnswers = system.systemActorOf(Behaviors.ignore(), "settlement-acks-" + instance, Props.empty());
    Duration sweep = Duration.ofMillis(Math.max(10, Math.min(500, timeout.toMillis() / 10)));
    system.scheduler().scheduleWithFixedDelay(sweep, sweep, this::sweep, system.executionContext());
  }

  @Override
  public CompletionStage<Done> deliver(String keyId, String leaseId, UsageRecord usage) {
    long receipt = receipts.incrementAndGet();
    CompletableFuture<Done> delivered = new CompletableFuture<>();
    waiting.put(receipt, new Waiting(delivered, System.nanoTime() + timeoutNanos));
    try {
      teller.tell(keyId, new ApiKeyEntity.Settle(leaseId, usage, unnamedAnswers, receipt, answers));
    } catch (RuntimeException e) {
      waiting.remove(receipt);
      delivered.completeExceptionally(e);
    }
    return delivered;
  }

  /** How many deliveries wait for their entity's answer. */
  int waiting() {
    return waiting.size();
  }

  private Behavior<SettleReceipts> behavior() {
    return Behaviors.receive(SettleReceipts.class)
        .onMessage(SettleReceipts.class, answer -> {
          for (long receipt : answer.receipts()) {
            Waiting w = waiting.remove(receipt);
            if (w != null) {
              w.delivered.complete(Done.getInstance());
            }
          }
          return Behaviors.same();
        })
        .build();
  }

  /** Fails the deliveries whose entity did not answer within the timeout. */
  private void sweep() {
    long now = System.nanoTime();
    for (Map.Entry<Long, Waiting> e : waiting.entrySet()) {
      Waiting w = e.getValue();
      if (now - w.deadlineNanos >= 0 && waiting.remove(e.getKey(), w)) {
        w.delivered.completeExceptionally(new TimeoutException(
            "the key's entity did not take the usage within " + timeout.toMillis() + " ms"));
      }
    }
  }
}
