package dev.relaycluster.apikey;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;

/**
 * Where cost periods begin and end: days in the configured zone, and weeks that reset on a given day of
 * the week at a given hour in that zone (CRS's weekly Opus reset). Pure; times are epoch milliseconds.
 */
public final class ResetCalendar {
  /** A day in a zone, [start, end): every usage of a day asks for the same one. */
  private record Day(ZoneId zone, long start, long end) {}

  /** The day asked for last; a race between threads only costs a second computation. */
  private static volatile Day lastDay;

  private ResetCalendar() {}

  /** The start of the day containing {@code at}, in {@code zone}. */
  public static long dayStart(long at, ZoneId zone) {
    Day last = lastDay;
    if (last != null && at >= last.start() && at < last.end() && last.zone().equals(zone)) {
      return last.start();
    }
    LocalDate day = Instant.ofEpochMilli(at).atZone(zone).toLocalDate();
    long start = day.atStartOfDay(zone).toInstant().toEpochMilli();
    lastDay = new Day(zone, start, day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli());
    return start;
  }

  /** The start of the day after the one containing {@code at}. */
  public static long nextDayStart(long at, ZoneId zone) {
    LocalDate day = Instant.ofEpochMilli(at).atZone(zone).toLocalDate().plusDays(1);
    return day.atStartOfDay(zone).toInstant().toEpochMilli();
  }

  /**
   * The latest weekly reset at or before {@code at}: the last {@code resetDay} (1 = Monday … 7 = Sunday)
   * at {@code resetHour}:00 in {@code zone}.
   */
  public static long weekStart(long at, ZoneId zone, int resetDay, int resetHour) {
    ZonedDateTime now = Instant.ofEpochMilli(at).atZone(zone);
    ZonedDateTime candidate = now.toLocalDate()
        .with(TemporalAdjusters.previousOrSame(DayOfWeek.of(resetDay)))
        .atStartOfDay(zone)
        .withHour(resetHour);
    if (candidate.isAfter(now)) {
      candidate = candidate.toLocalDate().minusWeeks(1).atStartOfDay(zone).withHour(resetHour);
    }
    return candidate.toInstant().toEpochMilli();
  }

  /** The first weekly reset strictly after {@code at}. */
  public static long nextWeekStart(long at, ZoneId zone, int resetDay, int resetHour) {
    long start = weekStart(at, zone, resetDay, resetHour);
    ZonedDateTime next = Instant.ofEpochMilli(start).atZone(zone).toLocalDate().plusWeeks(1)
        .atStartOfDay(zone).withHour(resetHour);
    return next.toInstant().toEpochMilli();
  }
}
