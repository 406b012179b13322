package dev.relaycluster.usage;

import dev.relaycluster.store.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds requests' totals (or cost changes) to their hour, day and month rows of every dimension. Changes
 * are summed per row first and written in one fixed row order, so that workers writing at the same time
 * always lock shared rows in the same order.
 */
final class AggregateWriter {
  /** One aggregate row's key. */
  record Row(Period period, long bucketStart, Dimension dimension, String value) {}

  private static final Comparator<Row> ORDER = Comparator.comparing(Row::period).thenComparing(Row::dimension)
      .thenComparingLong(Row::bucketStart).thenComparing(Row::value);

  private final String sql;
  private final ZoneId zone;

  AggregateWriter(SqlDialect dialect, ZoneId zone) {
    this.sql = AggregateTable.incrementSql(dialect);
    this.zone = zone;
  }

  /** A new, empty set of changes. */
  Map<Row, UsageTotals> changes() {
    return new TreeMap<>(ORDER);
  }

  /** Adds one request's totals to {@code changes}. */
  void collect(Map<Row, UsageTotals> changes, UsageRecord u, UsageTotals totals) {
    for (Period period : Period.values()) {
      long bucket = period.bucketStart(u.startedAt(), zone);
      for (Dimension dimension : Dimension.values()) {
        changes.merge(new Row(period, bucket, dimension, dimension.of(u)), totals, UsageTotals::plus);
      }
    }
  }

  void write(Connection c, Map<Row, UsageTotals> changes) throws SQLException {
    if (changes.isEmpty()) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (Map.Entry<Row, UsageTotals> e : changes.entrySet()) {
        Row row = e.getKey();
        int i = 1;
        st.setString(i++, row.period().wireName());
        st.setLong(i++, row.bucketStart());
        st.setString(i++, row.dimension().wireName());
        st.setString(i++, row.value());
        for (long n : e.getValue().counts()) {
          st.setLong(i++, n);
        }
        st.addBatch();
      }
      st.executeBatch();
    }
  }
}
