package dev.relaycluster.usage;

import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.store.PlainJdbcSession;
import dev.relaycluster.store.SqlDialect;
import java.sql.PreparedStatement;
import java.sql.Types;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Writes each {@link ApiKeyEntity.UsageRecorded} into the request log, in the same transaction as the
 * projection's offset (exactly once); a row that exists already is left as it is.
 */
public final class UsageProjectionHandler extends JdbcHandler<EventEnvelope<ApiKeyEntity.Event>, PlainJdbcSession> {
  private final String insert;

  public UsageProjectionHandler(SqlDialect dialect) {
    this.insert = dialect.insertIgnoringDuplicates(RequestLogTable.NAME, "request_id", RequestLogTable.COLUMNS);
  }

  @Override
  public void process(PlainJdbcSession session, EventEnvelope<ApiKeyEntity.Event> envelope) throws Exception {
    if (!(envelope.event() instanceof ApiKeyEntity.UsageRecorded recorded)) {
      return;
    }
    UsageRecord u = recorded.usage();
    session.withConnection(c -> {
      try (PreparedStatement st = c.prepareStatement(insert)) {
        int i = 1;
        st.setString(i++, u.requestId());
        st.setString(i++, u.keyId());
        st.setString(i++, u.accountId());
        st.setString(i++, u.platform());
        st.setString(i++, u.endpoint());
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
        st.setString(i, truncate(u.userAgent(), 300));
        st.executeUpdate();
      }
      return null;
    });
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
