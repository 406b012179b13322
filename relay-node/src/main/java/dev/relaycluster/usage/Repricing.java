package dev.relaycluster.usage;

import dev.relaycluster.protocol.pricing.Cost;
import dev.relaycluster.protocol.pricing.CostCalculator;
import dev.relaycluster.protocol.pricing.PriceTable;
import dev.relaycluster.protocol.pricing.PricedModel;
import dev.relaycluster.protocol.usage.TokenUsage;

/** Prices a recorded request again with another table (pure): same tokens, multiplier and service rate. */
public final class Repricing {
  private Repricing() {}

  /** The record's costs as {@code table} prices it; everything else stays as recorded. */
  public static UsageRecord reprice(UsageRecord u, PriceTable table, String fallbackModel) {
    PricedModel priced = table.price(Dimension.pricedModel(u), fallbackModel);
    TokenUsage tokens = new TokenUsage(u.inputTokens(), u.outputTokens(), u.cacheReadTokens(), u.cacheWrite5mTokens(),
        u.cacheWrite1hTokens());
    Cost cost = CostCalculator.cost(priced, tokens, u.accountMultiplierOrOne());
    double rate = u.effectiveServiceRate();
    return new UsageRecord(u.requestId(), u.keyId(), u.accountId(), u.platform(), u.endpoint(), u.model(),
        u.servedModel(), u.stream(), u.inputTokens(), u.outputTokens(), u.cacheReadTokens(), u.cacheWrite5mTokens(),
        u.cacheWrite1hTokens(), cost.inputMicros(), cost.outputMicros(), cost.cacheWriteMicros(),
        cost.cacheReadMicros(), cost.totalMicros(), CostCalculator.rated(cost.totalMicros(), rate), table.version(),
        priced.fallback(), u.status(), u.outcome(), u.errorType(), u.startedAt(), u.durationMs(), u.firstByteMs(),
        u.attempts(), u.sessionHash(), u.userAgent(), u.client(), u.clientVersion(), u.upstreamLatencyMs(),
        u.accountPriceMultiplier(), rate, u.clientDialect(), u.upstreamDialect(), u.route());
  }
}
