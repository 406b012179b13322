package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.store.Database;
import dev.relaycluster.store.PlainJdbcSession;
import dev.relaycluster.store.SqlDialect;
import dev.relaycluster.store.StorageProfile;
import dev.relaycluster.testing.TestDatabases;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;

/**
 * The client's and the upstream's dialect, and the route of the tries, in the request log: written by the projection, read by the queries and
 * the CSV, on H2 and PostgreSQL; on a new table and on one made before the columns existed (the start-up
 * statements add them, its rows read null, and run again change nothing).
 */
class RequestLogDialectsTest {
  private static final String ROUTE = "session:acc-1=529 overloaded > session-rebound:acc-2=401 unauthorized,200";

  /** The request log as it was before the dialects were recorded. */
  private static final String OLD_TABLE = "CREATE TABLE " + RequestLogTable.NAME + " ("
      + "request_id VARCHAR(64) PRIMARY KEY, key_id VARCHAR(64) NOT NULL, account_id VARCHAR(64), "
      + "platform VARCHAR(32) NOT NULL, endpoint VARCHAR(64) NOT NULL, model VARCHAR(200), served_model VARCHAR(200), "
      + "stream BOOLEAN NOT NULL, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, "
      + "cache_read_tokens BIGINT NOT NULL, cache_write_5m_tokens BIGINT NOT NULL, "
      + "cache_write_1h_tokens BIGINT NOT NULL, input_cost_micros BIGINT NOT NULL, output_cost_micros BIGINT NOT NULL, "
      + "cache_write_cost_micros BIGINT NOT NULL, cache_read_cost_micros BIGINT NOT NULL, cost_micros BIGINT NOT NULL, "
      + "price_version VARCHAR(64), price_fallback BOOLEAN NOT NULL, status INT NOT NULL, outcome VARCHAR(32) NOT NULL, "
      + "error_type VARCHAR(64), started_at BIGINT NOT NULL, duration_ms BIGINT NOT NULL, "
      + "first_byte_ms BIGINT NOT NULL, attempts INT NOT NULL, session_hash VARCHAR(64), user_agent VARCHAR(300), "
      + "rated_cost_micros BIGINT DEFAULT 0 NOT NULL, client VARCHAR(64), client_version VARCHAR(64), "
      + "upstream_latency_ms BIGINT DEFAULT -1 NOT NULL, account_multiplier DOUBLE PRECISION DEFAULT 1 NOT NULL, "
      + "service_rate DOUBLE PRECISION DEFAULT 1 NOT NULL)";
  private static final String OLD_ROW = "INSERT INTO " + RequestLogTable.NAME + " (request_id, key_id, platform, "
      + "endpoint, model, stream, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens, "
      + "cache_write_1h_tokens, input_cost_micros, output_cost_micros, cache_write_cost_micros, cache_read_cost_micros, "
      + "cost_micros, price_fallback, status, outcome, started_at, duration_ms, first_byte_ms, attempts) VALUES "
      + "('old-1', 'key-1', 'claude', 'messages', 'claude-sonnet-4-5', FALSE, 1, 2, 0, 0, 0, 3, 4, 0, 0, 7, FALSE, "
      + "200, 'COMPLETED', " + (System.currentTimeMillis() - 120_000) + ", 5, 4, 1)";

  @Test
  void h2() throws Exception {
    on(SqlDialect.H2, false);
    on(SqlDialect.H2, true);
  }

  @Test
  void postgres() throws Exception {
    on(SqlDialect.POSTGRES, false);
    on(SqlDialect.POSTGRES, true);
  }

  private static void on(SqlDialect dialect, boolean upgrade) throws Exception {
    String url = dialect == SqlDialect.H2
        ? "jdbc:h2:mem:dialects-" + UUID.randomUUID() + ";DATABASE_TO_UPPER=false;DB_CLOSE_DELAY=-1"
        : TestDatabases.create();
    try (Database db = Database.open(new StorageProfile(url, dialect == SqlDialect.H2 ? "sa" : TestDatabases.USER, "",
        2, dialect), Runnable::run)) {
      db.sync(c -> {
        try (Statement st = c.createStatement()) {
          if (upgrade) {
            st.execute(OLD_TABLE);
            st.execute(OLD_ROW);
          }
          for (int round = 0; round < 2; round++) {
            for (String sql : RequestLogTable.ddl()) {
              st.execute(sql);
            }
            for (String sql : AggregateTable.ddl()) {
              st.execute(sql);
            }
          }
        }
        return null;
      });
      check(db, dialect, upgrade);
    } finally {
      if (dialect == SqlDialect.POSTGRES) {
        TestDatabases.drop(url);
      }
    }
  }

  private static void check(Database db, SqlDialect dialect, boolean upgrade) throws Exception {
    long now = System.currentTimeMillis();
    UsageRecord plain = dialects(UsageLedgerContract.record("same-1", "key-1", now - 60_000, 10), "anthropic",
        "anthropic");
    UsageRecord converted = dialects(UsageLedgerContract.record("conv-1", "key-1", now - 30_000, 20), "openai-chat",
        "anthropic").withUpstreamDialect("openai-responses").withRoute(ROUTE);
    UsageRecord unknown = UsageLedgerContract.record("none-1", "key-1", now - 90_000, 30);
    UsageProjectionHandler handler = new UsageProjectionHandler(dialect, ZoneId.of("UTC"), Duration.ofDays(30),
        Clock.systemUTC());
    PlainJdbcSession session = new PlainJdbcSession(db);
    try {
      handler.process(session, List.of(envelope(1, plain), envelope(2, converted), envelope(3, unknown)));
      session.commit();
    } finally {
      session.close();
    }

    UsageQueries queries = new UsageQueries(db);
    RequestLogRow same = await(queries.request("same-1")).orElseThrow();
    assertEquals("anthropic", same.clientDialect());
    assertEquals("anthropic", same.upstreamDialect());
    RequestLogRow conv = await(queries.request("conv-1")).orElseThrow();
    assertEquals("openai-chat", conv.clientDialect());
    assertEquals("openai-responses", conv.upstreamDialect());
    assertEquals(ROUTE, conv.route());
    assertNull(same.route(), "recorded without a route");
    RequestLogRow none = await(queries.request("none-1")).orElseThrow();
    assertNull(none.clientDialect());
    assertNull(none.upstreamDialect());

    RequestPage page = await(queries.requests(new RequestQuery("key-1", null, null, null, null, null, 10, 0)));
    List<String> ids = page.data().stream().map(RequestLogRow::requestId).toList();
    assertEquals(upgrade ? List.of("conv-1", "same-1", "none-1", "old-1") : List.of("conv-1", "same-1", "none-1"),
        ids);
    if (upgrade) {
      RequestLogRow old = page.data().get(3);
      assertNull(old.clientDialect(), "logged before the column existed");
      assertNull(old.upstreamDialect());
      assertNull(old.route());
      assertEquals(7, old.costMicros());
    }

    String csv = CsvExport.requests(page.data());
    String header = csv.substring(0, csv.indexOf("\r\n"));
    assertEquals(true, header.endsWith(",session_hash,client_dialect,upstream_dialect"), header);
    List<Map<String, String>> rows = UsageLedgerContract.parseCsv(csv);
    assertEquals("openai-chat", rows.get(0).get("client_dialect"));
    assertEquals("openai-responses", rows.get(0).get("upstream_dialect"));
    assertEquals("anthropic", rows.get(1).get("client_dialect"));
    assertEquals("anthropic", rows.get(1).get("upstream_dialect"));
    assertEquals("", rows.get(2).get("client_dialect"));
    assertEquals("", rows.get(2).get("upstream_dialect"));
    String line = csv.split("\r\n")[1];
    // attempts, then client, client version and session hash (none), then the dialects.
    assertEquals(true, line.endsWith(",1,,,,openai-chat,openai-responses"), line);
  }

  private static EventEnvelope<Object> envelope(long seq, UsageRecord u) {
    return EventEnvelope.create(Offset.sequence(seq), "ApiKey|" + u.keyId(), seq, new ApiKeyEntity.UsageRecorded(u),
        u.startedAt());
  }

  static UsageRecord dialects(UsageRecord r, String client, String upstream) {
    return new UsageRecord(r.requestId(), r.keyId(), r.accountId(), r.platform(), r.endpoint(), r.model(),
        r.servedModel(), r.stream(), r.inputTokens(), r.outputTokens(), r.cacheReadTokens(), r.cacheWrite5mTokens(),
        r.cacheWrite1hTokens(), r.inputCostMicros(), r.outputCostMicros(), r.cacheWriteCostMicros(),
        r.cacheReadCostMicros(), r.costMicros(), r.ratedCostMicros(), r.priceVersion(), r.priceFallback(), r.status(),
        r.outcome(), r.errorType(), r.startedAt(), r.durationMs(), r.firstByteMs(), r.attempts(), r.sessionHash(),
        r.userAgent(), r.client(), r.clientVersion(), r.upstreamLatencyMs(), r.accountPriceMultiplier(),
        r.serviceRate(), client, upstream);
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
