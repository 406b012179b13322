package dev.relaycluster.node;

import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.AccountStatus;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.cluster.JournalWrites;
import dev.relaycluster.cluster.NodeDrain;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.http.MetricsRoutes;
import dev.relaycluster.metrics.AccountSample;
import dev.relaycluster.metrics.ClusterMeters;
import dev.relaycluster.metrics.RelayMetrics;
import dev.relaycluster.relay.UsageRedelivery;
import dev.relaycluster.session.SessionEntity;
import dev.relaycluster.store.Database;
import dev.relaycluster.usage.ProjectionLag;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the node's parts to its {@link RelayMetrics}: requests in flight, the entities' journal writes,
 * the usage backlog, accounts by pool and state from the pool replica, the cluster and its shards, and the
 * usage projection's lag; and gives the {@code GET /metrics} route for the main port (none when the
 * management port serves it).
 */
final class NodeMetrics {
  private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);
  private static final Duration SHARD_INTERVAL = Duration.ofSeconds(15);
  private static final Duration LAG_INTERVAL = Duration.ofSeconds(30);

  private NodeMetrics() {}

  /** Registers the node's gauges; the main port's {@code /metrics} route, or a route that rejects. */
  static Route start(ActorSystem<?> system, RelaySettings settings, PoolView pool, Database database) {
    RelayMetrics metrics = RelayMetrics.get(system);
    NodeDrain drain = NodeDrain.get(system);
    metrics.inFlightFrom(drain::inFlight);
    JournalWrites.get(system).reportTo(metrics::journalWritten);
    UsageRedelivery redelivery = UsageRedelivery.get(system);
    metrics.usageBacklogFrom(() -> redelivery.backlog().records(), () -> redelivery.backlog().onDisk(),
        () -> redelivery.backlog().oldestAgeMillis(System.currentTimeMillis()));
    List<String> states = Arrays.stream(AccountStatus.values()).filter(s -> s != AccountStatus.DELETED)
        .map(s -> s.name().toLowerCase(Locale.ROOT)).toList();
    metrics.accountsFrom(() -> {
      long now = System.currentTimeMillis();
      return pool.accounts().stream().map(a -> sample(a, now)).toList();
    }, states);
    ClusterMeters.start(system, metrics, List.of(AccountEntity.ENTITY_TYPE_KEY, ApiKeyEntity.ENTITY_TYPE_KEY,
        SessionEntity.ENTITY_TYPE_KEY), SHARD_INTERVAL);
    ProjectionLag lag = new ProjectionLag(database, settings.usageTagPartitions());
    system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(1), LAG_INTERVAL, () ->
        lag.eventsBehind().whenComplete((behind, failure) -> {
          if (failure != null) {
            log.debug("counting the usage projection's lag failed: {}", failure.toString());
          } else {
            behind.forEach(metrics::projectionLag);
          }
        }), system.executionContext());
    AllDirectives d = new AllDirectives() {};
    return settings.cluster().management() || settings.cluster().kubernetesBootstrap()
        ? d.reject()
        : new MetricsRoutes(metrics, settings.metrics()).route();
  }

  private static AccountSample sample(PoolEntry account, long now) {
    return new AccountSample(account.platform(), account.status().name().toLowerCase(Locale.ROOT),
        account.cooldowns().stream().anyMatch(m -> m.activeAt(now)));
  }
}
