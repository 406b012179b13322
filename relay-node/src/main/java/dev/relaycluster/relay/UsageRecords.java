package dev.relaycluster.relay;

import dev.relaycluster.node.RelaySettings;
import dev.relaycluster.protocol.client.ClientIdentity;
import dev.relaycluster.protocol.client.ClientRecognizer;
import dev.relaycluster.protocol.pricing.Cost;
import dev.relaycluster.protocol.pricing.CostCalculator;
import dev.relaycluster.protocol.pricing.PriceTable;
import dev.relaycluster.protocol.pricing.PricedModel;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;

/** Builds a request's usage record, priced with the node's price table. */
public final class UsageRecords {
  private final PriceTable prices;
  private final ClientRecognizer clients;
  private final RelaySettings.Pricing pricing;

  public UsageRecords(PriceTable prices, ClientRecognizer clients, RelaySettings.Pricing pricing) {
    this.prices = prices;
    this.clients = clients;
    this.pricing = pricing;
  }

  /**
   * @param accountId the account that served it, or null when none did
   * @param servedModel the model upstream reported, or null
   * @param firstByteNanos when the first byte of the answer passed (System.nanoTime), or 0
   */
  public UsageRecord record(RelayCall call, String accountId, int attempts, String servedModel, TokenUsage usage,
      int status, RequestOutcome outcome, String errorType, long firstByteNanos) {
    String model = servedModel != null && !servedModel.isBlank() ? servedModel : call.request().model();
    PricedModel priced = prices.price(model, PriceTable.DEFAULT_FALLBACK);
    Cost cost = CostCalculator.cost(priced.price(), usage);
    ClientIdentity client = clients.recognize(call.userAgent());
    long ratedMicros = Math.round(cost.totalMicros() * pricing.serviceRate(call.platform())
        * call.key().serviceRate(call.platform()));
    long firstByteMs = firstByteNanos == 0 ? -1 : (firstByteNanos - call.startedNanos()) / 1_000_000;
    return new UsageRecord(
        call.requestId(),
        call.key().id(),
        accountId,
        call.platform(),
        call.endpoint(),
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
        ratedMicros,
        prices.version(),
        priced.fallback(),
        status,
        outcome,
        errorType,
        call.startedAtMillis(),
        call.elapsedMillis(),
        firstByteMs,
        attempts,
        call.sessionKey().map(k -> dev.relaycluster.protocol.util.Hashing.sha256Hex(k.value()).substring(0, 16))
            .orElse(null),
        call.userAgent(),
        client.kind(),
        client.version());
  }
}
