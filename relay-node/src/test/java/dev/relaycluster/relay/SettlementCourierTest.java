package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.apikey.LeaseUsage;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.junit.jupiter.api.Test;

class SettlementCourierTest {
  /** One message the courier sent, answered by the test. */
  private record Sent(String keyId, List<String> leases, CompletableFuture<Done> answer) {}

  private final List<Sent> sent = new ArrayList<>();
  private final SettlementCourier courier = new SettlementCourier((keyId, usage) -> {
    Sent s = new Sent(keyId, usage.stream().map(LeaseUsage::leaseId).toList(), new CompletableFuture<>());
    synchronized (sent) {
      sent.add(s);
    }
    return s.answer();
  });

  private static UsageRecord record(String requestId) {
    return new UsageRecord(requestId, "k", "acc-1", "claude", "/v1/messages", "claude-sonnet-4-5",
        "claude-sonnet-4-5-20250929", false, 1, 1, 0, 0, 0, 1, 1, 0, 0, 2, 2, "test", false, 200,
        RequestOutcome.COMPLETED, null, 1_000L, 20L, 10L, 1, null, "test-agent", "unknown", null);
  }

  private CompletableFuture<Done> deliver(String key, String lease) {
    return courier.deliver(key, lease, record(lease)).toCompletableFuture();
  }

  @Test
  void theFirstGoesAloneAndThoseThatEndWhileItIsOutGoTogetherAfterIt() {
    CompletableFuture<Done> a = deliver("k", "a");
    assertEquals(1, sent.size());
    assertEquals(List.of("a"), sent.get(0).leases());
    CompletableFuture<Done> b = deliver("k", "b");
    CompletableFuture<Done> c = deliver("k", "c");
    assertEquals(1, sent.size(), "nothing more goes while the key's message is out");
    assertFalse(a.isDone());

    sent.get(0).answer().complete(Done.getInstance());
    assertTrue(a.isDone() && !a.isCompletedExceptionally());
    assertFalse(b.isDone());
    assertEquals(2, sent.size());
    assertEquals(List.of("b", "c"), sent.get(1).leases());

    sent.get(1).answer().complete(Done.getInstance());
    assertTrue(b.isDone() && c.isDone() && !b.isCompletedExceptionally() && !c.isCompletedExceptionally());
    assertEquals(2, sent.size(), "nothing left to send");

    deliver("k", "d");
    assertEquals(3, sent.size(), "an idle key's settlement goes at once");
    assertEquals(List.of("d"), sent.get(2).leases());
  }

  @Test
  void keysDoNotWaitForEachOther() {
    deliver("k1", "a");
    deliver("k1", "b");
    deliver("k2", "x");
    assertEquals(2, sent.size());
    assertEquals("k2", sent.get(1).keyId());
    assertEquals(List.of("x"), sent.get(1).leases());
  }

  @Test
  void aFailedMessageFailsWhatWaitedBehindItAndTheKeyGoesOn() {
    CompletableFuture<Done> a = deliver("k", "a");
    CompletableFuture<Done> b = deliver("k", "b");
    CompletableFuture<Done> c = deliver("k", "c");
    sent.get(0).answer().completeExceptionally(new TimeoutException("the entity did not answer"));
    for (CompletableFuture<Done> f : List.of(a, b, c)) {
      assertTrue(f.isCompletedExceptionally(), "each goes to the spool now, not one ask timeout later");
    }
    assertEquals(1, sent.size(), "what waited was not sent to the entity that did not answer");

    CompletableFuture<Done> d = deliver("k", "d");
    assertEquals(2, sent.size());
    assertEquals(List.of("d"), sent.get(1).leases());
    sent.get(1).answer().complete(Done.getInstance());
    assertTrue(d.isDone() && !d.isCompletedExceptionally());
  }

  @Test
  void aSendThatThrowsFailsItsSettlementsAndFreesTheKey() {
    AtomicInteger calls = new AtomicInteger();
    SettlementCourier throwing = new SettlementCourier((keyId, usage) -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("sharding not started");
      }
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    assertTrue(throwing.deliver("k", "a", record("a")).toCompletableFuture().isCompletedExceptionally());
    CompletableFuture<Done> b = throwing.deliver("k", "b", record("b")).toCompletableFuture();
    assertTrue(b.isDone() && !b.isCompletedExceptionally());
  }

  @Test
  void atMostMaxBatchAMessage() {
    deliver("k", "first");
    int waiting = SettlementCourier.MAX_BATCH * 2 + 50;
    for (int i = 0; i < waiting; i++) {
      deliver("k", "w" + i);
    }
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sent.get(i).answer().complete(Done.getInstance());
      if (i + 1 < sent.size()) {
        sizes.add(sent.get(i + 1).leases().size());
      }
    }
    assertEquals(List.of(SettlementCourier.MAX_BATCH, SettlementCourier.MAX_BATCH, 50), sizes);
    assertEquals(4, sent.size());
    assertEquals("w0", sent.get(1).leases().get(0), "in the order they ended");
  }

  @Test
  void fromManyThreadsEachSettlementIsSentOnceAndAnsweredOnceWithOneMessageOutPerKey() throws Exception {
    ConcurrentHashMap<String, AtomicInteger> out = new ConcurrentHashMap<>();
    Set<String> carried = ConcurrentHashMap.newKeySet();
    AtomicInteger twice = new AtomicInteger();
    AtomicInteger overlapping = new AtomicInteger();
    ExecutorService answering = Executors.newFixedThreadPool(2);
    SettlementCourier concurrent = new SettlementCourier((keyId, usage) -> {
      if (out.computeIfAbsent(keyId, k -> new AtomicInteger()).incrementAndGet() > 1) {
        overlapping.incrementAndGet();
      }
      for (LeaseUsage u : usage) {
        if (!carried.add(u.leaseId())) {
          twice.incrementAndGet();
        }
      }
      return CompletableFuture.supplyAsync(() -> {
        out.get(keyId).decrementAndGet();
        return Done.getInstance();
      }, answering);
    });
    int threads = 4;
    int each = 2_000;
    ExecutorService ending = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Done>> all = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      int thread = t;
      ending.execute(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        for (int i = 0; i < each; i++) {
          String lease = thread + "-" + i;
          CompletionStage<Done> d = concurrent.deliver("key-" + (i % 3), lease, record(lease));
          all.add(d.toCompletableFuture());
        }
      });
    }
    start.countDown();
    ending.shutdown();
    assertTrue(ending.awaitTermination(30, TimeUnit.SECONDS));
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    answering.shutdown();
    assertEquals(threads * each, all.size());
    assertEquals(threads * each, carried.size(), "every settlement carried");
    assertEquals(0, twice.get(), "none carried twice");
    assertEquals(0, overlapping.get(), "never two messages of one key out at once");
    Set<String> keys = new HashSet<>(out.keySet());
    assertEquals(Set.of("key-0", "key-1", "key-2"), keys);
  }
}
