package dev.relaycluster.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * How the node guards its client connections, read once from {@code relay.http}: the most connections
 * for API traffic ({@code max-connections}, lowered at start to what the open-files limit allows), the
 * connections kept beyond them for {@code /health} and the admin ({@code reserved-connections}), the file
 * descriptors kept free for the node's own files and sockets ({@code file-descriptor-reserve}), and the
 * three short client timeouts: a new connection's first request head must be complete within
 * {@code header-timeout}; a kept-alive connection's next head within {@code keep-alive-timeout} of the
 * previous answer's end; a request body may pause at most {@code body-idle-timeout} between two reads.
 * None of them limits how long an answer takes.
 */
public record ConnectionSettings(int maxConnections, int reservedConnections, int fileDescriptorReserve,
    Duration headerTimeout, Duration keepAliveTimeout, Duration bodyIdleTimeout) {

  public ConnectionSettings {
    if (maxConnections < 1) {
      throw new ConfigException.BadValue("relay.http.max-connections", "must be at least 1");
    }
    if (reservedConnections < 0 || fileDescriptorReserve < 0) {
      throw new ConfigException.BadValue("relay.http.reserved-connections",
          "reserved connections and file descriptors cannot be negative");
    }
    positive("relay.http.header-timeout", headerTimeout);
    positive("relay.http.keep-alive-timeout", keepAliveTimeout);
    positive("relay.http.body-idle-timeout", bodyIdleTimeout);
  }

  /** Reads {@code relay.http} of the node's (resolved) configuration. */
  public static ConnectionSettings from(Config root) {
    Config c = root.getConfig("relay.http");
    return new ConnectionSettings(c.getInt("max-connections"), c.getInt("reserved-connections"),
        c.getInt("file-descriptor-reserve"), c.getDuration("header-timeout"), c.getDuration("keep-alive-timeout"),
        c.getDuration("body-idle-timeout"));
  }

  private static void positive(String path, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException.BadValue(path, "must be longer than zero");
    }
  }
}
