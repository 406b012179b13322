package dev.relaycluster.usage;

import dev.relaycluster.store.PlainJdbcSession;
import dev.relaycluster.store.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Writes a group of {@link UsageEvent}s (each one request's usage or a batch's) into the request log and
 * adds them to the aggregates, in the same transaction as the projection's offset (exactly once). A request
 * already in the log is left as it is and not counted again. Requests older than the request-log retention
 * (met when the views are rebuilt) go to the aggregates only. Other events, if a tag ever carried any, are
 * skipped.
 */
public final class UsageProjectionHandler
    extends JdbcHandler<List<EventEnvelope<Object>>, PlainJdbcSession> {
  private final String insert;
  private final AggregateWriter aggregates;
  private final Duration retention;
  private final Clock clock;

  public UsageProjectionHandler(SqlDialect dialect, ZoneId zone, Duration retention, Clock clock) {
    this.insert = dialect.insertIgnoringDuplicates(RequestLogTable.NAME, "request_id", RequestLogTable.COLUMNS);
    this.aggregates = new AggregateWriter(dialect, zone);
    this.retention = retention;
    this.clock = clock;
  }

  @Override
  public void process(PlainJdbcSession session, List<EventEnvelope<Object>> envelopes) throws Exception {
    session.withConnection(c -> {
      Map<AggregateWriter.Row, UsageTotals> changes = aggregates.changes();
      long horizon = clock.millis() - retention.toMillis();
      List<UsageRecord> logged = new ArrayList<>();
      for (EventEnvelope<Object> envelope : envelopes) {
        if (envelope.event() instanceof UsageEvent recorded) {
          for (UsageRecord u : recorded.records()) {
            if (u.startedAt() < horizon) {
              aggregates.collect(changes, u, UsageTotals.of(u));
            } else {
              logged.add(u);
            }
          }
        }
      }
      int[] inserted = insertLogRows(c, logged);
      for (int i = 0; i < inserted.length; i++) {
        if (inserted[i] > 0) {
          aggregates.collect(changes, logged.get(i), UsageTotals.of(logged.get(i)));
        }
      }
      aggregates.write(c, changes);
      return null;
    });
  }

  /**
   * Inserts the request-log rows as one batch of one statement; per row, how many rows it inserted (0 when
   * the request is in the log already, also when it came twice in this group). H2 and the PostgreSQL
   * driver report real counts for batches (not SUCCESS_NO_INFO) as long as batch rewriting is off.
   */
  private int[] insertLogRows(Connection c, List<UsageRecord> rows) throws SQLException {
    if (rows.isEmpty()) {
      return new int[0];
    }
    try (PreparedStatement st = c.prepareStatement(insert)) {
      for (UsageRecord u : rows) {
        bind(st, u);
        st.addBatch();
      }
      return st.executeBatch();
    }
  }

  private static void bind(PreparedStatement st, UsageRecord u) throws SQLException {
    int i = 1;
    st.setString(i++, u.requestId());
    st.setString(i++, u.keyId());
    st.setString(i++, u.accountId());
    st.setString(i++, u.platform());
    // The endpoint can carry a client's text (a Code Assist operation name): a value too long for its column
    // would fail the batch again on every retry and stop the projection.
    st.setString(i++, truncate(u.endpoint(), 64));
    st.setString(i++, truncate(u.model(), 200));
    st.setString(i++, truncate(u.servedModel(), 200));
    st.setBoolean(i++, u.stream());
    st.setLong(i++, u.inputTokens());
    st.setLong(i++, u.outputTokens());
    st.setLong(i++, u.cacheReadTokens());
    st.setLong(i++, u.cacheWrite5mTokens());
    st.setLong(i++, u.cacheWrite1hTokens());
    st.setLong(i++, u.inputCostMicros());
    st.setLong(i++, u.outputCostMicros());
    st.setLong(i++, u.cacheWriteCostMicros());
    st.setLong(i++, u.cacheReadCostMicros());
    st.setLong(i++, u.costMicros());
    st.setString(i++, u.priceVersion());
    st.setBoolean(i++, u.priceFallback());
    st.setInt(i++, u.status());
    st.setString(i++, u.outcome().name());
    if (u.errorType() == null) {
      st.setNull(i++, Types.VARCHAR);
    } else {
      st.setString(i++, truncate(u.errorType(), 64));
    }
    st.setLong(i++, u.startedAt());
    st.setLong(i++, u.durationMs());
    st.setLong(i++, u.firstByteMs());
    st.setInt(i++, u.attempts());
    st.setString(i++, u.sessionHash());
    st.setString(i++, truncate(u.userAgent(), 300));
    st.setLong(i++, u.ratedCostMicros());
    st.setString(i++, truncate(u.client(), 64));
    st.setString(i++, truncate(u.clientVersion(), 64));
    st.setLong(i++, u.upstreamLatencyMs());
    st.setDouble(i++, u.accountMultiplierOrOne());
    st.setDouble(i++, u.effectiveServiceRate());
    st.setString(i++, truncate(u.clientDialect(), 24));
    st.setString(i++, truncate(u.upstreamDialect(), 24));
    st.setString(i, truncate(u.route(), 400));
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
