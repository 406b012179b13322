package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BudgetLeaseTest {
  @Test
  void theIdNamesItsAmountsAndReadsBack() {
    BudgetLease lease = BudgetLease.of("1a2b-c3d4-7", 4_000, 900, 6, true);
    assertEquals("budget:1a2b-c3d4-7:4000:900:6:o", lease.id());
    assertEquals(lease, BudgetLease.parse(lease.id()));
    BudgetLease plain = BudgetLease.parse(BudgetLease.of("n-1", 1, 0, 0, false).id());
    assertEquals(1, plain.maxCostMicros());
    assertFalse(plain.opus());
    assertTrue(BudgetLease.parse("budget:x:5:5:5:o").opus());
  }

  @Test
  void otherLeasesAndMalformedIdsAreNoBudget() {
    assertNull(BudgetLease.parse(null));
    assertNull(BudgetLease.parse("slot:1a2b-c3d4:7"), "a concurrency slot");
    assertNull(BudgetLease.parse("req-123"), "a request's lease");
    assertNull(BudgetLease.parse("budget:x:5:5:o"), "an amount missing");
    assertNull(BudgetLease.parse("budget::5:5:5:o"), "no unique part");
    assertNull(BudgetLease.parse("budget:x:5:-1:5:o"), "a negative amount");
    assertNull(BudgetLease.parse("budget:x:5:five:5:o"));
    assertNull(BudgetLease.parse("budget:x:5:5:5:z"));
  }

  @Test
  void aSettlementOnAShareNamesItsRequestAndItsShare() {
    String share = BudgetLease.of("n-9", 10, 0, 0, false).id();
    String settle = BudgetLease.settleId("req-1", share);
    assertEquals(share, BudgetLease.shareOf(settle));
    assertNull(BudgetLease.shareOf("req-1"));
    assertNull(BudgetLease.shareOf(null));
    assertNull(BudgetLease.parse(settle), "a settlement's id names no lease");
  }
}
