package dev.relaycluster.usage;

import java.util.List;

/**
 * What a re-pricing changed: requests of the period found in the journal, how many got a new cost
 * (the rest cost the same, or have left the request log and were not touched), totals before and after,
 * and the same per model.
 */
public record RepriceResult(
    String from,
    String to,
    String priceVersion,
    long requestsScanned,
    long requestsRepriced,
    long requestsUnchanged,
    long requestsNotInLog,
    long oldCostMicros,
    long newCostMicros,
    long oldRatedCostMicros,
    long newRatedCostMicros,
    List<ModelChange> byModel) {

  /** The change of one model's cost. */
  public record ModelChange(String model, long requestsRepriced, long oldCostMicros, long newCostMicros) {}
}
