package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The cluster as an operator sees it: members and their status, which node hosts each account's entity, and for
 * accounts, keys and sessions how many shards and awake entities each node hosts.
 */
public final class ClusterAdmin {
  private final ActorSystem<?> system;
  private final PoolView pool;
  private final Duration askTimeout;

  public ClusterAdmin(ActorSystem<?> system, PoolView pool, Duration askTimeout) {
    this.system = system;
    this.pool = pool;
    this.askTimeout = askTimeout;
  }

  public CompletionStage<ObjectNode> describe() {
    Cluster cluster = Cluster.get(system);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("self", cluster.selfMember().address().toString());
    out.put("leader", cluster.state().getLeader() == null ? null : cluster.state().getLeader().toString());
    ArrayNode members = out.putArray("members");
    for (Member m : cluster.state().getMembers()) {
      members.addObject().put("address", m.address().toString()).put("status", m.status().toString())
          .put("reachable", !cluster.state().getUnreachable().contains(m));
    }
    ClusterSharding sharding = ClusterSharding.get(system);
    List<CompletableFuture<ObjectNode>> hosts = new ArrayList<>();
    for (PoolEntry account : pool.accounts()) {
      hosts.add(sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, account.id())
          .<AccountEntity.AccountStatusReply>ask(AccountEntity.GetStatus::new, askTimeout)
          .thenApply(reply -> JsonNodeFactory.instance.objectNode().put("id", account.id()).put("name", account.name())
              .put("node", reply.node()).put("leasesInFlight", reply.leasesInFlight()))
          .exceptionally(t -> JsonNodeFactory.instance.objectNode().put("id", account.id())
              .put("name", account.name()).putNull("node"))
          .toCompletableFuture());
    }
    List<CompletableFuture<ObjectNode>> placements = List.of(
        placement("account", AccountEntity.ENTITY_TYPE_KEY),
        placement("key", dev.relaycluster.apikey.ApiKeyEntity.ENTITY_TYPE_KEY),
        placement("session", dev.relaycluster.session.SessionEntity.ENTITY_TYPE_KEY));
    List<CompletableFuture<ObjectNode>> all = new ArrayList<>(hosts);
    all.addAll(placements);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
      ArrayNode accounts = out.putArray("accounts");
      hosts.forEach(h -> accounts.add(h.join()));
      ArrayNode entities = out.putArray("entities");
      placements.forEach(p -> entities.add(p.join()));
      return out;
    });
  }

  /** The placement of one entity type; without the statistics in time, the type with no nodes. */
  private CompletableFuture<ObjectNode> placement(String type,
      org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey<?> key) {
    return ShardPlacement.of(system, type, key, askTimeout).toCompletableFuture()
        .exceptionally(t -> {
          ObjectNode none = JsonNodeFactory.instance.objectNode().put("type", type);
          none.putArray("nodes");
          return none;
        });
  }
}
