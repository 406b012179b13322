package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;
import java.time.ZoneId;

/**
 * A key's durable rated-cost totals, folded from its usage events: all time, the day of the latest usage
 * (starting at {@code dayStart}) and the Opus-family cost of the week of the latest Opus usage (starting
 * at {@code weekStart}). A usage is counted at the time it ended; one that ended in an earlier day or
 * week than the one held counts toward the total only.
 */
public record CostTotals(long totalMicros, long dayStart, long dayMicros, long weekStart, long weekOpusMicros)
    implements CborSerializable {

  public static final CostTotals ZERO = new CostTotals(0, 0, 0, 0, 0);

  public CostTotals add(long at, long ratedMicros, boolean opus, ZoneId zone, int resetDay, int resetHour) {
    long day = ResetCalendar.dayStart(at, zone);
    long nextDayStart = dayStart;
    long nextDayMicros = dayMicros;
    if (day > dayStart) {
      nextDayStart = day;
      nextDayMicros = ratedMicros;
    } else if (day == dayStart) {
      nextDayMicros += ratedMicros;
    }
    long nextWeekStart = weekStart;
    long nextWeekMicros = weekOpusMicros;
    if (opus) {
      long week = ResetCalendar.weekStart(at, zone, resetDay, resetHour);
      if (week > weekStart) {
        nextWeekStart = week;
        nextWeekMicros = ratedMicros;
      } else if (week == weekStart) {
        nextWeekMicros += ratedMicros;
      }
    }
    return new CostTotals(totalMicros + ratedMicros, nextDayStart, nextDayMicros, nextWeekStart, nextWeekMicros);
  }

  /** Rated cost of the day containing {@code now}. */
  public long today(long now, ZoneId zone) {
    return dayStart == ResetCalendar.dayStart(now, zone) ? dayMicros : 0;
  }

  /** Opus-family rated cost of the week containing {@code now}. */
  public long weekOpus(long now, ZoneId zone, int resetDay, int resetHour) {
    return weekStart == ResetCalendar.weekStart(now, zone, resetDay, resetHour) ? weekOpusMicros : 0;
  }
}
