package dev.relaycluster.usage;

import dev.relaycluster.store.Database;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Reads the request log. */
public final class UsageQueries {
  private final Database database;

  public UsageQueries(Database database) {
    this.database = database;
  }

  /** The newest requests of a key, newest first. */
  public CompletionStage<List<RequestLogRow>> recentRequests(String keyId, int limit) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT * FROM " + RequestLogTable.NAME
          + " WHERE key_id = ? ORDER BY started_at DESC, request_id DESC LIMIT ?")) {
        st.setString(1, keyId);
        st.setInt(2, limit);
        try (ResultSet rs = st.executeQuery()) {
          List<RequestLogRow> rows = new ArrayList<>();
          while (rs.next()) {
            rows.add(row(rs));
          }
          return rows;
        }
      }
    });
  }

  private static RequestLogRow row(ResultSet rs) throws java.sql.SQLException {
    long started = rs.getLong("started_at");
    long w5 = rs.getLong("cache_write_5m_tokens");
    long w1 = rs.getLong("cache_write_1h_tokens");
    long cost = rs.getLong("cost_micros");
    String outcome = rs.getString("outcome");
    return new RequestLogRow(
        rs.getString("request_id"),
        Instant.ofEpochMilli(started).toString(),
        started,
        rs.getString("key_id"),
        rs.getString("account_id"),
        rs.getString("endpoint"),
        rs.getString("model"),
        rs.getString("served_model"),
        rs.getBoolean("stream"),
        rs.getLong("input_tokens"),
        rs.getLong("output_tokens"),
        rs.getLong("cache_read_tokens"),
        w5 + w1,
        w5,
        w1,
        cost,
        BigDecimal.valueOf(cost, 6).toPlainString(),
        rs.getString("price_version"),
        rs.getBoolean("price_fallback"),
        rs.getInt("status"),
        outcome,
        RequestOutcome.valueOf(outcome).complete(),
        rs.getString("error_type"),
        rs.getLong("duration_ms"),
        rs.getLong("first_byte_ms"),
        rs.getInt("attempts"));
  }
}
