package dev.relaycluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The per-request meters: requests by pool, client dialect, upstream platform, status class and outcome;
 * time to first byte, relay overhead and upstream latency as histograms; failovers by cause. Each label tuple's
 * meter is resolved once and kept, so a request costs a map lookup and an increment. Every label here comes
 * from a bounded set (pools, dialects, platforms and causes are the relay's own names).
 */
final class RequestMeters {
  private record RequestKey(String pool, String dialect, String platform, int statusClass, String outcome) {}

  private record PoolAnd(String pool, String other) {}

  private final MeterRegistry registry;
  private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
  private final Map<PoolAnd, Timer> ttfb = new ConcurrentHashMap<>();
  private final Map<PoolAnd, Timer> overhead = new ConcurrentHashMap<>();
  private final Map<PoolAnd, Timer> upstream = new ConcurrentHashMap<>();
  private final Map<PoolAnd, Counter> failovers = new ConcurrentHashMap<>();

  RequestMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void finished(String pool, String dialect, String platform, int status, String outcome) {
    requests.computeIfAbsent(new RequestKey(pool, dialect, platform, status / 100, outcome), k ->
        Counter.builder("relay.requests")
            .description("Relayed requests that ended, by pool, client dialect, upstream platform, status class "
                + "and outcome")
            .tag("pool", label(k.pool())).tag("dialect", label(k.dialect())).tag("platform", label(k.platform()))
            .tag("status", statusClass(k.statusClass()))
            .tag("outcome", label(k.outcome()).toLowerCase(Locale.ROOT))
            .register(registry))
        .increment();
  }

  void ttfb(String pool, String dialect, long nanos) {
    ttfb.computeIfAbsent(new PoolAnd(pool, dialect), k ->
        histogram("relay.request.ttfb", "Time from a request's start to the first byte of its answer",
            Duration.ofMillis(5), Duration.ofMinutes(2), seconds(0.25, 0.5, 1, 2, 5, 10, 30, 60))
            .tag("pool", label(k.pool())).tag("dialect", label(k.other())).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  void overhead(String pool, String dialect, long nanos) {
    overhead.computeIfAbsent(new PoolAnd(pool, dialect), k ->
        histogram("relay.overhead", "Time a request spent inside the relay, upstream's time excluded (to the "
                + "answer's headers for streams)",
            Duration.ofNanos(50_000), Duration.ofSeconds(5), seconds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25))
            .tag("pool", label(k.pool())).tag("dialect", label(k.other())).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  void upstreamLatency(String pool, String platform, long nanos) {
    upstream.computeIfAbsent(new PoolAnd(pool, platform), k ->
        histogram("relay.upstream.latency", "Time from sending a request upstream to upstream's response headers, "
                + "per attempt",
            Duration.ofMillis(5), Duration.ofMinutes(5), seconds(0.25, 0.5, 1, 2, 5, 10, 30, 60))
            .tag("pool", label(k.pool())).tag("platform", label(k.other())).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  void failover(String pool, String cause) {
    failovers.computeIfAbsent(new PoolAnd(pool, cause), k ->
        Counter.builder("relay.failovers")
            .description("Requests moved to another account before any byte reached the client, by cause")
            .tag("pool", label(k.pool())).tag("cause", label(k.other()))
            .register(registry))
        .increment();
  }

  /** A latency histogram: Prometheus buckets over [min, max] plus the given service-level bounds. */
  static Timer.Builder histogram(String name, String description, Duration min, Duration max, Duration... slos) {
    return Timer.builder(name).description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(min)
        .maximumExpectedValue(max)
        .serviceLevelObjectives(slos);
  }

  static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return out;
  }

  static String label(String value) {
    return value == null || value.isBlank() ? "none" : value;
  }

  static String statusClass(int hundreds) {
    return hundreds >= 1 && hundreds <= 5 ? hundreds + "xx" : "other";
  }
}
