package dev.relaycluster.relay;

import dev.relaycluster.account.PoolView;
import dev.relaycluster.metrics.RelayMetrics;
import dev.relaycluster.usage.UsageRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the metrics about each request as it settles (exactly once, with its usage record): its outcome by
 * pool, client dialect and the serving account's platform; its time to first byte; its tokens and cost.
 */
final class SettledRequests {
  private static final Logger log = LoggerFactory.getLogger(SettledRequests.class);
  private final RelayMetrics metrics;
  private final PoolView pool;

  SettledRequests(RelayMetrics metrics, PoolView pool) {
    this.metrics = metrics;
    this.pool = pool;
  }

  /** Never throws: the metrics must not stand in the way of a settlement. */
  void settled(RelayCall call, UsageRecord r) {
    try {
      count(call, r);
    } catch (RuntimeException e) {
      log.debug("request {} could not be counted in the metrics: {}", r.requestId(), e.toString());
    }
  }

  private void count(RelayCall call, UsageRecord r) {
    String dialect = call.dialect().id().wireName();
    String platform = r.accountId() == null ? "none"
        : pool.find(r.accountId()).map(e -> e.type().wireName()).orElse("unknown");
    metrics.requestFinished(r.pool(), dialect, platform, r.status(), r.outcome().name());
    if (r.firstByteMs() >= 0) {
      metrics.ttfb(r.pool(), dialect, r.firstByteMs() * 1_000_000);
    }
    String model = r.servedModel() != null && !r.servedModel().isBlank() ? r.servedModel() : r.model();
    metrics.tokens(r.pool(), model, "input", r.inputTokens());
    metrics.tokens(r.pool(), model, "output", r.outputTokens());
    metrics.tokens(r.pool(), model, "cache_read", r.cacheReadTokens());
    metrics.tokens(r.pool(), model, "cache_write_5m", r.cacheWrite5mTokens());
    metrics.tokens(r.pool(), model, "cache_write_1h", r.cacheWrite1hTokens());
    metrics.cost(r.pool(), model, r.costMicros());
    if (metrics.watchesKey(r.keyId(), call.key().name())) {
      metrics.keyRequest(call.key().name(), r.status(), r.inputTokens(), r.outputTokens(), r.costMicros());
    }
  }
}
