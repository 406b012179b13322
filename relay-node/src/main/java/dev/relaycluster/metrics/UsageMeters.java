package dev.relaycluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens and micro-dollars by pool and model (and token kind). Model names come from clients and upstreams,
 * so they pass a {@link BoundedLabels}: past its cap further models count as {@code other}.
 */
final class UsageMeters {
  private record TokenKey(String pool, String model, String kind) {}

  private record CostKey(String pool, String model) {}

  private final MeterRegistry registry;
  private final BoundedLabels models;
  private final Map<TokenKey, Counter> tokens = new ConcurrentHashMap<>();
  private final Map<CostKey, Counter> cost = new ConcurrentHashMap<>();

  UsageMeters(MeterRegistry registry, int maxModels) {
    this.registry = registry;
    this.models = new BoundedLabels(maxModels);
  }

  void tokens(String pool, String model, String kind, long n) {
    if (n <= 0) {
      return;
    }
    tokens.computeIfAbsent(new TokenKey(pool, models.of(model), kind), k ->
        Counter.builder("relay.tokens")
            .description("Tokens of relayed requests, by pool, model and kind (input, output, cache_read, "
                + "cache_write_5m, cache_write_1h)")
            .tag("pool", RequestMeters.label(k.pool())).tag("model", k.model()).tag("kind", k.kind())
            .register(registry))
        .increment(n);
  }

  void cost(String pool, String model, long micros) {
    if (micros <= 0) {
      return;
    }
    cost.computeIfAbsent(new CostKey(pool, models.of(model)), k ->
        Counter.builder("relay.cost.micros")
            .description("Real cost of relayed requests in micro-dollars (list price times the account's multiplier),"
                + " by pool and model")
            .tag("pool", RequestMeters.label(k.pool())).tag("model", k.model())
            .register(registry))
        .increment(micros);
  }
}
