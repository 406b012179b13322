package dev.relaycluster.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.account.AccountStatus;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.scheduling.LastUsedClock;
import dev.relaycluster.store.InMemoryTtlStore;
import dev.relaycluster.store.TtlStore;
import dev.relaycluster.testing.ClusterTestKits;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session entity says whether the TTL store holds the binding it answers with: only such answers may be
 * kept in a node's binding cache, so a binding whose write is under way or failed is asked for (and written)
 * again on the session's next request.
 */
class SessionStoredBindingTest {
  private static final Duration TTL = Duration.ofHours(1);
  private static ActorTestKit testKit;

  private InMemoryTtlStore store;
  private PoolView pool;
  private TestProbe<SessionEntity.RouteReply> probe;
  private String sessionId;

  @BeforeAll
  static void startSystem() {
    testKit = ClusterTestKits.create("SessionStoredBindingTest");
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    store = new InMemoryTtlStore();
    pool = new PoolView(ReplicatedView.start(testKit.system(), "pool-" + UUID.randomUUID()));
    pool.publish(new PoolEntry("a", "name-a", "claude", AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com", 10, 0,
        AccountStatus.ACTIVE, 1_000L, 1_000L, 1));
    probe = testKit.createTestProbe();
    sessionId = "s-" + UUID.randomUUID();
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private ActorRef<SessionEntity.Command> spawn(TtlStore ttlStore) {
    return testKit.spawn(SessionEntity.create(sessionId, pool, new LastUsedClock(), ttlStore, TTL));
  }

  private SessionEntity.RouteReply route(ActorRef<SessionEntity.Command> session) {
    session.tell(new SessionEntity.Route("claude", Set.of(), probe.getRef()));
    return probe.receiveMessage();
  }

  @Test
  void aNewBindingIsStoredOnceItsWriteIsAnswered() {
    ActorRef<SessionEntity.Command> session = spawn(store);
    assertEquals(new SessionEntity.Routed("a", false, false), route(session), "the write is under way");
    assertEquals(new SessionEntity.Routed("a", false, true), route(session));
  }

  @Test
  void aBindingReadFromTheStoreIsStored() {
    store.set("session:" + sessionId, "a", TTL).toCompletableFuture().join();
    assertEquals(new SessionEntity.Routed("a", false, true), route(spawn(store)));
  }

  @Test
  void aBindingWhoseWritesFailIsNotStoredUntilOneLands() {
    boolean[] down = {true};
    TtlStore failingWrites = new DelegatingStore(store) {
      @Override
      public CompletionStage<Void> set(String key, String value, Duration ttl) {
        return down[0] ? CompletableFuture.failedFuture(new IllegalStateException("store down"))
            : super.set(key, value, ttl);
      }

      @Override
      public CompletionStage<Boolean> expire(String key, Duration ttl) {
        return down[0] ? CompletableFuture.failedFuture(new IllegalStateException("store down"))
            : super.expire(key, ttl);
      }
    };
    ActorRef<SessionEntity.Command> session = spawn(failingWrites);
    assertEquals(new SessionEntity.Routed("a", false, false), route(session));
    assertEquals(new SessionEntity.Routed("a", false, false), route(session), "its write failed");
    down[0] = false;
    assertEquals(new SessionEntity.Routed("a", false, false), route(session), "written again by this request");
    // The write lands a moment later; from then on the binding is stored.
    SessionEntity.RouteReply reply = route(session);
    for (int i = 0; i < 50 && !reply.equals(new SessionEntity.Routed("a", false, true)); i++) {
      sleep(100);
      reply = route(session);
    }
    assertEquals(new SessionEntity.Routed("a", false, true), reply);
    assertEquals(java.util.Optional.of("a"), store.get("session:" + sessionId).toCompletableFuture().join());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
