package dev.relaycluster.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.config.RelaySettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the real Redis at 127.0.0.1:6379, under a key prefix of its own. */
class RedisTtlStoreTest {
  private final String prefix = "test-" + UUID.randomUUID() + ":";
  private RedisTtlStore store;
  private RedisClient rawClient;
  private StatefulRedisConnection<String, String> rawConnection;
  private RedisCommands<String, String> raw;

  @BeforeEach
  void connect() {
    store = RedisTtlStore.connect(new RelaySettings.Redis("127.0.0.1", 6379, "", 0, prefix));
    rawClient = RedisClient.create("redis://127.0.0.1:6379/0");
    rawConnection = rawClient.connect();
    raw = rawConnection.sync();
  }

  @AfterEach
  void cleanUp() {
    try {
      List<String> keys = raw.keys(prefix + "*");
      if (!keys.isEmpty()) {
        raw.del(keys.toArray(String[]::new));
      }
    } finally {
      rawConnection.close();
      rawClient.shutdown();
      store.close();
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void setStoresUnderThePrefixWithATtl() throws Exception {
    await(store.set("k", "v", Duration.ofSeconds(60)));
    assertEquals(Optional.of("v"), await(store.get("k")));
    assertEquals("v", raw.get(prefix + "k"));
    long pttl = raw.pttl(prefix + "k");
    assertTrue(pttl > 55_000 && pttl <= 60_000, "pttl " + pttl);
  }

  @Test
  void getOfAMissingKeyIsEmpty() throws Exception {
    assertEquals(Optional.empty(), await(store.get("missing")));
  }

  @Test
  void keysExpire() throws Exception {
    await(store.set("short", "v", Duration.ofMillis(300)));
    assertEquals(Optional.of("v"), await(store.get("short")));
    Thread.sleep(600);
    assertEquals(Optional.empty(), await(store.get("short")));
    assertEquals(0L, raw.exists(prefix + "short"));
  }

  @Test
  void expireExtendsTheTtl() throws Exception {
    await(store.set("k", "v", Duration.ofSeconds(10)));
    assertTrue(await(store.expire("k", Duration.ofSeconds(120))));
    long pttl = raw.pttl(prefix + "k");
    assertTrue(pttl > 110_000 && pttl <= 120_000, "pttl " + pttl);
    assertEquals(Optional.of("v"), await(store.get("k")));
  }

  @Test
  void expireOfAMissingKeyIsFalse() throws Exception {
    assertFalse(await(store.expire("missing", Duration.ofSeconds(10))));
    assertEquals(0L, raw.exists(prefix + "missing"));
  }

  @Test
  void incrementStartsAtOneCarriesATtlAndKeepsIt() throws Exception {
    assertEquals(1L, await(store.increment("c", Duration.ofSeconds(60))));
    long first = raw.pttl(prefix + "c");
    assertTrue(first > 55_000 && first <= 60_000, "pttl " + first);
    assertEquals(2L, await(store.increment("c", Duration.ofSeconds(600))));
    assertEquals(3L, await(store.increment("c", Duration.ofSeconds(600))));
    long later = raw.pttl(prefix + "c");
    // the second increment's longer TTL does not replace the counter's original expiry
    assertTrue(later > 0 && later <= first, "pttl " + later);
    assertEquals(Optional.of("3"), await(store.get("c")));
  }

  @Test
  void incrementAfterExpiryRestartsAtOne() throws Exception {
    assertEquals(1L, await(store.increment("c", Duration.ofMillis(300))));
    assertEquals(2L, await(store.increment("c", Duration.ofMillis(300))));
    Thread.sleep(600);
    assertEquals(1L, await(store.increment("c", Duration.ofMillis(300))));
    assertTrue(raw.pttl(prefix + "c") > 0);
  }

  @Test
  void deleteRemovesTheKey() throws Exception {
    await(store.set("k", "v", Duration.ofSeconds(60)));
    await(store.delete("k"));
    assertEquals(Optional.empty(), await(store.get("k")));
    assertEquals(0L, raw.exists(prefix + "k"));
    await(store.delete("k"));
  }

  @Test
  void kindIsRedisAndPingAnswers() throws Exception {
    assertEquals("redis", store.kind());
    await(store.ping());
  }

  @Test
  void aRedisThatIsDownAtStartIsUsedFromTheMomentItAnswers() throws Exception {
    try (dev.relaycluster.testing.OutageProxy proxy = new dev.relaycluster.testing.OutageProxy("127.0.0.1", 6379, null)) {
      proxy.down();
      RedisTtlStore late = RedisTtlStore.connect(new RelaySettings.Redis("127.0.0.1", proxy.port(), "", 0, prefix));
      try {
        assertFalse(late.connected());
        java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.ExecutionException.class, () -> await(late.get("k")));
        assertTrue(refused.getCause() instanceof StorageUnavailableException, refused.toString());
        proxy.up();
        long deadline = System.currentTimeMillis() + 15_000;
        while (!late.connected() && System.currentTimeMillis() < deadline) {
          Thread.sleep(100);
        }
        assertTrue(late.connected(), "connected in the background once Redis answered");
        await(late.set("k", "v", Duration.ofSeconds(60)));
        assertEquals("v", raw.get(prefix + "k"));
      } finally {
        late.close();
      }
    }
  }
}
