package dev.relaycluster.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session entity spawned directly (no sharding), on a cluster-provider system for the pool view. */
class SessionEntityTest {
  private static final Duration TTL = Duration.ofHours(1);
  private static ActorTestKit testKit;

  private final AtomicLong now = new AtomicLong(1_000_000L);
  private InMemoryTtlStore store;
  private PoolView pool;
  private LastUsedClock clock;
  private TestProbe<SessionEntity.RouteReply> probe;
  private String sessionId;

  @BeforeAll
  static void startSystem() {
    testKit = ClusterTestKits.create("SessionEntityTest");
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    store = new InMemoryTtlStore(now::get);
    pool = new PoolView(ReplicatedView.start(testKit.system(), "pool-" + UUID.randomUUID()));
    clock = new LastUsedClock();
    probe = testKit.createTestProbe();
    sessionId = "s-" + UUID.randomUUID();
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private static PoolEntry account(String id, int priority, AccountStatus status, long revision) {
    return new PoolEntry(id, "name-" + id, "claude", AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com",
        priority, 0, status, 1_000L, 1_000L, revision);
  }

  private ActorRef<SessionEntity.Command> spawnSession(TtlStore ttlStore, Duration ttl) {
    return testKit.spawn(SessionEntity.create(sessionId, pool, clock, ttlStore, ttl));
  }

  private ActorRef<SessionEntity.Command> spawnSession() {
    return spawnSession(store, TTL);
  }

  private SessionEntity.RouteReply route(ActorRef<SessionEntity.Command> session, Set<String> excluded) {
    session.tell(new SessionEntity.Route("claude", excluded, probe.getRef()));
    return probe.receiveMessage();
  }

  /** The account and whether it was rebound; whether the store holds it is asserted where it matters. */
  private SessionEntity.Routed routed(ActorRef<SessionEntity.Command> session, Set<String> excluded) {
    return withoutStored(assertInstanceOf(SessionEntity.Routed.class, route(session, excluded)));
  }

  private SessionEntity.Routed reply() {
    return withoutStored(assertInstanceOf(SessionEntity.Routed.class, probe.receiveMessage()));
  }

  private static SessionEntity.Routed withoutStored(SessionEntity.Routed r) {
    return new SessionEntity.Routed(r.accountId(), r.rebound());
  }

  private Optional<String> stored() {
    return store.get("session:" + sessionId).toCompletableFuture().join();
  }

  @Test
  void firstRouteBindsToTheSchedulersPickAndStoresIt() {
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 1));
    ActorRef<SessionEntity.Command> session = spawnSession();
    assertEquals(new SessionEntity.Routed("b", false), routed(session, Set.of()));
    assertEquals(Optional.of("b"), stored());
    // stored with the session TTL
    now.addAndGet(TTL.toMillis() - 1);
    assertEquals(Optional.of("b"), stored());
    now.addAndGet(1);
    assertEquals(Optional.empty(), stored());
  }

  @Test
  void aSessionLeavesAnAccountTheClusterSeesLaggingWhileAnotherCanServe() {
    dev.relaycluster.account.PaceBoard paces = new dev.relaycluster.account.PaceBoard(
        new dev.relaycluster.config.PaceSettings(Duration.ofMillis(500), 0.5, 3, Duration.ofMinutes(5), Duration.ZERO),
        "n1", ReplicatedView.start(testKit.system(), "pace-" + UUID.randomUUID()));
    pool = new PoolView(ReplicatedView.start(testKit.system(), "pool-" + UUID.randomUUID()), paces);
    pool.publish(account("a", 10, AccountStatus.ACTIVE, 1));
    pool.publish(account("b", 20, AccountStatus.ACTIVE, 1));
    ActorRef<SessionEntity.Command> session = spawnSession();
    assertEquals(new SessionEntity.Routed("a", false), routed(session, Set.of()));
    paces.record("a", false, 2_000);
    paces.record("a", false, 2_000);
    assertEquals(new SessionEntity.Routed("a", false), routed(session, Set.of()), "two slow answers are too few");
    paces.record("a", false, 2_000);
    assertEquals(new SessionEntity.Routed("b", true), routed(session, Set.of()), "a is slow: rebound to b");
    assertEquals(Optional.of("b"), stored());
    assertEquals(new SessionEntity.Routed("b", false), routed(session, Set.of()));
    // b fails every time as well: with every account lagging, the session stays where it is.
    for (int i = 0; i < 3; i++) {
      paces.record("b", true, -1);
    }
    assertEquals(new SessionEntity.Routed("b", false), routed(session, Set.of()));
    // A new conversation still prefers the account that is not lagging, even at a worse priority.
    paces.record("b", false, 10);
    pool.publish(account("c", 30, AccountStatus.ACTIVE, 1));
    sessionId = "s-" + UUID.randomUUID();
    assertEquals(new SessionEntity.Routed("c", false), routed(spawnSession(), Set.of()));
  }

  @Test
  void secondRouteKeepsTheBoundAccount() {
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 1));
    ActorRef<SessionEntity.Command> session = spawnSession();
    assertEquals(new SessionEntity.Routed("b", false), routed(session, Set.of()));
    // a better account appears, and b is now the most recently used: the session still stays on b
    pool.publish(account("c", 1, AccountStatus.ACTIVE, 1));
    clock.markUsed("b", System.currentTimeMillis());
    assertEquals(new SessionEntity.Routed("b", false), routed(session, Set.of()));
    assertEquals(new SessionEntity.Routed("b", false), routed(session, Set.of("a")));
    assertEquals(Optional.of("b"), stored());
  }

  @Test
  void aBoundAccountThatCoolsDownForTheModelsFamilyIsLeft() {
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 1));
    ActorRef<SessionEntity.Command> session = spawnSession();
    dev.relaycluster.scheduling.Demand opus = new dev.relaycluster.scheduling.Demand("claude",
        "claude-opus-4-5-20251101", dev.relaycluster.apikey.KeyBinding.NONE);
    session.tell(new SessionEntity.Route(opus, Set.of(), probe.getRef()));
    assertEquals(new SessionEntity.Routed("b", false), reply());
    // b hits its weekly Opus limit: Opus requests of this session move to a, Sonnet ones could still use b.
    long until = System.currentTimeMillis() + 3_600_000;
    pool.publish(new PoolEntry("b", "name-b", "claude", AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com", 10, 0,
        AccountStatus.ACTIVE, 1_000L, 1_000L, 2, null, List.of(),
        List.of(new dev.relaycluster.account.CooldownMark("opus", until, "weekly limit", 429, false, 0)), -1, 1.0,
        null, null));
    session.tell(new SessionEntity.Route(opus, Set.of(), probe.getRef()));
    assertEquals(new SessionEntity.Routed("a", true), reply());
  }

  @Test
  void excludedBoundAccountRebinds() {
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 1));
    ActorRef<SessionEntity.Command> session = spawnSession();
    routed(session, Set.of());
    assertEquals(new SessionEntity.Routed("a", true), routed(session, Set.of("b")));
    assertEquals(Optional.of("a"), stored());
    // the new binding sticks
    assertEquals(new SessionEntity.Routed("a", false), routed(session, Set.of()));
  }

  @Test
  void pausedBoundAccountRebinds() {
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 1));
    ActorRef<SessionEntity.Command> session = spawnSession();
    routed(session, Set.of());
    pool.publish(account("b", 10, AccountStatus.PAUSED, 2));
    assertEquals(new SessionEntity.Routed("a", true), routed(session, Set.of()));
    assertEquals(Optional.of("a"), stored());
    // b comes back with a better priority, but the session stays on a
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 3));
    assertEquals(new SessionEntity.Routed("a", false), routed(session, Set.of()));
  }

  @Test
  void deletedBoundAccountRebinds() {
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 1));
    ActorRef<SessionEntity.Command> session = spawnSession();
    routed(session, Set.of());
    pool.publish(account("b", 10, AccountStatus.DELETED, 2));
    assertEquals(new SessionEntity.Routed("a", true), routed(session, Set.of()));
  }

  @Test
  void newInstanceLoadsTheBindingFromTheStore() {
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 1));
    store.set("session:" + sessionId, "a", TTL).toCompletableFuture().join();
    ActorRef<SessionEntity.Command> first = spawnSession();
    // the scheduler would choose b; the stored binding wins
    assertEquals(new SessionEntity.Routed("a", false), routed(first, Set.of()));
    testKit.stop(first);

    ActorRef<SessionEntity.Command> second = spawnSession();
    assertEquals(new SessionEntity.Routed("a", false), routed(second, Set.of()));
  }

  @Test
  void newInstanceAfterARebindLoadsTheNewBinding() {
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 1));
    ActorRef<SessionEntity.Command> first = spawnSession();
    routed(first, Set.of());
    assertEquals(new SessionEntity.Routed("a", true), routed(first, Set.of("b")));
    testKit.stop(first);
    ActorRef<SessionEntity.Command> second = spawnSession();
    assertEquals(new SessionEntity.Routed("a", false), routed(second, Set.of()));
  }

  @Test
  void storedBindingToAnIneligibleAccountRebinds() {
    pool.publish(account("a", 20, AccountStatus.PAUSED, 1));
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 1));
    store.set("session:" + sessionId, "a", TTL).toCompletableFuture().join();
    assertEquals(new SessionEntity.Routed("b", true), routed(spawnSession(), Set.of()));
    assertEquals(Optional.of("b"), stored());
  }

  @Test
  void storedBindingToAnUnknownAccountRebinds() {
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 1));
    store.set("session:" + sessionId, "gone", TTL).toCompletableFuture().join();
    assertEquals(new SessionEntity.Routed("b", true), routed(spawnSession(), Set.of()));
  }

  @Test
  void noAccountWhenThePoolIsEmpty() {
    ActorRef<SessionEntity.Command> session = spawnSession();
    SessionEntity.NoAccount none = assertInstanceOf(SessionEntity.NoAccount.class, route(session, Set.of()));
    assertEquals("no claude account is configured on this relay", none.reason());
    assertEquals(Optional.empty(), stored());
    // once an account exists the same session routes to it
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    assertEquals(new SessionEntity.Routed("a", false), routed(session, Set.of()));
  }

  @Test
  void noAccountWhenAllArePausedOrExcluded() {
    pool.publish(account("a", 20, AccountStatus.PAUSED, 1));
    ActorRef<SessionEntity.Command> session = spawnSession();
    assertEquals(new SessionEntity.NoAccount("all 1 claude accounts are paused"), route(session, Set.of()));
    pool.publish(account("b", 20, AccountStatus.ACTIVE, 1));
    assertEquals(new SessionEntity.NoAccount("all 1 schedulable claude accounts are busy or unavailable"),
        route(session, Set.of("b")));
  }

  @Test
  void bindingOfAnotherPlatformIsNotUsed() {
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    ActorRef<SessionEntity.Command> session = spawnSession();
    session.tell(new SessionEntity.Route("openai", Set.of(), probe.getRef()));
    assertEquals(new SessionEntity.NoAccount("no openai account is configured on this relay"), probe.receiveMessage());
  }

  @Test
  void routesArrivingWhileLoadingAreAnsweredAfterTheLoad() {
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 1));
    CompletableFuture<Optional<String>> pending = new CompletableFuture<>();
    TtlStore slow = new DelegatingStore(store) {
      @Override
      public CompletionStage<Optional<String>> get(String key) {
        return pending;
      }
    };
    ActorRef<SessionEntity.Command> session = spawnSession(slow, TTL);
    session.tell(new SessionEntity.Route("claude", Set.of(), probe.getRef()));
    session.tell(new SessionEntity.Route("claude", Set.of(), probe.getRef()));
    probe.expectNoMessage(Duration.ofMillis(200));
    pending.complete(Optional.of("a"));
    assertEquals(new SessionEntity.Routed("a", false), reply());
    assertEquals(new SessionEntity.Routed("a", false), reply());
  }

  @Test
  void unavailableStoreRoutesAfresh() {
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    pool.publish(account("b", 10, AccountStatus.ACTIVE, 1));
    TtlStore failing = new DelegatingStore(store) {
      @Override
      public CompletionStage<Optional<String>> get(String key) {
        return CompletableFuture.failedFuture(new IllegalStateException("store down"));
      }
    };
    ActorRef<SessionEntity.Command> session = spawnSession(failing, TTL);
    assertEquals(new SessionEntity.Routed("b", false), routed(session, Set.of()));
    assertEquals(new SessionEntity.Routed("b", false), routed(session, Set.of()));
  }

  /** The in-memory store, telling a probe after each expire call it passed on. */
  private TtlStore storeReportingExpires(TestProbe<String> expired) {
    return new DelegatingStore(store) {
      @Override
      public CompletionStage<Boolean> expire(String key, Duration ttl) {
        CompletionStage<Boolean> result = super.expire(key, ttl);
        expired.getRef().tell(key);
        return result;
      }
    };
  }

  @Test
  void routingSlidesTheStoredExpiry() throws Exception {
    Duration ttl = Duration.ofMillis(400);
    TestProbe<String> expired = testKit.createTestProbe();
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    ActorRef<SessionEntity.Command> session = spawnSession(storeReportingExpires(expired), ttl);
    routed(session, Set.of());
    now.addAndGet(300);
    // more than a quarter of the TTL later (in real time), the next route refreshes the expiry
    Thread.sleep(150);
    assertEquals(new SessionEntity.Routed("a", false), routed(session, Set.of()));
    assertEquals("session:" + sessionId, expired.receiveMessage());
    now.addAndGet(300);
    assertEquals(Optional.of("a"), stored(), "expiry was extended to 300 + 400 ms");
    now.addAndGet(100);
    assertEquals(Optional.empty(), stored());
  }

  @Test
  void routesWithinAQuarterOfTheTtlDoNotTouchTheStore() {
    TestProbe<String> expired = testKit.createTestProbe();
    pool.publish(account("a", 20, AccountStatus.ACTIVE, 1));
    ActorRef<SessionEntity.Command> session = spawnSession(storeReportingExpires(expired), TTL);
    routed(session, Set.of());
    routed(session, Set.of());
    routed(session, Set.of());
    expired.expectNoMessage(Duration.ofMillis(200));
  }
}
