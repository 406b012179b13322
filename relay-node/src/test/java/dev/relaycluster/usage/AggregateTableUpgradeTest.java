package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.store.SqlDialect;
import dev.relaycluster.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A node started on a database whose aggregate table predates the failover count: the start-up statements add the
 * column (0 for the rows already there), run again change nothing, and new requests add to it. On H2 and
 * PostgreSQL, whose ALTER TABLE the statements must both speak.
 */
class AggregateTableUpgradeTest {
  /** The table as it was before failovers were counted. */
  private static final String OLD_TABLE = "CREATE TABLE " + AggregateTable.NAME + " (period VARCHAR(8) NOT NULL, "
      + "bucket_start BIGINT NOT NULL, dimension VARCHAR(8) NOT NULL, dim_value VARCHAR(200) NOT NULL, "
      + "requests BIGINT NOT NULL, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, "
      + "cache_read_tokens BIGINT NOT NULL, cache_write_5m_tokens BIGINT NOT NULL, cache_write_1h_tokens BIGINT NOT NULL, "
      + "cost_micros BIGINT NOT NULL, rated_cost_micros BIGINT NOT NULL, errors BIGINT NOT NULL, "
      + "cooling_errors BIGINT NOT NULL, PRIMARY KEY (period, dimension, bucket_start, dim_value))";

  @Test
  void h2() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:upgrade-" + UUID.randomUUID())) {
      upgrade(c, SqlDialect.H2);
    }
  }

  @Test
  void postgres() throws Exception {
    String url = TestDatabases.create();
    try (Connection c = DriverManager.getConnection(url, TestDatabases.USER, "")) {
      upgrade(c, SqlDialect.POSTGRES);
    } finally {
      TestDatabases.drop(url);
    }
  }

  private static void upgrade(Connection c, SqlDialect dialect) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(OLD_TABLE);
      st.execute("INSERT INTO " + AggregateTable.NAME + " VALUES ('day', 0, 'pool', 'claude', 4, 1, 1, 0, 0, 0, 10, 10, "
          + "1, 0)");
      for (int round = 0; round < 2; round++) {
        for (String sql : AggregateTable.ddl()) {
          st.execute(sql);
        }
      }
    }
    assertEquals(0, failovers(c), "rows written before the count have none");
    AggregateWriter writer = new AggregateWriter(dialect, ZoneId.of("UTC"));
    var changes = writer.changes();
    changes.put(new AggregateWriter.Row(Period.DAY, 0, Dimension.POOL, "claude"),
        new UsageTotals(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
    writer.write(c, changes);
    assertEquals(1, failovers(c));
  }

  private static long failovers(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT requests, failovers FROM "
        + AggregateTable.NAME + " WHERE dimension = 'pool' AND dim_value = 'claude'")) {
      rs.next();
      return rs.getLong("failovers");
    }
  }
}
