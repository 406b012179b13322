package dev.relaycluster.usage;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** The time buckets of the usage aggregates; day and month boundaries are those of the ledger's zone. */
public enum Period {
  HOUR,
  DAY,
  MONTH;

  /** The start (epoch millis) of the bucket holding {@code epochMillis}. */
  public long bucketStart(long epochMillis, ZoneId zone) {
    ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
    ZonedDateTime start = switch (this) {
      case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
      case DAY -> t.toLocalDate().atStartOfDay(zone);
      case MONTH -> t.toLocalDate().withDayOfMonth(1).atStartOfDay(zone);
    };
    return start.toInstant().toEpochMilli();
  }

  /** The start of the bucket after the one starting at {@code bucketStart}. */
  public long nextBucketStart(long bucketStart, ZoneId zone) {
    ZonedDateTime t = Instant.ofEpochMilli(bucketStart).atZone(zone);
    return switch (this) {
      case HOUR -> t.plusHours(1).toInstant().toEpochMilli();
      case DAY -> t.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
      case MONTH -> t.toLocalDate().plusMonths(1).atStartOfDay(zone).toInstant().toEpochMilli();
    };
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Period> parse(String s) {
    for (Period p : values()) {
      if (p.wireName().equals(s)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
