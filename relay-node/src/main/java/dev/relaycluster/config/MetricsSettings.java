package dev.relaycluster.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * The node's Prometheus metrics, {@code relay.metrics}: the bearer token {@code GET /metrics} requires (empty:
 * none; from {@code RELAY_METRICS_TOKEN}), how many distinct model names are kept as label values before
 * further ones count as {@code other}, and the keys (names or ids, {@code RELAY_METRICS_KEYS}) that get series
 * of their own. The token never appears in {@link #toString()}.
 */
public record MetricsSettings(String token, int maxModels, java.util.Set<String> keys) {
  public static final MetricsSettings DEFAULTS = new MetricsSettings("", 50, java.util.Set.of());

  public MetricsSettings(String token, int maxModels) {
    this(token, maxModels, java.util.Set.of());
  }

  public MetricsSettings {
    keys = keys == null ? java.util.Set.of() : java.util.Set.copyOf(keys);
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
    java.util.Set<String> keys = new java.util.HashSet<>();
    if (c.hasPath("keys")) {
      for (String k : c.getString("keys").split(",")) {
        if (!k.isBlank()) {
          keys.add(k.strip());
        }
      }
    }
    return new MetricsSettings(c.hasPath("token") ? c.getString("token") : "",
        c.hasPath("max-models") ? c.getInt("max-models") : DEFAULTS.maxModels(), keys);
  }

  @Override
  public String toString() {
    return "MetricsSettings[token=" + (tokenRequired() ? "****" : "-") + ", maxModels=" + maxModels + ", keys="
        + keys + "]";
  }
}
