package dev.relaycluster.http;

import dev.relaycluster.config.MetricsSettings;
import dev.relaycluster.metrics.RelayMetrics;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code GET /metrics} on the Pekko Management port, when management is on: named in
 * {@code pekko.management.http.routes.relay-metrics}, which Pekko Management instantiates when it starts.
 */
public final class MetricsManagementRoutes implements ManagementRouteProvider {
  private final Route route;

  public MetricsManagementRoutes(ExtendedActorSystem system) {
    this.route = new MetricsRoutes(RelayMetrics.get(Adapter.toTyped(system)),
        MetricsSettings.from(system.settings().config())).route();
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return route;
  }
}
