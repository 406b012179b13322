package dev.relaycluster.usage;

import dev.relaycluster.node.CborSerializable;

/**
 * One relayed request's audit record: who, where, which model, every token class, cost in integer
 * micro-dollars (with the price table version that produced it), status and timings.
 */
public record UsageRecord(
    String requestId,
    String keyId,
    String accountId,
    String platform,
    String endpoint,
    String model,
    String servedModel,
    boolean stream,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWrite5mTokens,
    long cacheWrite1hTokens,
    long inputCostMicros,
    long outputCostMicros,
    long cacheWriteCostMicros,
    long cacheReadCostMicros,
    long costMicros,
    long ratedCostMicros,
    String priceVersion,
    boolean priceFallback,
    int status,
    RequestOutcome outcome,
    String errorType,
    long startedAt,
    long durationMs,
    long firstByteMs,
    int attempts,
    String sessionHash,
    String userAgent,
    String client,
    String clientVersion) implements CborSerializable {

  public long totalTokens() {
    return inputTokens + outputTokens + cacheReadTokens + cacheWrite5mTokens + cacheWrite1hTokens;
  }
}
