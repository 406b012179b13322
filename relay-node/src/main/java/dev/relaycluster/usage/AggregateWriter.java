package dev.relaycluster.usage;

import dev.relaycluster.store.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneId;

/** Adds one request's totals (or a cost change) to its hour, day and month rows of every dimension. */
final class AggregateWriter {
  private final String sql;
  private final ZoneId zone;

  AggregateWriter(SqlDialect dialect, ZoneId zone) {
    this.sql = AggregateTable.incrementSql(dialect);
    this.zone = zone;
  }

  void add(Connection c, UsageRecord u, UsageTotals totals) throws SQLException {
    long[] counts = totals.counts();
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (Period period : Period.values()) {
        long bucket = period.bucketStart(u.startedAt(), zone);
        for (Dimension dimension : Dimension.values()) {
          int i = 1;
          st.setString(i++, period.wireName());
          st.setLong(i++, bucket);
          st.setString(i++, dimension.wireName());
          st.setString(i++, dimension.of(u));
          for (long n : counts) {
            st.setLong(i++, n);
          }
          st.addBatch();
        }
      }
      st.executeBatch();
    }
  }
}
