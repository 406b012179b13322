package dev.relaycluster.usage;

import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.protocol.util.Utf16;

/**
 * One relayed request's audit record: who, where, which model, every token class, cost in integer
 * micro-dollars (with the price table version that produced it), status and timings.
 *
 * <p>{@code platform} is the pool the request was served from. {@code costMicros} is the real cost (table
 * price × {@code accountPriceMultiplier}); {@code ratedCostMicros} is real cost × {@code serviceRate} (the
 * pool's global rate × the key's rate). {@code firstByteMs} is the time to the answer's first byte,
 * {@code upstreamLatencyMs} the time to upstream's response headers (-1 when there were none).
 * Fields after {@code clientVersion} were added later: events recorded before have 0 latency and null
 * multiplier and rate, read through {@link #accountMultiplierOrOne()} and {@link #effectiveServiceRate()}.
 *
 * <p>{@code clientDialect} is the dialect the client spoke, {@code upstreamDialect} the one the serving platform
 * spoke (they differ when the request was converted), by their wire names ({@code anthropic},
 * {@code openai-responses}, {@code openai-chat}, {@code gemini}). Both came last: null in events and spool lines
 * written before.
 *
 * <p>{@code route} is the short form of the request's decision trace (its tries, as
 * {@code session:acc-1=529 overloaded > session-rebound:acc-2=200}); null when no try was made (a refusal) and in
 * events written before it was recorded.
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
    String clientVersion,
    long upstreamLatencyMs,
    Double accountPriceMultiplier,
    Double serviceRate,
    String clientDialect,
    String upstreamDialect,
    String route) implements CborSerializable {

  /**
   * Text in a record is well-formed: a client's model (or an upstream's) can carry an unpaired surrogate, written
   * as a JSON escape, which the event's CBOR writer refuses; the rejected event stopped the key's entity, and each
   * redelivery of the record stopped it again. Such a surrogate is kept as U+FFFD.
   */
  public UsageRecord {
    requestId = Utf16.repaired(requestId);
    keyId = Utf16.repaired(keyId);
    accountId = Utf16.repaired(accountId);
    platform = Utf16.repaired(platform);
    endpoint = Utf16.repaired(endpoint);
    model = Utf16.repaired(model);
    servedModel = Utf16.repaired(servedModel);
    priceVersion = Utf16.repaired(priceVersion);
    errorType = Utf16.repaired(errorType);
    sessionHash = Utf16.repaired(sessionHash);
    userAgent = Utf16.repaired(userAgent);
    client = Utf16.repaired(client);
    clientVersion = Utf16.repaired(clientVersion);
    clientDialect = Utf16.repaired(clientDialect);
    upstreamDialect = Utf16.repaired(upstreamDialect);
    route = Utf16.repaired(route);
  }

  /** A record without the route (unknown: null). */
  public UsageRecord(String requestId, String keyId, String accountId, String platform, String endpoint, String model,
      String servedModel, boolean stream, long inputTokens, long outputTokens, long cacheReadTokens,
      long cacheWrite5mTokens, long cacheWrite1hTokens, long inputCostMicros, long outputCostMicros,
      long cacheWriteCostMicros, long cacheReadCostMicros, long costMicros, long ratedCostMicros, String priceVersion,
      boolean priceFallback, int status, RequestOutcome outcome, String errorType, long startedAt, long durationMs,
      long firstByteMs, int attempts, String sessionHash, String userAgent, String client, String clientVersion,
      long upstreamLatencyMs, Double accountPriceMultiplier, Double serviceRate, String clientDialect,
      String upstreamDialect) {
    this(requestId, keyId, accountId, platform, endpoint, model, servedModel, stream, inputTokens, outputTokens,
        cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens, inputCostMicros, outputCostMicros,
        cacheWriteCostMicros, cacheReadCostMicros, costMicros, ratedCostMicros, priceVersion, priceFallback, status,
        outcome, errorType, startedAt, durationMs, firstByteMs, attempts, sessionHash, userAgent, client,
        clientVersion, upstreamLatencyMs, accountPriceMultiplier, serviceRate, clientDialect, upstreamDialect, null);
  }

  /** A record without the dialects (unknown: null). */
  public UsageRecord(String requestId, String keyId, String accountId, String platform, String endpoint, String model,
      String servedModel, boolean stream, long inputTokens, long outputTokens, long cacheReadTokens,
      long cacheWrite5mTokens, long cacheWrite1hTokens, long inputCostMicros, long outputCostMicros,
      long cacheWriteCostMicros, long cacheReadCostMicros, long costMicros, long ratedCostMicros, String priceVersion,
      boolean priceFallback, int status, RequestOutcome outcome, String errorType, long startedAt, long durationMs,
      long firstByteMs, int attempts, String sessionHash, String userAgent, String client, String clientVersion,
      long upstreamLatencyMs, Double accountPriceMultiplier, Double serviceRate) {
    this(requestId, keyId, accountId, platform, endpoint, model, servedModel, stream, inputTokens, outputTokens,
        cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens, inputCostMicros, outputCostMicros,
        cacheWriteCostMicros, cacheReadCostMicros, costMicros, ratedCostMicros, priceVersion, priceFallback, status,
        outcome, errorType, startedAt, durationMs, firstByteMs, attempts, sessionHash, userAgent, client,
        clientVersion, upstreamLatencyMs, accountPriceMultiplier, serviceRate, null, null);
  }

  /** A record without the later fields (latency unknown, multiplier and rate as the costs imply). */
  public UsageRecord(String requestId, String keyId, String accountId, String platform, String endpoint, String model,
      String servedModel, boolean stream, long inputTokens, long outputTokens, long cacheReadTokens,
      long cacheWrite5mTokens, long cacheWrite1hTokens, long inputCostMicros, long outputCostMicros,
      long cacheWriteCostMicros, long cacheReadCostMicros, long costMicros, long ratedCostMicros, String priceVersion,
      boolean priceFallback, int status, RequestOutcome outcome, String errorType, long startedAt, long durationMs,
      long firstByteMs, int attempts, String sessionHash, String userAgent, String client, String clientVersion) {
    this(requestId, keyId, accountId, platform, endpoint, model, servedModel, stream, inputTokens, outputTokens,
        cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens, inputCostMicros, outputCostMicros,
        cacheWriteCostMicros, cacheReadCostMicros, costMicros, ratedCostMicros, priceVersion, priceFallback, status,
        outcome, errorType, startedAt, durationMs, firstByteMs, attempts, sessionHash, userAgent, client,
        clientVersion, -1, null, null, null, null);
  }

  /** This record with the dialect the serving platform spoke (a converted request's differs from the client's). */
  public UsageRecord withUpstreamDialect(String dialect) {
    return new UsageRecord(requestId, keyId, accountId, platform, endpoint, model, servedModel, stream, inputTokens,
        outputTokens, cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens, inputCostMicros, outputCostMicros,
        cacheWriteCostMicros, cacheReadCostMicros, costMicros, ratedCostMicros, priceVersion, priceFallback, status,
        outcome, errorType, startedAt, durationMs, firstByteMs, attempts, sessionHash, userAgent, client,
        clientVersion, upstreamLatencyMs, accountPriceMultiplier, serviceRate, clientDialect, dialect, route);
  }

  /** This record with the short form of its decision trace ({@code route}). */
  public UsageRecord withRoute(String route) {
    return new UsageRecord(requestId, keyId, accountId, platform, endpoint, model, servedModel, stream, inputTokens,
        outputTokens, cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens, inputCostMicros, outputCostMicros,
        cacheWriteCostMicros, cacheReadCostMicros, costMicros, ratedCostMicros, priceVersion, priceFallback, status,
        outcome, errorType, startedAt, durationMs, firstByteMs, attempts, sessionHash, userAgent, client,
        clientVersion, upstreamLatencyMs, accountPriceMultiplier, serviceRate, clientDialect, upstreamDialect, route);
  }

  /** The price version of usage imported from another relay's history, which re-pricing leaves as it is. */
  public static final String IMPORTED_PREFIX = "imported:";

  /** Whether this is usage imported from another relay (priced there), not a request relayed here. */
  public boolean imported() {
    return priceVersion != null && priceVersion.startsWith(IMPORTED_PREFIX);
  }

  /** The pool the request was served from (pools are per platform). */
  public String pool() {
    return platform;
  }

  /** Whether the usage is only what was seen before the answer was cut (stream broken or abandoned). */
  public boolean incomplete() {
    return !outcome.complete();
  }

  public double accountMultiplierOrOne() {
    return accountPriceMultiplier == null ? 1.0 : accountPriceMultiplier;
  }

  /** The rate from real to rated cost: as recorded, or for older events as their two costs imply. */
  public double effectiveServiceRate() {
    if (serviceRate != null) {
      return serviceRate;
    }
    return costMicros == 0 ? 1.0 : (double) ratedCostMicros / costMicros;
  }

  public long totalTokens() {
    return inputTokens + outputTokens + cacheReadTokens + cacheWrite5mTokens + cacheWrite1hTokens;
  }
}
