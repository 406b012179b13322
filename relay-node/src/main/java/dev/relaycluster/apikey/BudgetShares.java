package dev.relaycluster.apikey;

import dev.relaycluster.cluster.LeaseKeeper;
import java.time.ZoneId;

/**
 * The {@link ApiKeyEntity}'s bookkeeping of nodes' budget shares ({@link KeyBudgets}): a share granted is an
 * ordinary lease of the entity's {@link LeaseKeeper}, held by the node's lease holder (so it goes when that
 * node dies, and comes back from the node's lease book when the entity restarts), and a reservation in the
 * key's {@link Reservations}, which every later admission and grant counts. Owned by the entity's actor.
 */
final class BudgetShares {
  private final LeaseKeeper<?> leases;
  private final Reservations reservations;

  BudgetShares(LeaseKeeper<?> leases, Reservations reservations) {
    this.leases = leases;
    this.reservations = reservations;
  }

  /**
   * Grants what {@link BudgetGrants} allows, or nothing. A lease asked for twice, or released already (the
   * node's ask gave up), is not granted again: the node gives back what it does not hear granted.
   *
   * @param key the key's definition, null when it does not exist
   * @param meter where the key stands now
   */
  BudgetGranted grant(KeyEntry key, KeyMeter meter, ApiKeyEntity.GrantBudget ask, long now, ZoneId zone) {
    String id = ask.leaseId();
    BudgetLease lease = BudgetLease.parse(id);
    if (lease == null || leases.holds(id) || leases.released(id)) {
      return BudgetGranted.refused(id);
    }
    BudgetGrants.Grant grant = BudgetGrants.grant(key, meter, lease, ask.minCostMicros(), ask.minTokens(), now, zone);
    if (grant == null) {
      return BudgetGranted.refused(id);
    }
    leases.grant(id, ask.holder());
    reservations.budgetGranted(id, grant.window(), grant.reservation(lease.opus()), grant.requests());
    return new BudgetGranted(id, true, grant.costMicros(), grant.tokens(), grant.requests(),
        grant.window() == null ? 0 : grant.window().end());
  }

  /** The node gave the share back: its lease and reservation go, and the window's requests it did not use. */
  void returned(ApiKeyEntity.ReturnBudget cmd) {
    leases.release(cmd.leaseId());
    reservations.budgetReturned(cmd.leaseId(), cmd.unusedRequests());
  }
}
