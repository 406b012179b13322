package dev.relaycluster.metrics;

import dev.relaycluster.config.MetricsSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Prometheus metrics (one registry per actor system): what the relay, the HTTP routes and the node's
 * start-up tell it through intention-named calls, each one line at its call site, and the JVM's own meters.
 * Labels are bounded: pools, dialects, platforms, statuses, outcomes and causes are the relay's own names,
 * models are capped ({@code relay.metrics.max-models}); no key, session or request ids.
 */
public final class RelayMetrics implements Extension {
  private static final Logger log = LoggerFactory.getLogger(RelayMetrics.class);

  public static final ExtensionId<RelayMetrics> ID = new ExtensionId<>() {
    @Override
    public RelayMetrics createExtension(ActorSystem<?> system) {
      RelayMetrics metrics = new RelayMetrics(MetricsSettings.from(system.settings().config()));
      JvmGcMetrics gc = metrics.bindJvm();
      system.getWhenTerminated().thenRun(() -> {
        gc.close();
        metrics.registry.close();
      });
      return metrics;
    }
  };

  /** The exposition formats' content types (the registry's writers pick their format by them). */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  public static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RequestMeters requests = new RequestMeters(registry);
  private final UsageMeters usage;
  private final KeyMeters keys;
  private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> openStreams = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> projectionLag = new ConcurrentHashMap<>();
  private final AtomicLong openSockets = new AtomicLong();
  private final Timer usageSettle;
  private final Map<String, Timer> journalWrites = new ConcurrentHashMap<>();

  public static RelayMetrics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** A registry without the JVM's meters (tests); a node gets its own through {@link #get}. */
  public RelayMetrics(MetricsSettings settings) {
    this.usage = new UsageMeters(registry, settings.maxModels());
    this.keys = new KeyMeters(registry, settings.keys());
    Gauge.builder("relay.websockets.open", openSockets, AtomicLong::get)
        .description("Client WebSockets open on this node").register(registry);
    this.usageSettle = RequestMeters.histogram("relay.usage.settle",
            "Time for a key's entity to persist one request's usage record (its journal write, batched)",
            Duration.ofMillis(1), Duration.ofSeconds(30), RequestMeters.seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1))
        .register(registry);
  }

  private JvmGcMetrics bindJvm() {
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return gc;
  }

  /** The registry, for meters a module registers itself (the cluster's, gauges read at scrape). */
  public MeterRegistry registry() {
    return registry;
  }

  /** Runs {@code refresh} before every scrape (gauges counted from a replica, cheap and without a hop). */
  public void beforeEachScrape(Runnable refresh) {
    beforeScrape.add(refresh);
  }

  /** The metrics now: OpenMetrics when {@code accept} (the Accept header, or null) asks for it, else text. */
  public Exposition scrape(String accept) {
    for (Runnable refresh : beforeScrape) {
      try {
        refresh.run();
      } catch (RuntimeException e) {
        log.debug("refreshing a gauge before a scrape failed: {}", e.toString());
      }
    }
    String contentType = accept != null && accept.contains("application/openmetrics-text")
        ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
    return new Exposition(contentType, registry.scrape(contentType));
  }

  /** A relayed request ended (its usage settled): {@code outcome} as the ledger records it. */
  public void requestFinished(String pool, String clientDialect, String platform, int status, String outcome) {
    requests.finished(pool, clientDialect, platform, status, outcome);
  }

  /** Whether this key (by id or name) was marked for series of its own ({@code relay.metrics.keys}). */
  public boolean watchesKey(String keyId, String keyName) {
    return keys.watches(keyId, keyName);
  }

  /** A marked key's request ended: its status, tokens and real cost under the key's name. */
  public void keyRequest(String keyName, int status, long inputTokens, long outputTokens, long costMicros) {
    keys.request(keyName, status, inputTokens, outputTokens, costMicros);
  }

  /** Time from the request's start to the first byte of its answer. */
  public void ttfb(String pool, String clientDialect, long nanos) {
    requests.ttfb(pool, clientDialect, nanos);
  }

  /** One attempt's wait for upstream's response headers. */
  public void upstreamLatency(String pool, String platform, long nanos) {
    requests.upstreamLatency(pool, platform, nanos);
  }

  /** Time the request spent inside the relay, upstream's time excluded. */
  public void relayOverhead(String pool, String clientDialect, long nanos) {
    requests.overhead(pool, clientDialect, nanos);
  }

  /** A request moved on to another account before any byte reached the client. */
  public void failover(String pool, String cause) {
    requests.failover(pool, cause);
  }

  /** {@code n} tokens of {@code kind} (input, output, cache_read, cache_write_5m, cache_write_1h). */
  public void tokens(String pool, String model, String kind, long n) {
    usage.tokens(pool, model, kind, n);
  }

  /** Real cost in micro-dollars. */
  public void cost(String pool, String model, long micros) {
    usage.cost(pool, model, micros);
  }

  public void streamOpened(String pool) {
    stream(pool).incrementAndGet();
  }

  public void streamClosed(String pool) {
    stream(pool).decrementAndGet();
  }

  public void socketOpened() {
    openSockets.incrementAndGet();
  }

  public void socketClosed() {
    openSockets.decrementAndGet();
  }

  /** A usage record was taken by its key's entity after {@code nanos}. */
  public void usageSettled(long nanos) {
    usageSettle.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * One journal write of an entity ({@code apikey}: a batch of usage records; {@code account}), from its
   * persist to its events being written; {@code entity} is one of the relay's own entity names.
   */
  public void journalWritten(String entity, long nanos) {
    Timer timer = journalWrites.get(entity);
    if (timer == null) {
      timer = journalWrites.computeIfAbsent(entity, e -> RequestMeters.histogram("relay.journal.write",
              "Time for an entity's journal write alone, from its persist to its events being written",
              Duration.ofMillis(1), Duration.ofSeconds(30),
              RequestMeters.seconds(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1))
          .tag("entity", RequestMeters.label(e)).register(registry));
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** How many usage events of {@code tag} the usage projection has not handled yet. */
  public void projectionLag(String tag, long events) {
    projectionLag.computeIfAbsent(tag, t -> {
      AtomicLong lag = new AtomicLong();
      Gauge.builder("relay.projection.lag.events", lag, AtomicLong::get)
          .description("Usage events the request-log projection has not handled yet, by tag")
          .tag("tag", t).register(registry);
      return lag;
    }).set(Math.max(0, events));
  }

  /** The requests in flight on this node, read at each scrape. */
  public void inFlightFrom(IntSupplier inFlight) {
    Gauge.builder("relay.requests.in.flight", inFlight::getAsInt)
        .description("Admitted requests on this node that have not settled yet").register(registry);
  }

  /** The usage records this node keeps because their key's entity has not taken them yet. */
  public void usageBacklogFrom(IntSupplier records, IntSupplier onDisk, LongSupplier oldestAgeMillis) {
    Gauge.builder("relay.usage.backlog.records", records::getAsInt)
        .description("Usage records waiting on this node for their key's entity").register(registry);
    Gauge.builder("relay.usage.backlog.on.disk", onDisk::getAsInt)
        .description("Of the waiting usage records, those kept in the spool on disk").register(registry);
    TimeGauge.builder("relay.usage.backlog.oldest.age", oldestAgeMillis::getAsLong, TimeUnit.MILLISECONDS)
        .description("How long the oldest waiting usage record has waited").register(registry);
  }

  /** Accounts by pool and state, and cooling ones, counted from {@code accounts} at each scrape. */
  public void accountsFrom(Supplier<? extends Collection<AccountSample>> accounts, List<String> states) {
    beforeEachScrape(new AccountGauges(registry, accounts, states));
  }

  private AtomicLong stream(String pool) {
    AtomicLong open = openStreams.get(pool);
    if (open != null) {
      return open;
    }
    return openStreams.computeIfAbsent(pool, p -> {
      AtomicLong n = new AtomicLong();
      Gauge.builder("relay.streams.open", n, AtomicLong::get)
          .description("Streamed answers being sent on this node, by pool")
          .tag("pool", RequestMeters.label(p)).register(registry);
      return n;
    });
  }
}
