package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Where the entities of one sharded type live: for each node, how many of the type's shards it hosts and how
 * many entities are awake in them, from cluster sharding's own statistics (asking them wakes no entity).
 */
final class ShardPlacement {
  private ShardPlacement() {}

  /** {"type", "nodes": [{"node", "shards", "entities"}]}; a node that did not answer in time is left out. */
  static CompletionStage<ObjectNode> of(ActorSystem<?> system, String type, EntityTypeKey<?> key, Duration timeout) {
    return AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetClusterShardingStats(key, timeout, replyTo), timeout.plusSeconds(1), system.scheduler())
        .thenApply(stats -> json(type, stats.getRegions()));
  }

  private static ObjectNode json(String type, Map<Address, ShardRegion.ShardRegionStats> regions) {
    ObjectNode out = JsonNodeFactory.instance.objectNode().put("type", type);
    ArrayNode nodes = out.putArray("nodes");
    new TreeMap<>(Map.copyOf(regions.entrySet().stream().collect(java.util.stream.Collectors.toMap(
        e -> e.getKey().toString(), Map.Entry::getValue)))).forEach((node, region) -> {
          Map<String, Object> shards = region.getStats();
          long entities = shards.values().stream().mapToLong(n -> ((Number) n).longValue()).sum();
          nodes.addObject().put("node", node).put("shards", shards.size()).put("entities", entities);
        });
    return out;
  }
}
