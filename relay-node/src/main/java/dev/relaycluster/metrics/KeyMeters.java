package dev.relaycluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Series of their own for the keys an operator marks ({@code relay.metrics.keys}, by name or id), labelled
 * with the key's name: requests by status class, tokens by kind, and cost. Unmarked keys get none, so the
 * label set stays as small as the operator makes it.
 */
final class KeyMeters {
  private final MeterRegistry registry;
  private final Set<String> marked;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  KeyMeters(MeterRegistry registry, Set<String> marked) {
    this.registry = registry;
    this.marked = marked;
  }

  boolean watches(String keyId, String keyName) {
    return !marked.isEmpty() && (marked.contains(keyId) || (keyName != null && marked.contains(keyName)));
  }

  void request(String keyName, int status, long inputTokens, long outputTokens, long costMicros) {
    counter("relay.key.requests", "Relayed requests of a marked key", keyName, "status", RequestMeters.statusClass(status / 100))
        .increment();
    counter("relay.key.tokens", "Tokens of a marked key", keyName, "kind", "input").increment(inputTokens);
    counter("relay.key.tokens", "Tokens of a marked key", keyName, "kind", "output").increment(outputTokens);
    counter("relay.key.cost.micros", "Real cost of a marked key in micro-dollars", keyName, null, null)
        .increment(costMicros);
  }

  private Counter counter(String name, String description, String key, String tag, String value) {
    return counters.computeIfAbsent(name + "\n" + key + "\n" + tag + "\n" + value, k -> {
      Counter.Builder b = Counter.builder(name).description(description).tag("key", key);
      if (tag != null) {
        b.tag(tag, value);
      }
      return b.register(registry);
    });
  }
}
