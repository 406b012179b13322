package dev.relaycluster.session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.StartEntity;

/**
 * Places every session shard when the node starts, before any request needs one. Pekko places a shard when the
 * first message for one of its entities arrives, and the coordinator places one shard at a time (a millisecond or
 * two each on one node, a round trip more across nodes), so the first burst of new conversations on a fresh node
 * waited in line for the placements its sessions' shards needed. Pekko has no call that places a shard without
 * an entity: this starts one entity in each shard (sharding's {@code StartEntity}, no message delivered), an
 * entity that reads nothing until a request asks ({@link SessionEntity}) and is passivated when idle like any
 * other. Shards the coordinator later moves between nodes are placed again by their next request, as before.
 */
public final class SessionShardPlacement {
  /** Entity ids of the placeholders; a session of such an id would simply be routed by that entity. */
  static final String ID_PREFIX = "shard-placement-";

  private SessionShardPlacement() {}

  /** One entity id on each of {@code shards} shards, as sharding's hash-code extractor assigns them. */
  public static List<String> entityIds(int shards) {
    HashCodeMessageExtractor<SessionEntity.Command> extractor = new HashCodeMessageExtractor<>(shards);
    Set<String> covered = new HashSet<>();
    List<String> ids = new ArrayList<>(shards);
    for (int n = 0; covered.size() < shards; n++) {
      String id = ID_PREFIX + n;
      if (covered.add(extractor.shardId(id))) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** Asks the node's session shard region to place all {@code shards} shards. */
  public static void placeAll(ActorRef<ShardingEnvelope<SessionEntity.Command>> region, int shards) {
    for (String id : entityIds(shards)) {
      region.tell(StartEntity.create(SessionEntity.Command.class, id));
    }
  }
}
