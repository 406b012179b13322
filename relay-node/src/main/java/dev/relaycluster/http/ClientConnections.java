package dev.relaycluster.http;

import dev.relaycluster.config.ConnectionSettings;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP listener: its routes behind a {@link ConnectionGuard} on every connection, and a
 * connection cap chosen at start from {@code relay.http} ({@link ConnectionSettings}) and the process's
 * open-files limit ({@link ConnectionCap}).
 */
public final class ClientConnections {
  private static final Logger log = LoggerFactory.getLogger(ClientConnections.class);
  /** Below this many API connections, a cap lowered by the open-files limit is worth a warning. */
  private static final int FEW_CONNECTIONS = 1024;

  private ClientConnections() {}

  /** Binds {@code routes} at {@code host:port} with the settings in the system's {@code relay.http}. */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, String host, int port, Route routes) {
    ConnectionSettings settings = ConnectionSettings.from(system.settings().config());
    ConnectionCap cap = ConnectionCap.of(settings.maxConnections(), settings.reservedConnections(),
        settings.fileDescriptorReserve(), ConnectionCap.processOpenFilesLimit());
    if (cap.limitedByFiles() && cap.api() < FEW_CONNECTIONS) {
      log.warn("The open-files limit ({}) leaves room for only {} client connections; raise it (ulimit -n)",
          cap.openFilesLimit(), cap.api());
    }
    log.info("Client connections: at most {} for API traffic{} and {} more for /health and the admin (open-files "
            + "limit {}); request heads within {} ({} on a kept-alive connection), request bodies pause at most {}",
        cap.api(), cap.limitedByFiles() ? " (relay.http.max-connections " + settings.maxConnections()
            + ", lowered to fit the open-files limit)" : "", cap.reserved(),
        cap.openFilesLimit() > 0 ? cap.openFilesLimit() : "unknown",
        text(settings.headerTimeout()), text(settings.keepAliveTimeout()), text(settings.bodyIdleTimeout()));
    ServerSettings server = ServerSettings.create(system.classicSystem()).withMaxConnections(cap.accepted());
    return Http.get(system).newServerAt(host, port).withSettings(server)
        .bindFlow(ConnectionGuard.around(routes.flow(system), settings, cap, new AtomicInteger()));
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
