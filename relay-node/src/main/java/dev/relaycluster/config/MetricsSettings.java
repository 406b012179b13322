package dev.relaycluster.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * The node's Prometheus metrics, {@code relay.metrics}: the bearer token {@code GET /metrics} requires (empty:
 * none; from {@code RELAY_METRICS_TOKEN}) and how many distinct model names are kept as label values before
 * further ones count as {@code other}. The token never appears in {@link #toString()}.
 */
public record MetricsSettings(String token, int maxModels) {
  public static final MetricsSettings DEFAULTS = new MetricsSettings("", 50);

  public MetricsSettings {
    token = token == null ? "" : token.strip();
    if (maxModels < 1) {
      throw new ConfigException.BadValue("relay.metrics.max-models", "must be at least 1");
    }
  }

  public boolean tokenRequired() {
    return !token.isEmpty();
  }

  /** Reads {@code relay.metrics} of the node's configuration; absent: no token, the default model cap. */
  public static MetricsSettings from(Config root) {
    if (!root.hasPath("relay.metrics")) {
      return DEFAULTS;
    }
    Config c = root.getConfig("relay.metrics");
    return new MetricsSettings(c.hasPath("token") ? c.getString("token") : "",
        c.hasPath("max-models") ? c.getInt("max-models") : DEFAULTS.maxModels());
  }

  @Override
  public String toString() {
    return "MetricsSettings[token=" + (tokenRequired() ? "****" : "-") + ", maxModels=" + maxModels + "]";
  }
}
