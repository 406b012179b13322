package dev.relaycluster.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.relaycluster.account.AccountStatus;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.scheduling.LastUsedClock;
import dev.relaycluster.scheduling.Scheduler;
import dev.relaycluster.store.InMemoryTtlStore;
import dev.relaycluster.testing.ClusterTestKits;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node places every session shard at start, before any request: on a one-node cluster all shards are hosted
 * with no session routed, their placeholder entities read nothing from the store, and a session then routes as
 * before.
 */
class SessionShardPlacementTest {
  private static final int SHARDS = 12;

  private ActorTestKit testKit;
  private InMemoryTtlStore memory;

  @AfterEach
  void stop() {
    if (memory != null) {
      memory.close();
    }
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
  }

  @Test
  void oneEntityIdOnEachShard() {
    for (int shards : List.of(1, 7, 100, 1000)) {
      HashCodeMessageExtractor<SessionEntity.Command> extractor = new HashCodeMessageExtractor<>(shards);
      List<String> ids = SessionShardPlacement.entityIds(shards);
      assertEquals(shards, ids.size());
      assertEquals(IntStream.range(0, shards).mapToObj(Integer::toString).collect(Collectors.toSet()),
          ids.stream().map(extractor::shardId).collect(Collectors.toSet()), shards + " shards");
    }
  }

  @Test
  void everyShardIsPlacedBeforeAnyRequestAndNothingIsRead() {
    testKit = ClusterTestKits.oneNodeCluster("SessionShardPlacementTest");
    memory = new InMemoryTtlStore(System::currentTimeMillis);
    AtomicInteger reads = new AtomicInteger();
    DelegatingStore store = new DelegatingStore(memory) {
      @Override
      public CompletionStage<Optional<String>> get(String key) {
        reads.incrementAndGet();
        return super.get(key);
      }
    };
    PoolView pool = new PoolView(ReplicatedView.start(testKit.system(), "pool-placement"));
    pool.publish(new PoolEntry("a", "name-a", "claude", AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com",
        10, 0, AccountStatus.ACTIVE, 1_000L, 1_000L, 1));

    SessionShardPlacement.placeAll(SessionEntity.init(testKit.system(), pool, new LastUsedClock(), store,
        Duration.ofHours(1), Scheduler.DEFAULT_MAX_COOLING_SHARE, SHARDS), SHARDS);

    ClusterSharding sharding = ClusterSharding.get(testKit.system());
    TestProbe<ShardRegion.CurrentShardRegionState> state = testKit.createTestProbe();
    Set<Integer> expected = IntStream.range(0, SHARDS).boxed().collect(Collectors.toCollection(TreeSet::new));
    state.awaitAssert(Duration.ofSeconds(10), () -> {
      sharding.shardState().tell(new GetShardRegionState(SessionEntity.ENTITY_TYPE_KEY, state.getRef()));
      Set<Integer> hosted = new TreeSet<>();
      for (ShardRegion.ShardState shard : state.receiveMessage(Duration.ofSeconds(5)).getShards()) {
        hosted.add(Integer.parseInt(shard.shardId()));
      }
      assertEquals(expected, hosted, "shards hosted with no request");
      return null;
    });
    assertEquals(0, reads.get(), "placeholder entities read nothing from the store");

    TestProbe<SessionEntity.RouteReply> replies = testKit.createTestProbe();
    sharding.entityRefFor(SessionEntity.ENTITY_TYPE_KEY, "claude:after-placement")
        .tell(new SessionEntity.Route("claude", Set.of(), replies.getRef()));
    assertEquals("a", assertInstanceOf(SessionEntity.Routed.class,
        replies.receiveMessage(Duration.ofSeconds(10))).accountId());
    assertEquals(1, reads.get(), "the routed session read its binding once");
  }
}
