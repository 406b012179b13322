package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;

/**
 * The key entity's answer to a node's ask for a budget share ({@link ApiKeyEntity.GrantBudget}): whether it
 * was granted and how much, rated cost, window tokens and window requests ({@code -1} where the key has no
 * such limit), and when the rate window the requests were counted in ends (0: the key has none).
 */
public record BudgetGranted(String leaseId, boolean granted, long costMicros, long tokens, long requests,
    long windowEnd) implements CborSerializable {

  static BudgetGranted refused(String leaseId) {
    return new BudgetGranted(leaseId, false, 0, 0, 0, 0);
  }
}
