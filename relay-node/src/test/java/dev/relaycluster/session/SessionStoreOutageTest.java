package dev.relaycluster.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.account.AccountStatus;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.scheduling.LastUsedClock;
import dev.relaycluster.store.InMemoryTtlStore;
import dev.relaycluster.store.StorageUnavailableException;
import dev.relaycluster.store.TtlStore;
import dev.relaycluster.testing.ClusterTestKits;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A session whose TTL store is down routes by the scheduler, and its binding reaches the store once it is back. */
class SessionStoreOutageTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit = ClusterTestKits.create("SessionStoreOutageTest");
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  /** An in-process store that fails every call while {@code down}, as the guarded Redis store does. */
  private static final class SwitchableStore implements TtlStore {
    final InMemoryTtlStore store = new InMemoryTtlStore();
    volatile boolean down = true;

    private <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
      return down
          ? CompletableFuture.failedFuture(new StorageUnavailableException("the test TTL store is down", null))
          : call.get();
    }

    @Override
    public CompletionStage<Optional<String>> get(String key) {
      return call(() -> store.get(key));
    }

    @Override
    public CompletionStage<Void> set(String key, String value, Duration ttl) {
      return call(() -> store.set(key, value, ttl));
    }

    @Override
    public CompletionStage<Boolean> expire(String key, Duration ttl) {
      return call(() -> store.expire(key, ttl));
    }

    @Override
    public CompletionStage<Void> delete(String key) {
      return call(() -> store.delete(key));
    }

    @Override
    public CompletionStage<Long> increment(String key, Duration ttl) {
      return call(() -> store.increment(key, ttl));
    }

    @Override
    public CompletionStage<Void> ping() {
      return call(store::ping);
    }

    @Override
    public String kind() {
      return "switchable";
    }

    @Override
    public void close() {
      store.close();
    }
  }

  private static PoolEntry account(String id, int priority) {
    return new PoolEntry(id, "name-" + id, "claude", AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com",
        priority, 0, AccountStatus.ACTIVE, 1_000L, 1_000L, 1);
  }

  @Test
  void aBindingMadeWhileTheStoreWasDownIsWrittenOnTheNextRequestAfterItIsBack() {
    PoolView pool = new PoolView(ReplicatedView.start(testKit.system(), "pool-" + UUID.randomUUID()));
    pool.publish(account("a", 20));
    pool.publish(account("b", 10));
    String sessionId = "s-" + UUID.randomUUID();
    SwitchableStore store = new SwitchableStore();
    TestProbe<SessionEntity.RouteReply> probe = testKit.createTestProbe();
    ActorRef<SessionEntity.Command> session = testKit.spawn(
        SessionEntity.create(sessionId, pool, new LastUsedClock(), store, Duration.ofHours(1)));
    try {
      // The store cannot be read: the scheduler's pick, kept by the session.
      session.tell(new SessionEntity.Route("claude", Set.of(), probe.getRef()));
      assertEquals(new SessionEntity.Routed("b", false), probe.receiveMessage());
      pool.publish(account("c", 1));
      session.tell(new SessionEntity.Route("claude", Set.of(), probe.getRef()));
      assertEquals(new SessionEntity.Routed("b", false), probe.receiveMessage(), "the session stays on b");
      assertEquals(Optional.empty(), store.store.get("session:" + sessionId).toCompletableFuture().join());

      store.down = false;
      session.tell(new SessionEntity.Route("claude", Set.of(), probe.getRef()));
      assertEquals(new SessionEntity.Routed("b", false), probe.receiveMessage());
      probe.awaitAssert(() -> {
        assertEquals(Optional.of("b"), store.store.get("session:" + sessionId).toCompletableFuture().join());
        return null;
      });
    } finally {
      testKit.stop(session);
      store.close();
    }
  }
}
