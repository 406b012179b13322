package dev.relaycluster.portal;

import dev.relaycluster.usage.AggregateRow;
import dev.relaycluster.usage.Period;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A key's usage over time from the ledger's aggregates: one point for every bucket of a range, zero where
 * the key made no request, so a chart has no gaps. The portal shows the last {@link #DAYS} days by day and
 * today by hour, up to the current hour, in the ledger's zone.
 */
public final class UsageSeries {
  public static final int DAYS = 30;

  private UsageSeries() {}

  /** A range of buckets [from, to) of one period. */
  public record Range(Period period, long from, long to) {}

  /** The last {@code days} days, today included. */
  public static Range lastDays(long now, ZoneId zone, int days) {
    long today = Period.DAY.bucketStart(now, zone);
    long from = Instant.ofEpochMilli(today).atZone(zone).toLocalDate().minusDays(days - 1L).atStartOfDay(zone)
        .toInstant().toEpochMilli();
    return new Range(Period.DAY, from, Period.DAY.nextBucketStart(today, zone));
  }

  /** Today's hours up to and including the current one. */
  public static Range todayByHour(long now, ZoneId zone) {
    return new Range(Period.HOUR, Period.DAY.bucketStart(now, zone),
        Period.HOUR.nextBucketStart(Period.HOUR.bucketStart(now, zone), zone));
  }

  /**
   * One point per bucket of the range, oldest first, with the rows' totals (rows of several dimension
   * values in one bucket are summed; rows outside the range are ignored).
   */
  public static List<SeriesPoint> fill(Range range, List<AggregateRow> rows, ZoneId zone) {
    Map<Long, long[]> sums = new HashMap<>();
    for (AggregateRow r : rows) {
      if (!r.period().equals(range.period().wireName()) || r.bucketStart() < range.from()
          || r.bucketStart() >= range.to()) {
        continue;
      }
      long[] s = sums.computeIfAbsent(r.bucketStart(), k -> new long[3]);
      s[0] += r.totals().requests();
      s[1] += r.totals().totalTokens();
      s[2] += r.totals().ratedCostMicros();
    }
    List<SeriesPoint> out = new ArrayList<>();
    for (long t = range.from(); t < range.to(); t = range.period().nextBucketStart(t, zone)) {
      long[] s = sums.getOrDefault(t, new long[3]);
      out.add(new SeriesPoint(t, Instant.ofEpochMilli(t).atZone(zone).toOffsetDateTime().toString(), s[0], s[1],
          s[2]));
    }
    return out;
  }
}
