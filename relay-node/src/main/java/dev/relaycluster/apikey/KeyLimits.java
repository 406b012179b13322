package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;

/**
 * What a key may consume, enforced by its entity. Every limit is optional: 0 (or a null window) means
 * none. Costs are rated micro-dollars; the weekly limit counts the Claude Opus family only and resets on
 * {@code weeklyResetDay} (1 = Monday … 7 = Sunday) at {@code weeklyResetHour} in the configured zone.
 */
public record KeyLimits(
    int concurrency,
    RateWindowLimit rateWindow,
    long dailyCostMicros,
    long totalCostMicros,
    long weeklyOpusCostMicros,
    int weeklyResetDay,
    int weeklyResetHour) implements CborSerializable {

  public static final KeyLimits NONE = new KeyLimits(0, null, 0, 0, 0, 1, 0);

  public KeyLimits {
    weeklyResetDay = weeklyResetDay < 1 || weeklyResetDay > 7 ? 1 : weeklyResetDay;
    weeklyResetHour = weeklyResetHour < 0 || weeklyResetHour > 23 ? 0 : weeklyResetHour;
  }

  public KeyLimits withConcurrency(int limit) {
    return new KeyLimits(limit, rateWindow, dailyCostMicros, totalCostMicros, weeklyOpusCostMicros, weeklyResetDay,
        weeklyResetHour);
  }

  /** Whether any limit needs a cost or token reservation at admission. */
  public boolean reservesCost() {
    return dailyCostMicros > 0 || totalCostMicros > 0 || weeklyOpusCostMicros > 0
        || (rateWindow != null && (rateWindow.maxCostMicros() > 0 || rateWindow.maxTokens() > 0));
  }
}
