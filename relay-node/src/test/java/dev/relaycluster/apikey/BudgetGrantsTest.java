package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a key's entity grants a node's budget share, against the key's limits and what others hold. */
class BudgetGrantsTest {
  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final long NOW = Instant.parse("2026-11-18T12:00:00Z").toEpochMilli();
  private static final long UNLIMITED = BudgetGrants.UNLIMITED;

  private static KeyEntry key(KeyLimits limits, KeyStatus status) {
    KeySettings s = new KeySettings("k", "", List.of(), limits, KeyAccess.ANY, KeyExpiry.NONE, Map.of(), Map.of());
    return new KeyEntry("id", "k", "hash", "cr_x", limits.concurrency(), status, 1, 0, 2, s, 0, 0);
  }

  private static KeyEntry key(KeyLimits limits) {
    return key(limits, KeyStatus.ACTIVE);
  }

  private static KeyLimits daily(long micros) {
    return new KeyLimits(0, null, micros, 0, 0, 1, 0);
  }

  private static KeyMeter meter(long spentToday, long reserved) {
    CostTotals spent = CostTotals.ZERO.add(NOW, spentToday, false, UTC, 1, 0);
    return new KeyMeter(0, null, new Reserved(reserved, 0, 0, 0), spent);
  }

  private static BudgetLease lease(long maxCost, long maxTokens, long requests, boolean opus) {
    return BudgetLease.of("n-1", maxCost, maxTokens, requests, opus);
  }

  @Test
  void aCostShareTakesAtMostAQuarterOfWhatIsLeft() {
    // $1 a day, $0.2 spent, $0.2 reserved by requests in flight and other shares: $0.6 left.
    BudgetGrants.Grant g = BudgetGrants.grant(key(daily(1_000_000)), meter(200_000, 200_000),
        lease(400_000, 1_000, 0, false), 10_000, 100, NOW, UTC);
    assertNotNull(g);
    assertEquals(150_000, g.costMicros(), "a quarter of the $0.6 left");
    assertEquals(UNLIMITED, g.tokens(), "the key limits no tokens");
    assertEquals(UNLIMITED, g.requests());
    assertNull(g.window());
    assertEquals(new Reservation(150_000, 0, false, 0), g.reservation(false));

    assertEquals(40_000, BudgetGrants.grant(key(daily(1_000_000)), meter(200_000, 200_000),
        lease(40_000, 1_000, 0, false), 10_000, 100, NOW, UTC).costMicros(), "never more than the lease names");
    assertEquals(125_000, BudgetGrants.grant(key(daily(10_000_000)), meter(9_000_000, 500_000),
        lease(400_000, 1_000, 0, false), 30_000, 100, NOW, UTC).costMicros(),
        "a quarter of the $0.5 left, which has room for sixteen estimates of $0.03");
    assertNull(BudgetGrants.grant(key(daily(1_000_000)), meter(700_000, 200_000),
        lease(400_000, 1_000, 0, false), 10_000, 100, NOW, UTC),
        "$0.1 left is less than sixteen estimates of $0.01: the request asks the entity itself");
  }

  @Test
  void nothingIsGrantedBelowTheEstimateOrAtTheLimit() {
    assertNull(BudgetGrants.grant(key(daily(1_000_000)), meter(900_000, 50_000), lease(400_000, 0, 0, false),
        60_000, 0, NOW, UTC), "$0.05 left, the request needs $0.06: it asks the entity itself");
    assertNull(BudgetGrants.grant(key(daily(1_000_000)), meter(1_000_000, 0), lease(400_000, 0, 0, false),
        1, 0, NOW, UTC), "at the limit");
    assertNull(BudgetGrants.grant(key(daily(1_000_000), KeyStatus.REVOKED), meter(0, 0), lease(400_000, 0, 0, false),
        1, 0, NOW, UTC));
    assertNull(BudgetGrants.grant(key(KeyLimits.NONE.withConcurrency(3)), meter(0, 0), lease(400_000, 0, 0, false),
        1, 0, NOW, UTC), "a key without a window or a cost limit takes no budget share");
    assertNull(BudgetGrants.grant(key(daily(1_000_000)), meter(0, 0), null, 1, 0, NOW, UTC));
  }

  @Test
  void theConcurrencyLimitIsLeftToTheSlots() {
    KeyLimits limits = new KeyLimits(2, null, 1_000_000, 0, 0, 1, 0);
    KeyMeter full = new KeyMeter(2, null, Reserved.NONE, CostTotals.ZERO);
    assertNotNull(BudgetGrants.grant(key(limits), full, lease(100, 0, 0, false), 1, 0, NOW, UTC));
  }

  @Test
  void aWindowGrantsItsRequestsAheadAndItsTokensAndCost() {
    KeyLimits limits = new KeyLimits(0, new RateWindowLimit(10, 40, 10_000, 500_000), 0, 0, 0, 1, 0);
    RateWindow open = new RateWindow(NOW - 1_000, 600_000, 20, 2_000, 100_000);
    KeyMeter m = new KeyMeter(0, open, new Reserved(100_000, 0, 100_000, 4_000), CostTotals.ZERO);
    BudgetGrants.Grant g = BudgetGrants.grant(key(limits), m, lease(1_000_000, 10_000, 8, false), 1_000, 100, NOW, UTC);
    assertEquals(5, g.requests(), "a quarter of the 20 requests left");
    assertEquals(1_000, g.tokens(), "a quarter of the 4,000 tokens left");
    assertEquals(75_000, g.costMicros(), "a quarter of the $0.3 left in the window");
    assertEquals(new RateWindow(NOW - 1_000, 600_000, 25, 2_000, 100_000), g.window(), "its requests counted ahead");
    assertEquals(NOW - 1_000, g.reservation(false).windowStart());

    RateWindow full = new RateWindow(NOW - 1_000, 600_000, 40, 0, 0);
    assertNull(BudgetGrants.grant(key(limits), new KeyMeter(0, full, Reserved.NONE, CostTotals.ZERO),
        lease(1_000, 100, 8, false), 1, 1, NOW, UTC), "no request left in the window");
    BudgetGrants.Grant fresh = BudgetGrants.grant(key(limits), new KeyMeter(0, full, Reserved.NONE, CostTotals.ZERO),
        lease(1_000, 100, 8, false), 1, 1, NOW + 600_000, UTC);
    assertEquals(new RateWindow(NOW + 600_000, 600_000, 8, 0, 0), fresh.window(), "a window ended: a new one opens");
    assertNull(BudgetGrants.grant(key(limits), m, lease(1_000, 100, 0, false), 1, 1, NOW, UTC),
        "a lease that names no request, for a key whose window counts them");
  }

  @Test
  void onlyAnOpusShareCountsTowardTheWeeklyOpusLimit() {
    KeyLimits limits = new KeyLimits(0, null, 0, 0, 100_000, 1, 0);
    CostTotals spent = CostTotals.ZERO.add(NOW, 90_000, true, UTC, 1, 0);
    KeyMeter m = new KeyMeter(0, null, Reserved.NONE, spent);
    assertNull(BudgetGrants.grant(key(limits), m, lease(50_000, 0, 0, true), 20_000, 0, NOW, UTC),
        "$0.01 of Opus left, the request needs $0.02");
    assertEquals(UNLIMITED, BudgetGrants.grant(key(limits), m, lease(50_000, 0, 0, false), 20_000, 0, NOW, UTC)
        .costMicros(), "a share for other models is not bounded by the Opus limit");
  }
}
