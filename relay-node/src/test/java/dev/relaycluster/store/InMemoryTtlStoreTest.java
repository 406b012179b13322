package dev.relaycluster.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryTtlStoreTest {
  private final AtomicLong now = new AtomicLong(1_000_000L);
  private final InMemoryTtlStore store = new InMemoryTtlStore(now::get);

  @AfterEach
  void close() {
    store.close();
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void getReturnsTheValueUntilItExpires() {
    await(store.set("k", "v", Duration.ofMillis(1000)));
    assertEquals(Optional.of("v"), await(store.get("k")));
    now.addAndGet(999);
    assertEquals(Optional.of("v"), await(store.get("k")));
    now.addAndGet(1);
    assertEquals(Optional.empty(), await(store.get("k")));
  }

  @Test
  void getOfAMissingKeyIsEmpty() {
    assertEquals(Optional.empty(), await(store.get("missing")));
  }

  @Test
  void setReplacesValueAndExpiry() {
    await(store.set("k", "v1", Duration.ofMillis(100)));
    now.addAndGet(50);
    await(store.set("k", "v2", Duration.ofMillis(100)));
    now.addAndGet(99);
    assertEquals(Optional.of("v2"), await(store.get("k")));
    now.addAndGet(1);
    assertEquals(Optional.empty(), await(store.get("k")));
  }

  @Test
  void expireExtendsFromNow() {
    await(store.set("k", "v", Duration.ofMillis(1000)));
    now.addAndGet(900);
    assertTrue(await(store.expire("k", Duration.ofMillis(1000))));
    now.addAndGet(999);
    assertEquals(Optional.of("v"), await(store.get("k")));
    now.addAndGet(1);
    assertEquals(Optional.empty(), await(store.get("k")));
  }

  @Test
  void expireOfAMissingOrExpiredKeyIsFalse() {
    assertFalse(await(store.expire("missing", Duration.ofMillis(1000))));
    await(store.set("k", "v", Duration.ofMillis(10)));
    now.addAndGet(10);
    assertFalse(await(store.expire("k", Duration.ofMillis(1000))));
    assertEquals(Optional.empty(), await(store.get("k")));
  }

  @Test
  void incrementStartsAtOneAndKeepsTheOriginalExpiry() {
    assertEquals(1L, await(store.increment("c", Duration.ofMillis(1000))));
    now.addAndGet(500);
    assertEquals(2L, await(store.increment("c", Duration.ofMillis(1000))));
    now.addAndGet(400);
    assertEquals(3L, await(store.increment("c", Duration.ofMillis(1000))));
    assertEquals(Optional.of("3"), await(store.get("c")));
    // created at t0 with 1000 ms: gone at t0 + 1000 although incremented at t0 + 900
    now.addAndGet(100);
    assertEquals(Optional.empty(), await(store.get("c")));
  }

  @Test
  void incrementAfterExpiryRestartsAtOne() {
    assertEquals(1L, await(store.increment("c", Duration.ofMillis(100))));
    assertEquals(2L, await(store.increment("c", Duration.ofMillis(100))));
    now.addAndGet(100);
    assertEquals(1L, await(store.increment("c", Duration.ofMillis(100))));
    now.addAndGet(99);
    assertEquals(2L, await(store.increment("c", Duration.ofMillis(100))));
  }

  @Test
  void deleteRemovesTheKey() {
    await(store.set("k", "v", Duration.ofMinutes(1)));
    await(store.set("other", "w", Duration.ofMinutes(1)));
    await(store.delete("k"));
    assertEquals(Optional.empty(), await(store.get("k")));
    assertEquals(Optional.of("w"), await(store.get("other")));
    await(store.delete("k"));
    assertEquals(1L, await(store.increment("k", Duration.ofMinutes(1))));
  }

  @Test
  void kindIsMemoryAndPingAnswers() {
    assertEquals("memory", store.kind());
    await(store.ping());
  }
}
