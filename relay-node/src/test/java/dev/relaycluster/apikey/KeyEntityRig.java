package dev.relaycluster.apikey;

import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.testing.EntityTestKitConfig;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.time.Clock;
import java.time.ZoneId;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * What the key entity's tests share: an actor system with the persistence test kit, a member of a cluster of
 * its own (the cluster receptionist, through which a restarted entity finds the nodes' lease holders, needs
 * membership), and the key directory the entity writes; a fresh entity per test; a usage record.
 *
 * @param testKit the system, shut down by {@link #stop}
 * @param directory the node-local key directory (Distributed Data)
 */
record KeyEntityRig(ActorTestKit testKit, KeyDirectory directory) {
  /** The usage tag partitions the tests' entities use. */
  static final int PARTITIONS = 4;

  static KeyEntityRig start(String name) {
    ActorTestKit testKit = ActorTestKit.create(name, EntityTestKitConfig.CONFIG);
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    return new KeyEntityRig(testKit, new KeyDirectory(ReplicatedView.start(testKit.system(), "test-keys")));
  }

  void stop() {
    testKit.shutdownTestKit();
  }

  /** A new entity for {@code keyId}, its days in UTC on the system clock. */
  EventSourcedBehaviorTestKit<ApiKeyEntity.Command, ApiKeyEntity.Event, ApiKeyState> entity(String keyId) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), ApiKeyEntity.create(keyId, directory, PARTITIONS));
  }

  /** A new entity for {@code keyId} whose days and weeks follow {@code clock} in {@code zone}. */
  EventSourcedBehaviorTestKit<ApiKeyEntity.Command, ApiKeyEntity.Event, ApiKeyState> entity(String keyId,
      Clock clock, ZoneId zone) {
    return EventSourcedBehaviorTestKit.create(testKit.system(),
        ApiKeyEntity.create(keyId, directory, PARTITIONS, clock, zone));
  }

  /** A completed, non-streamed Messages request's usage, its cost split between input and output. */
  static UsageRecord usage(String requestId, String keyId, long input, long output, long cost, long startedAt) {
    return new UsageRecord(requestId, keyId, "acc-1", "claude", "/v1/messages", "claude-sonnet-4-5",
        "claude-sonnet-4-5-20250929", false, input, output, 0, 0, 0, cost / 2, cost - cost / 2, 0, 0, cost, cost,
        "test", false, 200, RequestOutcome.COMPLETED, null, startedAt, 20L, 10L, 1, null, "test-agent", "unknown",
        null);
  }
}
