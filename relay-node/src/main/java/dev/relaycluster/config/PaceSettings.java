package dev.relaycluster.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * When an account counts as slow or failing for its sticky sessions ({@code relay.accounts.pace}): the average
 * time to the first byte ({@code slowFirstByte}, zero: never slow) and the share of failed attempts
 * ({@code errorRate}, zero: never failing) above which it does, the attempts over all nodes before either is
 * believed, how long figures count, and how often a node shares its own.
 */
public record PaceSettings(Duration slowFirstByte, double errorRate, int minSamples, Duration window,
    Duration publishInterval) {

  /** Nothing counts as slow or failing. */
  public static final PaceSettings OFF =
      new PaceSettings(Duration.ZERO, 0, 1, Duration.ofMinutes(5), Duration.ofSeconds(2));

  public PaceSettings {
    if (slowFirstByte.isNegative() || !(errorRate >= 0 && errorRate <= 1) || minSamples < 1
        || window.isNegative() || window.isZero() || publishInterval.isNegative()) {
      throw new ConfigException.BadValue("relay.accounts.pace", "slow-first-byte >= 0, error-rate in 0..1, "
          + "min-samples >= 1, window > 0 and publish-interval >= 0 are required");
    }
  }

  /** Whether either test is on. */
  public boolean enabled() {
    return !slowFirstByte.isZero() || errorRate > 0;
  }

  public static PaceSettings from(Config root) {
    Config c = root.getConfig("relay.accounts.pace");
    return new PaceSettings(c.getDuration("slow-first-byte"), c.getDouble("error-rate"), c.getInt("min-samples"),
        c.getDuration("window"), c.getDuration("publish-interval"));
  }
}
