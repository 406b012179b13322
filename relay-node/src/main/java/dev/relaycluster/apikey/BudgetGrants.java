package dev.relaycluster.apikey;

import java.time.ZoneId;

/**
 * The {@link ApiKeyEntity}'s side of budget shares ({@link KeyBudgets}), one pure decision: how much of a
 * key's allowance a node may spend on its own. A share is granted only while the key is usable and under
 * every limit (as a request would be admitted; concurrency aside, as a share holds no slot), and only as
 * much as every limit has room for after what is spent and what requests in flight and other shares
 * reserve: rated cost (daily, total, the weekly Opus limit for an Opus share, the window's cost), the
 * window's tokens and the window's requests. Each amount is at most what the lease names and a quarter of
 * the room left, and at least the minimum the node asked for (the estimate of the request that made it ask);
 * nothing is granted when a limit's room is less than {@link #HEADROOM} such minimums, and then the request
 * asks the entity itself. So shares and per-request reservations together stay within every
 * limit, and the last request admitted can overshoot a cost limit by no more than its own estimate's error.
 */
final class BudgetGrants {
  /** An amount of a dimension the key does not limit. */
  static final long UNLIMITED = -1;
  /**
   * A share is granted only while every limit has room for this many requests like the one asking (window
   * requests: this many). Nearer a limit, requests ask the entity one by one as they would without shares, so
   * the room the shares hold never makes another node's request wait or be refused.
   */
  static final long HEADROOM = 16;

  private BudgetGrants() {}

  /**
   * What was granted: rated cost, window tokens and window requests ({@link #UNLIMITED} where the key has no
   * such limit), and the rate window after counting the granted requests (null when the key has none).
   */
  record Grant(long costMicros, long tokens, long requests, RateWindow window) {
    Reservation reservation(boolean opus) {
      return new Reservation(Math.max(0, costMicros), Math.max(0, tokens), opus, window == null ? 0 : window.start());
    }
  }

  /**
   * The grant for {@code lease}, or null when none can be made now.
   *
   * @param key the key's definition, null when it does not exist
   * @param meter where the key stands now
   * @param minCostMicros the least rated cost worth granting
   * @param minTokens the least window tokens worth granting
   */
  static Grant grant(KeyEntry key, KeyMeter meter, BudgetLease lease, long minCostMicros, long minTokens, long now,
      ZoneId zone) {
    if (AdmissionMode.of(key) != AdmissionMode.BUDGET || lease == null) {
      return null;
    }
    KeyMeter noSlots = new KeyMeter(0, meter.window(), meter.reserved(), meter.spent());
    RequestFacts facts = new RequestFacts("", "", lease.opus() ? "opus" : "", "", 0, 0);
    if (!(Admission.decide(key, noSlots, facts, now, zone) instanceof Admission.Admit)) {
      return null;
    }
    KeyLimits limits = key.settings().limits();
    Reserved reserved = meter.reserved();
    CostTotals spent = meter.spent();
    long cost = UNLIMITED;
    long tokens = UNLIMITED;
    long requests = UNLIMITED;
    RateWindow window = null;
    RateWindowLimit windowLimit = limits.rateWindow();
    if (windowLimit != null) {
      window = RateWindow.at(meter.window(), windowLimit, now);
      boolean fresh = window != meter.window();
      if (windowLimit.maxRequests() > 0) {
        requests = windowLimit.maxRequests() - window.requests();
      }
      if (windowLimit.maxTokens() > 0) {
        tokens = windowLimit.maxTokens() - window.tokens() - (fresh ? 0 : reserved.windowTokens());
      }
      if (windowLimit.maxCostMicros() > 0) {
        cost = windowLimit.maxCostMicros() - window.costMicros() - (fresh ? 0 : reserved.windowCostMicros());
      }
    }
    if (limits.dailyCostMicros() > 0) {
      cost = least(cost, limits.dailyCostMicros() - spent.today(now, zone) - reserved.costMicros());
    }
    if (limits.totalCostMicros() > 0) {
      cost = least(cost, limits.totalCostMicros() - spent.totalMicros() - reserved.costMicros());
    }
    if (lease.opus() && limits.weeklyOpusCostMicros() > 0) {
      cost = least(cost, limits.weeklyOpusCostMicros() - reserved.opusCostMicros()
          - spent.weekOpus(now, zone, limits.weeklyResetDay(), limits.weeklyResetHour()));
    }
    cost = amount(cost, lease.maxCostMicros(), minCostMicros);
    tokens = amount(tokens, lease.maxTokens(), minTokens);
    requests = amount(requests, lease.requests(), 1);
    if (cost == 0 || tokens == 0 || requests == 0) {
      return null;
    }
    if (window != null && requests > 0) {
      window = window.withRequests(requests);
    }
    return new Grant(cost, tokens, requests, window);
  }

  /** The smaller room, where {@link #UNLIMITED} is no bound. */
  private static long least(long room, long other) {
    return room == UNLIMITED ? Math.max(0, other) : Math.min(room, Math.max(0, other));
  }

  /**
   * What to grant of one dimension: {@link #UNLIMITED}, 0 (nothing: the room is less than {@link #HEADROOM}
   * times the minimum) or the amount ({@link BudgetSizing#grantable}).
   */
  private static long amount(long room, long max, long min) {
    if (room == UNLIMITED) {
      return UNLIMITED;
    }
    long least = Math.max(1, min);
    if (room < (least > Long.MAX_VALUE / HEADROOM ? Long.MAX_VALUE : least * HEADROOM)) {
      return 0;
    }
    long granted = BudgetSizing.grantable(room, max);
    return granted >= least ? granted : 0;
  }
}
