package dev.relaycluster.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how the node keeps usage records that could not reach their key's entity
 * ({@code relay.usage.spool}): the spool directory ({@code dir}, empty meaning {@code <data-dir>/usage-spool}),
 * the back-off of re-sends from {@code retryFirst} doubling up to {@code retryMax}, the size at which a
 * spool file is closed to new records, how many re-sends may be in flight at once, and how long one waits
 * for the entity ({@code relay.http.ask-timeout}).
 */
public record UsageSpoolSettings(Path dir, Duration retryFirst, Duration retryMax, long segmentBytes,
    int maxInFlight, Duration askTimeout) {

  public static UsageSpoolSettings from(Config root) {
    Config relay = root.getConfig("relay");
    Config c = relay.getConfig("usage.spool");
    Path dataDir = Path.of(relay.getString("data-dir")).toAbsolutePath().normalize();
    String dir = c.getString("dir");
    Path spoolDir = dir.isBlank() ? dataDir.resolve("usage-spool") : Path.of(dir).toAbsolutePath().normalize();
    Duration first = c.getDuration("retry-first");
    Duration max = c.getDuration("retry-max");
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new ConfigException.BadValue("relay.usage.spool.retry-first",
          "must be > 0 and not more than relay.usage.spool.retry-max");
    }
    long segment = c.getBytes("segment-size");
    int inFlight = c.getInt("max-in-flight");
    if (segment < 1 || inFlight < 1) {
      throw new ConfigException.BadValue("relay.usage.spool", "segment-size and max-in-flight must be at least 1");
    }
    return new UsageSpoolSettings(spoolDir, first, max, segment, inFlight, relay.getDuration("http.ask-timeout"));
  }
}
