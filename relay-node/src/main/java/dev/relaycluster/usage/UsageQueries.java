package dev.relaycluster.usage;

import dev.relaycluster.store.Database;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Reads the usage views: the request log and the aggregates. */
public final class UsageQueries {
  private final Database database;
  private final ZoneId zone;

  public UsageQueries(Database database, ZoneId zone) {
    this.database = database;
    this.zone = zone;
  }

  public UsageQueries(Database database) {
    this(database, ZoneId.of("UTC"));
  }

  public ZoneId zone() {
    return zone;
  }


  /** The newest requests of a key, newest first. */
  public CompletionStage<List<RequestLogRow>> recentRequests(String keyId, int limit) {
    return requests(new RequestQuery(keyId, null, null, null, null, null, limit, 0)).thenApply(RequestPage::data);
  }

  /** One request's row of the request log, if it is there (yet, or still). */
  public CompletionStage<java.util.Optional<RequestLogRow>> request(String requestId) {
    return database.async(c -> {
      try (PreparedStatement st = prepare(c, "SELECT * FROM " + RequestLogTable.NAME + " WHERE request_id = ?",
          List.of(requestId)); ResultSet rs = st.executeQuery()) {
        return rs.next() ? java.util.Optional.of(row(rs)) : java.util.Optional.<RequestLogRow>empty();
      }
    });
  }

  /** A page of the request log, newest first. */
  public CompletionStage<RequestPage> requests(RequestQuery q) {
    return database.async(c -> {
      StringBuilder sql = new StringBuilder("SELECT * FROM " + RequestLogTable.NAME + " WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      if (q.keyId() != null) {
        sql.append(" AND key_id = ?");
        args.add(q.keyId());
      }
      if (q.accountId() != null) {
        sql.append(" AND account_id = ?");
        args.add(q.accountId());
      }
      if (q.model() != null) {
        sql.append(" AND (model = ? OR served_model = ?)");
        args.add(q.model());
        args.add(q.model());
      }
      if (q.status() != null) {
        sql.append(" AND status = ?");
        args.add(q.status());
      }
      if (q.from() != null) {
        sql.append(" AND started_at >= ?");
        args.add(q.from());
      }
      if (q.to() != null) {
        sql.append(" AND started_at < ?");
        args.add(q.to());
      }
      sql.append(" ORDER BY started_at DESC, request_id DESC LIMIT ? OFFSET ?");
      args.add(q.limit() + 1);
      args.add(q.offset());
      try (PreparedStatement st = prepare(c, sql.toString(), args); ResultSet rs = st.executeQuery()) {
        List<RequestLogRow> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(row(rs));
        }
        boolean more = rows.size() > q.limit();
        List<RequestLogRow> page = more ? List.copyOf(rows.subList(0, q.limit())) : List.copyOf(rows);
        return new RequestPage(page, q.offset(), q.limit(), more ? q.offset() + q.limit() : null);
      }
    });
  }

  /**
   * Aggregate rows of one period and dimension whose bucket starts in [from, to), oldest first; only
   * {@code value} when it is not null.
   */
  public CompletionStage<List<AggregateRow>> aggregates(Period period, Dimension dimension, long from, long to,
      String value) {
    return database.async(c -> {
      String sql = "SELECT * FROM " + AggregateTable.NAME + " WHERE period = ? AND dimension = ?"
          + " AND bucket_start >= ? AND bucket_start < ?" + (value == null ? "" : " AND dim_value = ?")
          + " ORDER BY bucket_start, dim_value";
      List<Object> args = new ArrayList<>(List.of(period.wireName(), dimension.wireName(), from, to));
      if (value != null) {
        args.add(value);
      }
      try (PreparedStatement st = prepare(c, sql, args); ResultSet rs = st.executeQuery()) {
        List<AggregateRow> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(aggregate(rs));
        }
        return rows;
      }
    });
  }

  /** Per-account totals of the hours starting in [from, to), biggest cost first. */
  public CompletionStage<List<AccountSummary>> accountSummaries(long from, long to) {
    return database.async(c -> {
      List<AccountSummary> out = new ArrayList<>();
      for (Sum s : sums(c, Period.HOUR, Dimension.ACCOUNT, from, to, Integer.MAX_VALUE)) {
        out.add(new AccountSummary(s.value, s.totals,
            s.totals.requests() == 0 ? 0 : (double) s.totals.errors() / s.totals.requests()));
      }
      return out;
    });
  }

  /** Today and this month (in the ledger's zone) as of {@code now}. */
  public CompletionStage<List<DashboardWindow>> dashboard(long now, int topN) {
    return database.async(c -> List.of(window(c, Period.DAY, now, topN), window(c, Period.MONTH, now, topN)));
  }

  private DashboardWindow window(Connection c, Period period, long now, int topN) throws SQLException {
    long start = period.bucketStart(now, zone);
    long end = period.nextBucketStart(start, zone);
    List<Sum> keys = sums(c, period, Dimension.KEY, start, end, Integer.MAX_VALUE);
    UsageTotals total = UsageTotals.ZERO;
    for (Sum s : keys) {
      total = total.plus(s.totals);
    }
    List<Sum> models = sums(c, period, Dimension.MODEL, start, end, topN);
    long accounts = sums(c, period, Dimension.ACCOUNT, start, end, Integer.MAX_VALUE).stream()
        .filter(s -> !s.value.equals(AggregateTable.NO_ACCOUNT) && s.totals.requests() > 0).count();
    return new DashboardWindow(iso(start), iso(end), total, total.totalTokens(),
        keys.stream().limit(topN).map(s -> s.row(period, start, Dimension.KEY, this)).toList(),
        models.stream().map(s -> s.row(period, start, Dimension.MODEL, this)).toList(), accounts);
  }

  private record Sum(String value, UsageTotals totals) {
    AggregateRow row(Period period, long start, Dimension dimension, UsageQueries q) {
      return new AggregateRow(period.wireName(), start, q.iso(start), dimension.wireName(), value, totals);
    }
  }

  /** Totals per value of the buckets starting in [from, to), biggest cost (then requests) first. */
  private static List<Sum> sums(Connection c, Period period, Dimension dimension, long from, long to, int limit)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT dim_value");
    for (String col : AggregateTable.COUNTS) {
      sql.append(", SUM(").append(col).append(") AS ").append(col);
    }
    sql.append(" FROM ").append(AggregateTable.NAME)
        .append(" WHERE period = ? AND dimension = ? AND bucket_start >= ? AND bucket_start < ?")
        .append(" GROUP BY dim_value ORDER BY SUM(cost_micros) DESC, SUM(requests) DESC, dim_value LIMIT ?");
    try (PreparedStatement st = prepare(c, sql.toString(),
        List.of(period.wireName(), dimension.wireName(), from, to, limit)); ResultSet rs = st.executeQuery()) {
      List<Sum> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new Sum(rs.getString("dim_value"), totals(rs)));
      }
      return out;
    }
  }

  String iso(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atZone(zone).toOffsetDateTime().toString();
  }

  private AggregateRow aggregate(ResultSet rs) throws SQLException {
    long start = rs.getLong("bucket_start");
    return new AggregateRow(rs.getString("period"), start, iso(start), rs.getString("dimension"),
        rs.getString("dim_value"), totals(rs));
  }

  private static UsageTotals totals(ResultSet rs) throws SQLException {
    return new UsageTotals(rs.getLong("requests"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
        rs.getLong("cache_read_tokens"), rs.getLong("cache_write_5m_tokens"), rs.getLong("cache_write_1h_tokens"),
        rs.getLong("cost_micros"), rs.getLong("rated_cost_micros"), rs.getLong("errors"), rs.getLong("cooling_errors"),
        rs.getLong("failovers"));
  }

  private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
    PreparedStatement st = c.prepareStatement(sql);
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof String s) {
        st.setString(i + 1, s);
      } else if (a instanceof Integer n) {
        st.setInt(i + 1, n);
      } else {
        st.setLong(i + 1, (Long) a);
      }
    }
    return st;
  }

  private static RequestLogRow row(ResultSet rs) throws SQLException {
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
        complete(outcome),
        rs.getString("error_type"),
        rs.getLong("duration_ms"),
        rs.getLong("first_byte_ms"),
        rs.getInt("attempts"),
        rs.getString("platform"),
        rs.getLong("input_cost_micros"),
        rs.getLong("output_cost_micros"),
        rs.getLong("cache_write_cost_micros"),
        rs.getLong("cache_read_cost_micros"),
        rs.getLong("rated_cost_micros"),
        rs.getDouble("account_multiplier"),
        rs.getDouble("service_rate"),
        rs.getLong("upstream_latency_ms"),
        rs.getString("client"),
        rs.getString("client_version"),
        rs.getString("session_hash"),
        rs.getString("client_dialect"),
        rs.getString("upstream_dialect"),
        rs.getString("route"));
  }

  private static boolean complete(String outcome) {
    try {
      return RequestOutcome.valueOf(outcome).complete();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }
}
