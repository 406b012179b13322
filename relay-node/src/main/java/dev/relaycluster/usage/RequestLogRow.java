package dev.relaycluster.usage;

/**
 * One row of the request log as the usage API returns it, with the cost broken down by token class;
 * {@code complete} is false when the usage is only what was seen before the answer was cut. {@code clientDialect}
 * and {@code upstreamDialect} (null for requests logged before they were recorded) differ when it was converted.
 * {@code route} is the short form of its decision trace (null when no try was made, and before it was recorded).
 */
public record RequestLogRow(
    String requestId,
    String time,
    long startedAt,
    String keyId,
    String accountId,
    String endpoint,
    String model,
    String servedModel,
    boolean stream,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long cacheWrite5mTokens,
    long cacheWrite1hTokens,
    long costMicros,
    String costUsd,
    String priceVersion,
    boolean priceFallback,
    int status,
    String outcome,
    boolean complete,
    String errorType,
    long durationMs,
    long firstByteMs,
    int attempts,
    String pool,
    long inputCostMicros,
    long outputCostMicros,
    long cacheWriteCostMicros,
    long cacheReadCostMicros,
    long ratedCostMicros,
    double accountMultiplier,
    double serviceRate,
    long upstreamLatencyMs,
    String client,
    String clientVersion,
    String sessionHash,
    String clientDialect,
    String upstreamDialect,
    String route) {}
