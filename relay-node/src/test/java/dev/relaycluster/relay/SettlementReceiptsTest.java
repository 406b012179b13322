package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.apikey.SettleReceipts;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's side of settlements told with receipts: a delivery completes when its receipt comes back, not
 * before and not on another's; one that no answer names fails after the timeout, and an answer after that
 * changes nothing; a tell that throws fails its delivery at once.
 */
class SettlementReceiptsTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("SettlementReceiptsTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static UsageRecord usage(String requestId) {
    return new UsageRecord(requestId, "key-1", "acc-1", "claude", "/v1/messages", "claude-sonnet-4-5",
        "claude-sonnet-4-5-20250929", false, 100, 20, 0, 0, 0, 500, 500, 0, 0, 1_000, 1_000, "test", false, 200,
        RequestOutcome.COMPLETED, null, 1_000L, 20L, 10L, 1, null, "test-agent", "unknown", null);
  }

  /** Stands for the key entities: keeps what it is told, and answers when the test says so. */
  private static final class Entities implements SettlementReceipts.Teller {
    final ConcurrentLinkedQueue<ApiKeyEntity.Settle> told = new ConcurrentLinkedQueue<>();

    @Override
    public void tell(String keyId, ApiKeyEntity.Settle settle) {
      told.add(settle);
    }

    void answer(List<ApiKeyEntity.Settle> settled) {
      long[] receipts = settled.stream().mapToLong(ApiKeyEntity.Settle::receipt).toArray();
      settled.get(0).receipts().tell(new SettleReceipts(receipts));
    }
  }

  @Test
  void aDeliveryCompletesWhenItsReceiptComesBack() throws Exception {
    Entities entities = new Entities();
    SettlementReceipts receipts = new SettlementReceipts(testKit.system(), Duration.ofSeconds(30), entities);
    CompletableFuture<Done> first = receipts.deliver("key-1", "lease-1", usage("r-1")).toCompletableFuture();
    CompletableFuture<Done> second = receipts.deliver("key-1", "lease-2", usage("r-2")).toCompletableFuture();
    CompletableFuture<Done> third = receipts.deliver("key-2", "lease-3", usage("r-3")).toCompletableFuture();
    List<ApiKeyEntity.Settle> told = List.copyOf(entities.told);
    assertEquals(3, told.size());
    assertEquals(List.of("lease-1", "lease-2", "lease-3"), told.stream().map(ApiKeyEntity.Settle::leaseId).toList());
    assertEquals("r-2", told.get(1).usage().requestId());
    assertTrue(told.stream().allMatch(s -> s.replyTo() != null && s.receipts() != null));
    assertEquals(3, told.stream().mapToLong(ApiKeyEntity.Settle::receipt).distinct().count(), "receipts are unique");

    // One answer naming the first and the third (one write of theirs); the second still waits.
    entities.answer(List.of(told.get(0), told.get(2)));
    assertSame(Done.getInstance(), first.get(5, TimeUnit.SECONDS));
    assertSame(Done.getInstance(), third.get(5, TimeUnit.SECONDS));
    assertFalse(second.isDone());
    assertEquals(1, receipts.waiting());
    // A bare Done (what an entity from before receipts answers) names no delivery: the second still waits.
    told.get(1).replyTo().tell(Done.getInstance());
    Thread.sleep(200);
    assertFalse(second.isDone());
    // An answer naming receipts that wait no more (answered already) changes nothing.
    entities.answer(List.of(told.get(0)));
    entities.answer(List.of(told.get(1)));
    assertSame(Done.getInstance(), second.get(5, TimeUnit.SECONDS));
    assertEquals(0, receipts.waiting());
  }

  @Test
  void aDeliveryNoAnswerNamesFailsAfterTheTimeoutAndALateAnswerChangesNothing() throws Exception {
    Entities entities = new Entities();
    SettlementReceipts receipts = new SettlementReceipts(testKit.system(), Duration.ofMillis(300), entities);
    long sent = System.nanoTime();
    CompletableFuture<Done> lost = receipts.deliver("key-1", "lease-1", usage("r-1")).toCompletableFuture();
    ExecutionException failed = assertThrows(ExecutionException.class, () -> lost.get(5, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - sent >= Duration.ofMillis(300).toNanos(), "not before the timeout");
    assertInstanceOf(TimeoutException.class, failed.getCause());
    assertEquals(0, receipts.waiting());
    entities.answer(List.copyOf(entities.told));
    CompletableFuture<Done> next = receipts.deliver("key-1", "lease-2", usage("r-2")).toCompletableFuture();
    entities.answer(List.of(List.copyOf(entities.told).get(1)));
    assertSame(Done.getInstance(), next.get(5, TimeUnit.SECONDS));
    assertTrue(lost.isCompletedExceptionally(), "the late answer did not complete it");
  }

  @Test
  void aTellThatThrowsFailsItsDeliveryAtOnce() {
    SettlementReceipts receipts = new SettlementReceipts(testKit.system(), Duration.ofSeconds(30), (key, settle) -> {
      throw new IllegalStateException("sharding is not started");
    });
    CompletableFuture<Done> delivery = receipts.deliver("key-1", "lease-1", usage("r-1")).toCompletableFuture();
    assertTrue(delivery.isCompletedExceptionally());
    assertEquals(0, receipts.waiting());
  }
}
