package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PeriodTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId UTC = ZoneId.of("UTC");

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void dayAndMonthBoundariesAreThoseOfTheZone() {
    // 04:30Z is 23:30 on the 14th in New York (EST), 05:30Z is 00:30 on the 15th; one UTC day.
    assertEquals(at("2026-01-14T05:00:00Z"), Period.DAY.bucketStart(at("2026-01-15T04:30:00Z"), NEW_YORK));
    assertEquals(at("2026-01-15T05:00:00Z"), Period.DAY.bucketStart(at("2026-01-15T05:30:00Z"), NEW_YORK));
    assertEquals(at("2026-01-15T00:00:00Z"), Period.DAY.bucketStart(at("2026-01-15T04:30:00Z"), UTC));
    assertEquals(at("2026-01-15T00:00:00Z"), Period.DAY.bucketStart(at("2026-01-15T05:30:00Z"), UTC));
    // 2026-04-01T03:00Z is still March 31st in New York (EDT, UTC-4).
    assertEquals(at("2026-03-01T05:00:00Z"), Period.MONTH.bucketStart(at("2026-04-01T03:00:00Z"), NEW_YORK));
    assertEquals(at("2026-04-01T00:00:00Z"), Period.MONTH.bucketStart(at("2026-04-01T03:00:00Z"), UTC));
  }

  @Test
  void theDaylightSavingDayIs23HoursLong() {
    // Clocks went forward on 2026-03-08 at 02:00 EST (07:00Z).
    long day = Period.DAY.bucketStart(at("2026-03-08T12:00:00Z"), NEW_YORK);
    assertEquals(at("2026-03-08T05:00:00Z"), day);
    assertEquals(at("2026-03-09T04:00:00Z"), Period.DAY.nextBucketStart(day, NEW_YORK));
    long month = Period.MONTH.bucketStart(at("2026-02-10T12:00:00Z"), NEW_YORK);
    assertEquals(at("2026-03-01T05:00:00Z"), Period.MONTH.nextBucketStart(month, NEW_YORK));
    assertEquals(at("2026-03-08T08:00:00Z"), Period.HOUR.nextBucketStart(at("2026-03-08T07:00:00Z"), NEW_YORK));
  }
}
