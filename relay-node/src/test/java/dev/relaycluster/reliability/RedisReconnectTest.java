package dev.relaycluster.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.store.RedisTtlStore;
import dev.relaycluster.testing.OutageProxy;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node's Redis connection comes back soon after Redis does, however long Redis was gone. Lettuce's own
 * reconnect back-off doubles up to 30 s, so after an outage of ten seconds or more a node stayed off Redis
 * (admin API 503, sticky bindings unwritten) for up to half a minute after Redis answered again; the outage
 * suite met it as the admin API coming back 20 s after a 45 s Redis outage ended.
 */
class RedisReconnectTest {
  /** The store's reconnect back-off is capped at a second; connecting and the first command take a little more. */
  private static final Duration BOUND = Duration.ofSeconds(3);

  @Test
  void theStoreAnswersWithinSecondsOfRedisComingBackAfterALongOutage() throws Exception {
    try (OutageProxy proxy = new OutageProxy("127.0.0.1", 6379, null)) {
      RedisTtlStore store = RedisTtlStore.connect(new RelaySettings.Redis("127.0.0.1", proxy.port(), "", 0,
          "relay-reconnect-" + UUID.randomUUID() + ":"));
      try {
        assertTrue(answers(store), "the store answers through the proxy");
        proxy.down();
        // Ten seconds gone: lettuce's default back-off would next try 16 s after the connection dropped.
        long gone = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < gone) {
          assertTrue(!answers(store), "nothing answers while Redis is unreachable");
          Thread.sleep(500);
        }
        proxy.up();
        long back = System.nanoTime();
        long deadline = back + Duration.ofSeconds(40).toNanos();
        while (!answers(store) && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - back) / 1e9;
        assertTrue(seconds <= BOUND.toSeconds(), "the store answered " + seconds + " s after Redis was back");
      } finally {
        store.close();
      }
    }
  }

  private static boolean answers(RedisTtlStore store) {
    try {
      store.ping().toCompletableFuture().get(2, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
