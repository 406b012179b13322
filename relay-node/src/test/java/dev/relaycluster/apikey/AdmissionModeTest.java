package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionModeTest {
  private static KeyEntry key(KeyLimits limits, KeyExpiry expiry, long activatedAt, KeyStatus status) {
    KeySettings settings = new KeySettings("k", "", List.of(), limits, KeyAccess.ANY, expiry, Map.of(), Map.of());
    return new KeyEntry("id", "k", "hash", "cr_", limits.concurrency(), status, 1, 0, 1, settings, activatedAt, 0);
  }

  private static KeyEntry key(KeyLimits limits) {
    return key(limits, KeyExpiry.NONE, 0, KeyStatus.ACTIVE);
  }

  @Test
  void aKeyWithNoLimitIsAdmittedOnTheNode() {
    assertEquals(AdmissionMode.LOCAL, AdmissionMode.of(key(KeyLimits.NONE)));
    assertEquals(AdmissionMode.LOCAL, AdmissionMode.of(key(KeyLimits.NONE, KeyExpiry.fixed(4_000_000_000_000L), 0,
        KeyStatus.ACTIVE)), "a fixed expiry is checked by the static policy on the node");
    assertEquals(AdmissionMode.LOCAL, AdmissionMode.of(key(KeyLimits.NONE, KeyExpiry.activation(60_000), 5_000,
        KeyStatus.ACTIVE)), "an activation key already activated");
  }

  @Test
  void aKeyLimitedByConcurrencyOnlySharesSlots() {
    assertEquals(AdmissionMode.SHARED, AdmissionMode.of(key(KeyLimits.NONE.withConcurrency(3))));
  }

  @Test
  void aRateWindowOrACostLimitIsSpentFromTheNodesBudgetShare() {
    KeyLimits window = new KeyLimits(0, new RateWindowLimit(5, 10, 0, 0), 0, 0, 0, 1, 0);
    assertEquals(AdmissionMode.BUDGET, AdmissionMode.of(key(window)));
    assertEquals(AdmissionMode.BUDGET, AdmissionMode.of(key(new KeyLimits(0, null, 1_000_000, 0, 0, 1, 0))));
    assertEquals(AdmissionMode.BUDGET, AdmissionMode.of(key(new KeyLimits(0, null, 0, 1_000_000, 0, 1, 0))));
    assertEquals(AdmissionMode.BUDGET, AdmissionMode.of(key(new KeyLimits(0, null, 0, 0, 1_000_000, 1, 0))));
    assertFalse(AdmissionMode.sharesSlots(key(window)));
    KeyLimits both = new KeyLimits(2, null, 1_000_000, 0, 0, 1, 0);
    assertEquals(AdmissionMode.BUDGET, AdmissionMode.of(key(both)));
    assertTrue(AdmissionMode.sharesSlots(key(both)), "and its concurrency from the node's slots");
    assertTrue(AdmissionMode.sharesSlots(key(KeyLimits.NONE.withConcurrency(3))));
    assertFalse(AdmissionMode.sharesSlots(key(KeyLimits.NONE)));
  }

  @Test
  void everythingElseAsksTheEntity() {
    assertEquals(AdmissionMode.ASK, AdmissionMode.of(key(new KeyLimits(0, null, 1_000_000, 0, 0, 1, 0),
        KeyExpiry.activation(60_000), 0, KeyStatus.ACTIVE)), "an activation pending, whatever the limits");
    assertFalse(AdmissionMode.sharesSlots(key(KeyLimits.NONE.withConcurrency(3), KeyExpiry.activation(60_000), 0,
        KeyStatus.ACTIVE)));
    assertEquals(AdmissionMode.ASK, AdmissionMode.of(key(KeyLimits.NONE, KeyExpiry.activation(60_000), 0,
        KeyStatus.ACTIVE)), "the first use of an activation key is persisted by its entity");
    assertEquals(AdmissionMode.ASK, AdmissionMode.of(key(KeyLimits.NONE, KeyExpiry.NONE, 0, KeyStatus.REVOKED)));
    assertEquals(AdmissionMode.ASK, AdmissionMode.of(null));
  }
}
