package dev.relaycluster.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The Pekko cluster as this node sees it: members by status and unreachable members (read from the cluster
 * state at each scrape, no message), and the shards and entities this node hosts per entity type (asked of the
 * local shard regions every {@code interval}, so a scrape never waits on a region). Bounded: one series per
 * member status and per entity type.
 */
public final class ClusterMeters {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);

  private final ActorSystem<?> system;
  private final MultiGauge members;
  private final Map<String, AtomicLong> shards = new TreeMap<>();
  private final Map<String, AtomicLong> entities = new TreeMap<>();
  private final List<EntityTypeKey<?>> types;

  private ClusterMeters(ActorSystem<?> system, MeterRegistry registry, List<EntityTypeKey<?>> types) {
    this.system = system;
    this.types = List.copyOf(types);
    this.members = MultiGauge.builder("relay.cluster.members")
        .description("Members of the Pekko cluster by status, as this node sees them").register(registry);
    Gauge.builder("relay.cluster.unreachable", () -> Cluster.get(system).state().getUnreachable().size())
        .description("Members this node cannot reach").register(registry);
    for (EntityTypeKey<?> type : this.types) {
      AtomicLong s = new AtomicLong();
      AtomicLong e = new AtomicLong();
      shards.put(type.name(), s);
      entities.put(type.name(), e);
      Gauge.builder("relay.shards", s, AtomicLong::get).description("Shards this node hosts, by entity type")
          .tag("type", type.name()).register(registry);
      Gauge.builder("relay.entities", e, AtomicLong::get).description("Entities running on this node, by type")
          .tag("type", type.name()).register(registry);
    }
  }

  /** Registers the cluster meters of {@code system} and starts asking its shard regions every {@code interval}. */
  public static ClusterMeters start(ActorSystem<?> system, RelayMetrics metrics, List<EntityTypeKey<?>> types,
      Duration interval) {
    ClusterMeters meters = new ClusterMeters(system, metrics.registry(), types);
    metrics.beforeEachScrape(meters::countMembers);
    system.scheduler().scheduleWithFixedDelay(Duration.ZERO, interval, meters::askRegions, system.executionContext());
    return meters;
  }

  private void countMembers() {
    Map<String, Integer> byStatus = new TreeMap<>();
    byStatus.put("up", 0);
    for (Member m : Cluster.get(system).state().getMembers()) {
      byStatus.merge(m.status().toString().toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    byStatus.forEach((status, n) -> rows.add(MultiGauge.Row.of(Tags.of("status", status), n)));
    members.register(rows, true);
  }

  private void askRegions() {
    ClusterSharding sharding = ClusterSharding.get(system);
    for (EntityTypeKey<?> type : types) {
      AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
              sharding.shardState(), reply -> new GetShardRegionState(type, reply), ASK_TIMEOUT, system.scheduler())
          .thenAccept(state -> {
            long n = 0;
            for (ShardRegion.ShardState shard : state.getShards()) {
              n += shard.getEntityIds().size();
            }
            shards.get(type.name()).set(state.getShards().size());
            entities.get(type.name()).set(n);
          });
    }
  }
}
