package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.store.Database;
import dev.relaycluster.store.PlainJdbcSession;
import dev.relaycluster.store.SqlDialect;
import dev.relaycluster.store.StorageProfile;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;

/**
 * A key's usage written as one event per batch ({@code UsageBatchRecorded}) lands in the request log and the
 * aggregates as the same requests' one-request events did: each request once, also when a batch repeats a
 * request an earlier event carried (a settlement sent again), and mixed with one-request events of journals
 * written before batches.
 */
class UsageBatchProjectionTest {

  @Test
  void everyRequestOfABatchIsLoggedAndCountedOnce() throws Exception {
    String url = "jdbc:h2:mem:batches-" + UUID.randomUUID() + ";DATABASE_TO_UPPER=false;DB_CLOSE_DELAY=-1";
    try (Database db = Database.open(new StorageProfile(url, "sa", "", 2, SqlDialect.H2), Runnable::run)) {
      db.sync(c -> {
        try (Statement st = c.createStatement()) {
          for (String sql : RequestLogTable.ddl()) {
            st.execute(sql);
          }
          for (String sql : AggregateTable.ddl()) {
            st.execute(sql);
          }
        }
        return null;
      });
      long now = System.currentTimeMillis();
      UsageRecord a = UsageLedgerContract.record("req-a", "key-1", now - 3_000, 10);
      UsageRecord b = UsageLedgerContract.record("req-b", "key-1", now - 2_000, 20);
      UsageRecord c = UsageLedgerContract.record("req-c", "key-1", now - 1_000, 40);
      UsageRecord d = UsageLedgerContract.record("req-d", "key-1", now - 500, 80);
      UsageProjectionHandler handler = new UsageProjectionHandler(SqlDialect.H2, ZoneId.of("UTC"),
          Duration.ofDays(30), Clock.systemUTC());
      process(db, handler, List.of(
          envelope(1, new ApiKeyEntity.UsageRecorded(a)),
          envelope(2, new ApiKeyEntity.UsageBatchRecorded("key-1", List.of(b, c)))));
      // A later group: a batch carrying b again (sent again after its acknowledgement was lost) and d.
      process(db, handler, List.of(envelope(3, new ApiKeyEntity.UsageBatchRecorded("key-1", List.of(b, d)))));

      assertEquals(List.of("req-a", "req-b", "req-c", "req-d"), db.sync(conn -> {
        List<String> ids = new ArrayList<>();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT request_id FROM " + RequestLogTable.NAME + " ORDER BY request_id")) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
        return ids;
      }));
      // Every aggregate row (each period and dimension) counts the four requests once: 150 micro-dollars.
      List<long[]> totals = db.sync(conn -> {
        List<long[]> rows = new ArrayList<>();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT SUM(requests), SUM(cost_micros) FROM " + AggregateTable.NAME
                 + " GROUP BY period, dimension")) {
          while (rs.next()) {
            rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
          }
        }
        return rows;
      });
      assertEquals(false, totals.isEmpty());
      for (long[] row : totals) {
        assertEquals(4L, row[0]);
        assertEquals(150L, row[1]);
      }
    }
  }

  private static void process(Database db, UsageProjectionHandler handler, List<EventEnvelope<Object>> group)
      throws Exception {
    PlainJdbcSession session = new PlainJdbcSession(db);
    try {
      handler.process(session, group);
      session.commit();
    } finally {
      session.close();
    }
  }

  private static EventEnvelope<Object> envelope(long seq, Object event) {
    return EventEnvelope.create(Offset.sequence(seq), "ApiKey|key-1", seq, event, System.currentTimeMillis());
  }
}
