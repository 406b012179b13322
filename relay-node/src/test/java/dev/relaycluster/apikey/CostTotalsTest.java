package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CostTotalsTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void aNewDayStartsTheDailyTotalAfreshAndALateUsageCountsOnlyInTheTotal() {
    CostTotals t = CostTotals.ZERO
        .add(at("2026-11-18T23:59:59Z"), 100, false, UTC, 1, 0)
        .add(at("2026-11-18T10:00:00Z"), 10, false, UTC, 1, 0);
    assertEquals(110, t.today(at("2026-11-18T23:59:59.999Z"), UTC));
    t = t.add(at("2026-11-19T00:00:00Z"), 7, false, UTC, 1, 0);
    assertEquals(7, t.today(at("2026-11-19T05:00:00Z"), UTC));
    assertEquals(0, t.today(at("2026-11-20T00:00:00Z"), UTC));
    t = t.add(at("2026-11-18T22:00:00Z"), 1_000, false, UTC, 1, 0);
    assertEquals(7, t.today(at("2026-11-19T05:00:00Z"), UTC), "a request that ended yesterday is not today's");
    assertEquals(1_117, t.totalMicros());
  }

  @Test
  void theWeeklyTotalCountsOpusOnlyAndResetsOnTheResetHour() {
    ZoneId zone = ZoneId.of("Asia/Shanghai");
    // Resets Mondays 08:00 Shanghai = Monday 00:00 UTC.
    CostTotals t = CostTotals.ZERO
        .add(at("2026-11-15T23:00:00Z"), 50, true, zone, 1, 8)
        .add(at("2026-11-15T23:30:00Z"), 500, false, zone, 1, 8);
    assertEquals(50, t.weekOpus(at("2026-11-15T23:59:59.999Z"), zone, 1, 8));
    assertEquals(0, t.weekOpus(at("2026-11-16T00:00:00Z"), zone, 1, 8));
    t = t.add(at("2026-11-16T00:00:00Z"), 30, true, zone, 1, 8);
    assertEquals(30, t.weekOpus(at("2026-11-22T23:59:59Z"), zone, 1, 8));
    assertEquals(580, t.totalMicros());
  }
}
