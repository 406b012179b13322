package dev.relaycluster.apikey;

/**
 * How a request of a key is admitted, decided from the key's replica alone (pure). {@link #LOCAL}: the key
 * has no limit its entity would check (no concurrency, rate window or cost limit, no activation pending),
 * so the node admits the request itself after the static policy and only settles its usage with the
 * entity. {@link #SHARED}: its only limit is concurrency, so the node admits it on a slot of its share of
 * the key's concurrency (granted in advance by the entity; see {@link KeyShares}). {@link #BUDGET}: it has a
 * rate window or a cost limit, so the node admits it on its budget share of the key's allowance (see
 * {@link KeyBudgets}), and on a slot of its concurrency share as well when it also has a concurrency limit.
 * {@link #ASK}: anything else (an unknown or unusable key, an activation pending), each request asks the
 * entity. A request the node cannot admit on its shares asks the entity too.
 */
public enum AdmissionMode {
  LOCAL, SHARED, BUDGET, ASK;

  /** The mode for a key's replica entry (null: the key is unknown here, ask its entity). */
  public static AdmissionMode of(KeyEntry key) {
    if (key == null || !key.active()) {
      return ASK;
    }
    KeySettings settings = key.settings();
    // The first use of an activation-mode key persists its activation: only the entity can do that.
    if (settings.expiry().activatesOnFirstUse(key.activatedAt())) {
      return ASK;
    }
    KeyLimits limits = settings.limits();
    if (limits.rateWindow() != null || limits.dailyCostMicros() > 0 || limits.totalCostMicros() > 0
        || limits.weeklyOpusCostMicros() > 0) {
      return BUDGET;
    }
    return limits.concurrency() > 0 ? SHARED : LOCAL;
  }

  /** Whether the node holds a share of the key's concurrency slots: a concurrency limit, admitted on the node. */
  public static boolean sharesSlots(KeyEntry key) {
    AdmissionMode mode = of(key);
    return mode == SHARED || (mode == BUDGET && key.settings().limits().concurrency() > 0);
  }
}
