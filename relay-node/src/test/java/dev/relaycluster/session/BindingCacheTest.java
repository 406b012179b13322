package dev.relaycluster.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.scheduling.Demand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The node's cache of session bindings: what it keeps, for how many sessions, and what it drops first. */
class BindingCacheTest {

  @Test
  void keepsTheLatestConfirmationOfEachSession() {
    BindingCache cache = new BindingCache(10);
    assertNull(cache.get("s1"));
    cache.confirmed("s1", "a1", 100);
    assertEquals(new CachedBinding("a1", 100), cache.get("s1"));
    cache.confirmed("s1", "a2", 200);
    assertEquals(new CachedBinding("a2", 200), cache.get("s1"), "a rebinding replaces the binding and its time");
    cache.drop("s1");
    assertNull(cache.get("s1"));
    assertEquals(0, cache.size());
  }

  @Test
  void aConfirmationAgesUntilTheEntityConfirmsAgain() {
    BindingCache cache = new BindingCache(10);
    long refresh = 60_000;
    cache.confirmed("s1", "a1", 1_000);
    long later = 1_000 + refresh;
    assertEquals(CachedBinding.Verdict.STALE, cache.get("s1").verdict(Optional.empty(), Demand.of("claude"),
        Set.of(), id -> false, later, refresh));
    cache.confirmed("s1", "a1", later);
    assertEquals(later, cache.get("s1").confirmedAt());
  }

  @Test
  void pastItsCapacityTheLeastRecentlyUsedSessionIsDropped() {
    BindingCache cache = new BindingCache(3);
    cache.confirmed("s1", "a", 1);
    cache.confirmed("s2", "a", 2);
    cache.confirmed("s3", "a", 3);
    assertNotNull(cache.get("s1"), "s1 used: s2 is now the least recently used");
    cache.confirmed("s4", "a", 4);
    assertEquals(3, cache.size());
    assertNull(cache.get("s2"));
    assertNotNull(cache.get("s1"));
    assertNotNull(cache.get("s3"));
    assertNotNull(cache.get("s4"));
  }

  @Test
  void aLargeCacheNeverHoldsMoreThanItsCapacity() {
    BindingCache cache = new BindingCache(2_048);
    for (int i = 0; i < 10_000; i++) {
      cache.confirmed("claude:session-" + i, "a" + (i % 7), i);
    }
    assertTrue(cache.size() <= 2_048, "size " + cache.size());
    assertTrue(cache.size() > 1_024, "each stripe holds its share: " + cache.size());
    assertNotNull(cache.get("claude:session-9999"), "the newest binding is kept");
  }

  @Test
  void manyThreadsConfirmAndReadAtOnce() throws Exception {
    BindingCache cache = new BindingCache(65_536);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 20_000; i++) {
            String session = "s-" + thread + "-" + (i % 500);
            cache.confirmed(session, "a" + thread, i);
            CachedBinding b = cache.get(session);
            if (b != null && !b.accountId().equals("a" + thread)) {
              throw new AssertionError("another thread's binding under " + session);
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(2_000, cache.size());
  }
}
