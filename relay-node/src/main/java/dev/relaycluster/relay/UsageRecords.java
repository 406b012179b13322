package dev.relaycluster.relay;

import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.client.ClientIdentity;
import dev.relaycluster.protocol.client.ClientRecognizer;
import dev.relaycluster.protocol.pricing.Cost;
import dev.relaycluster.protocol.pricing.CostCalculator;
import dev.relaycluster.protocol.pricing.PriceTable;
import dev.relaycluster.protocol.pricing.PricedModel;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.usage.PriceBook;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;

/** Builds a request's usage record, priced with the node's current price table. */
public final class UsageRecords {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UsageRecords.class);
  private final PriceBook prices;
  private final ClientRecognizer clients;
  private final RelaySettings.Pricing pricing;

  public UsageRecords(PriceBook prices, ClientRecognizer clients, RelaySettings.Pricing pricing) {
    this.prices = prices;
    this.clients = clients;
    this.pricing = pricing;
  }

  public UsageRecords(PriceTable prices, ClientRecognizer clients, RelaySettings.Pricing pricing) {
    this(PriceBook.fixed(prices, pricing.fallbackModel()), clients, pricing);
  }

  /** As the full form, for a request that never got upstream's headers, at the account's list price. */
  public UsageRecord record(RelayCall call, String accountId, int attempts, String servedModel, TokenUsage usage,
      int status, RequestOutcome outcome, String errorType, long firstByteNanos) {
    return record(call, accountId, attempts, servedModel, usage, status, outcome, errorType, firstByteNanos, 0, 1.0);
  }

  /**
   * The record, with both dialects the client's: a converted request's caller sets the upstream one through
   * {@link UsageRecord#withUpstreamDialect(String)}.
   *
   * @param accountId the account that served it, or null when none did
   * @param servedModel the model upstream reported, or null
   * @param firstByteNanos when the first byte of the answer passed (System.nanoTime), or 0
   * @param headersNanos when upstream's response headers arrived (System.nanoTime), or 0
   * @param accountPriceMultiplier the serving account's price multiplier, applied to the real cost
   */
  public UsageRecord record(RelayCall call, String accountId, int attempts, String servedModel, TokenUsage usage,
      int status, RequestOutcome outcome, String errorType, long firstByteNanos, long headersNanos,
      double accountPriceMultiplier) {
    String model = servedModel != null && !servedModel.isBlank() ? servedModel : call.targetModel();
    PriceTable table = prices.current();
    PricedModel priced = table.price(model, prices.fallbackModel());
    double multiplier = usable(accountPriceMultiplier, "account price multiplier", accountId);
    Cost cost = CostCalculator.cost(priced, usage, multiplier);
    ClientIdentity client = clients.recognize(call.userAgent());
    double serviceRate = usable(pricing.serviceRate(call.pool()) * call.key().serviceRate(call.pool()),
        "service rate", call.key().id());
    long firstByteMs = firstByteNanos == 0 ? -1 : (firstByteNanos - call.startedNanos()) / 1_000_000;
    long headersMs = headersNanos == 0 ? -1 : (headersNanos - call.startedNanos()) / 1_000_000;
    // The upstream dialect is the client's unless the request was converted (the caller says so afterwards).
    String dialect = call.dialect().id().wireName();
    return new UsageRecord(
        call.requestId(),
        call.key().id(),
        accountId,
        call.pool(),
        call.dialect().recordedEndpoint(call.endpoint()),
        call.request().model(),
        servedModel,
        call.request().stream(),
        usage.inputTokens(),
        usage.outputTokens(),
        usage.cacheReadTokens(),
        usage.cacheWrite5mTokens(),
        usage.cacheWrite1hTokens(),
        cost.inputMicros(),
        cost.outputMicros(),
        cost.cacheWriteMicros(),
        cost.cacheReadMicros(),
        cost.totalMicros(),
        CostCalculator.rated(cost.totalMicros(), serviceRate),
        table.version(),
        priced.fallback(),
        status,
        outcome,
        errorType,
        call.startedAtMillis(),
        call.elapsedMillis(),
        firstByteMs,
        attempts,
        call.sessionKey().map(k -> Hashing.sha256Hex(k.value()).substring(0, 16)).orElse(null),
        call.userAgent(),
        client.kind(),
        client.version(),
        headersMs,
        multiplier,
        serviceRate,
        dialect,
        dialect);
  }

  /** A rate that cannot price anything (negative, NaN, infinite) is taken as 1 rather than losing the record. */
  private static double usable(double rate, String what, String of) {
    if (rate >= 0 && !Double.isInfinite(rate)) {
      return rate;
    }
    log.warn("{} of {} is {}; pricing at 1", what, of, rate);
    return 1.0;
  }
}
