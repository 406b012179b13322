package dev.relaycluster.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions are sharded over {@code relay.session.shards} shards, not Pekko's 1,000: sixty sessions routed
 * through sharding on a one-node cluster all live on shards numbered below the setting.
 */
class SessionShardsTest {
  private static final int SHARDS = 7;

  private ActorTestKit testKit;
  private InMemoryTtlStore store;

  @BeforeEach
  void start() {
    testKit = ClusterTestKits.oneNodeCluster("SessionShardsTest");
    store = new InMemoryTtlStore(System::currentTimeMillis);
  }

  @AfterEach
  void stop() {
    store.close();
    testKit.shutdownTestKit();
  }

  @Test
  void sessionsLiveOnTheConfiguredNumberOfShards() {
    PoolView pool = new PoolView(ReplicatedView.start(testKit.system(), "pool-shards"));
    pool.publish(new PoolEntry("a", "name-a", "claude", AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com",
        10, 0, AccountStatus.ACTIVE, 1_000L, 1_000L, 1));
    SessionEntity.init(testKit.system(), pool, new LastUsedClock(), store, Duration.ofHours(1),
        Scheduler.DEFAULT_MAX_COOLING_SHARE, SHARDS);
    ClusterSharding sharding = ClusterSharding.get(testKit.system());
    TestProbe<SessionEntity.RouteReply> replies = testKit.createTestProbe();
    int sessions = 60;
    for (int i = 0; i < sessions; i++) {
      sharding.entityRefFor(SessionEntity.ENTITY_TYPE_KEY, "claude:session-" + i)
          .tell(new SessionEntity.Route("claude", Set.of(), replies.getRef()));
      assertEquals("a", assertInstanceOf(SessionEntity.Routed.class,
          replies.receiveMessage(Duration.ofSeconds(10))).accountId());
    }

    TestProbe<ShardRegion.CurrentShardRegionState> state = testKit.createTestProbe();
    sharding.shardState().tell(new GetShardRegionState(SessionEntity.ENTITY_TYPE_KEY, state.getRef()));
    Set<Integer> shards = new TreeSet<>();
    int entities = 0;
    for (ShardRegion.ShardState shard : state.receiveMessage(Duration.ofSeconds(10)).getShards()) {
      shards.add(Integer.parseInt(shard.shardId()));
      entities += shard.getEntityIds().size();
    }
    assertEquals(sessions, entities, "every session has its entity");
    assertTrue(shards.stream().allMatch(s -> s >= 0 && s < SHARDS), "shards " + shards);
    assertTrue(shards.size() > 1, "the sessions are spread over more than one shard: " + shards);
  }
}
