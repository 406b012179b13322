package dev.relaycluster.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.usage.AggregateRow;
import dev.relaycluster.usage.Period;
import dev.relaycluster.usage.UsageTotals;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageSeriesTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final long NOW = Instant.parse("2026-12-03T06:11:10Z").toEpochMilli(); // 14:11 in Shanghai

  private static AggregateRow row(Period p, String start, long requests, long input, long output, long rated) {
    long at = Instant.parse(start).toEpochMilli();
    return new AggregateRow(p.wireName(), at, start, "key", "k1",
        new UsageTotals(requests, input, output, 3, 2, 1, rated * 2, rated, 0, 0));
  }

  @Test
  void thirtyDaysEndingTodayInTheLedgersZone() {
    UsageSeries.Range r = UsageSeries.lastDays(NOW, SHANGHAI, 30);
    assertEquals(Period.DAY, r.period());
    assertEquals(Instant.parse("2026-11-03T16:00:00Z").toEpochMilli(), r.from());
    assertEquals(Instant.parse("2026-12-03T16:00:00Z").toEpochMilli(), r.to());
    List<SeriesPoint> points = UsageSeries.fill(r, List.of(), SHANGHAI);
    assertEquals(30, points.size());
    assertEquals("2026-11-04T00:00+08:00", points.get(0).start());
    assertEquals("2026-12-03T00:00+08:00", points.get(29).start());
    points.forEach(p -> assertEquals(0, p.requests() + p.tokens() + p.costMicros()));
  }

  @Test
  void eachBucketHoldsItsRowsAndTheRestAreZero() {
    UsageSeries.Range r = UsageSeries.lastDays(NOW, SHANGHAI, 30);
    List<SeriesPoint> points = UsageSeries.fill(r, List.of(
        row(Period.DAY, "2026-12-02T16:00:00Z", 2, 100, 20, 700),
        row(Period.DAY, "2026-12-02T16:00:00Z", 1, 10, 5, 50),
        row(Period.DAY, "2026-11-30T16:00:00Z", 4, 1, 1, 9),
        row(Period.DAY, "2026-10-01T16:00:00Z", 9, 9, 9, 9),
        row(Period.HOUR, "2026-12-03T05:00:00Z", 9, 9, 9, 9)), SHANGHAI);
    SeriesPoint today = points.get(29);
    assertEquals(3, today.requests());
    assertEquals(100 + 20 + 10 + 5 + 2 * 6, today.tokens(), "every token class counts");
    assertEquals(750, today.costMicros(), "rated cost");
    assertEquals(4, points.get(27).requests());
    assertEquals(7, points.stream().mapToLong(SeriesPoint::requests).sum(), "rows outside the range are left out");
  }

  @Test
  void todayByHourUpToTheCurrentHour() {
    UsageSeries.Range r = UsageSeries.todayByHour(NOW, SHANGHAI);
    List<SeriesPoint> points = UsageSeries.fill(r, List.of(row(Period.HOUR, "2026-12-03T06:00:00Z", 5, 1, 1, 1)),
        SHANGHAI);
    assertEquals(15, points.size(), "00:00 to 14:00");
    assertEquals("2026-12-03T00:00+08:00", points.get(0).start());
    assertEquals("2026-12-03T14:00+08:00", points.get(14).start());
    assertEquals(5, points.get(14).requests());
  }

  @Test
  void aDaylightSavingDayHasTheHoursItReallyHas() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    long lateOnChangeDay = Instant.parse("2026-10-25T22:30:00Z").toEpochMilli(); // 23:30 CET
    assertEquals(25, UsageSeries.fill(UsageSeries.todayByHour(lateOnChangeDay, berlin), List.of(), berlin).size());
  }
}
