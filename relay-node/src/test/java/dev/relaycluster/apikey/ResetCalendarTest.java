package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ResetCalendarTest {
  private static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void daysStartAtMidnightInTheZone() {
    ZoneId shanghai = ZoneId.of("Asia/Shanghai");
    assertEquals(at("2026-11-17T16:00:00Z"), ResetCalendar.dayStart(at("2026-11-18T15:59:59.999Z"), shanghai));
    assertEquals(at("2026-11-18T16:00:00Z"), ResetCalendar.dayStart(at("2026-11-18T16:00:00Z"), shanghai));
    assertEquals(at("2026-11-18T16:00:00Z"), ResetCalendar.nextDayStart(at("2026-11-18T15:59:59.999Z"), shanghai));
    assertEquals(at("2026-11-18T00:00:00Z"), ResetCalendar.dayStart(at("2026-11-18T23:59:59Z"), ZoneOffset.UTC));
  }

  @Test
  void aDaylightSavingDayIsTwentyFiveHoursLong() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    long start = ResetCalendar.dayStart(at("2026-10-25T12:00:00Z"), berlin);
    assertEquals(at("2026-10-24T22:00:00Z"), start);
    assertEquals(at("2026-10-25T23:00:00Z"), ResetCalendar.nextDayStart(start, berlin));
  }

  @Test
  void theDayAskedForLastIsReusedOnlyForItsOwnZoneAndHours() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    ZoneId shanghai = ZoneId.of("Asia/Shanghai");
    // The 25-hour day: its last hour is still the same day, the next millisecond is not.
    assertEquals(at("2026-10-24T22:00:00Z"), ResetCalendar.dayStart(at("2026-10-25T12:00:00Z"), berlin));
    assertEquals(at("2026-10-24T22:00:00Z"), ResetCalendar.dayStart(at("2026-10-25T22:59:59.999Z"), berlin));
    assertEquals(at("2026-10-25T23:00:00Z"), ResetCalendar.dayStart(at("2026-10-25T23:00:00Z"), berlin));
    assertEquals(at("2026-10-25T23:00:00Z"), ResetCalendar.dayStart(at("2026-10-25T23:30:00Z"), berlin));
    // Another zone at the same instant gets its own day, and the first zone's still answers right after.
    assertEquals(at("2026-10-25T16:00:00Z"), ResetCalendar.dayStart(at("2026-10-25T23:30:00Z"), shanghai));
    assertEquals(at("2026-10-25T23:00:00Z"), ResetCalendar.dayStart(at("2026-10-25T23:30:00Z"), berlin));
    // Earlier than the remembered day.
    assertEquals(at("2026-10-23T22:00:00Z"), ResetCalendar.dayStart(at("2026-10-24T21:59:59.999Z"), berlin));
  }

  @Test
  void weeksResetOnTheirDayAndHour() {
    ZoneId utc = ZoneOffset.UTC;
    // Monday 00:00 (CRS's default): Sunday 23:59:59.999 belongs to the week that began the Monday before.
    assertEquals(at("2026-11-09T00:00:00Z"), ResetCalendar.weekStart(at("2026-11-15T23:59:59.999Z"), utc, 1, 0));
    assertEquals(at("2026-11-16T00:00:00Z"), ResetCalendar.weekStart(at("2026-11-16T00:00:00Z"), utc, 1, 0));
    assertEquals(at("2026-11-16T00:00:00Z"), ResetCalendar.nextWeekStart(at("2026-11-15T23:59:59.999Z"), utc, 1, 0));
    assertEquals(at("2026-11-23T00:00:00Z"), ResetCalendar.nextWeekStart(at("2026-11-16T00:00:00Z"), utc, 1, 0));
    // Wednesday 09:00: on Wednesday at 08:59 the week is still last Wednesday's.
    assertEquals(at("2026-11-11T09:00:00Z"), ResetCalendar.weekStart(at("2026-11-18T08:59:00Z"), utc, 3, 9));
    assertEquals(at("2026-11-18T09:00:00Z"), ResetCalendar.weekStart(at("2026-11-18T09:00:00Z"), utc, 3, 9));
    // Sunday 23:00 in Shanghai is Sunday 15:00 UTC.
    ZoneId shanghai = ZoneId.of("Asia/Shanghai");
    assertEquals(at("2026-11-15T15:00:00Z"), ResetCalendar.weekStart(at("2026-11-18T00:00:00Z"), shanghai, 7, 23));
    assertEquals(at("2026-11-22T15:00:00Z"), ResetCalendar.nextWeekStart(at("2026-11-18T00:00:00Z"), shanghai, 7, 23));
  }
}
