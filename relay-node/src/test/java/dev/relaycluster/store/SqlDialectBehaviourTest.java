package dev.relaycluster.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The dialects' statements do what they say on both real databases. */
class SqlDialectBehaviourTest {

  private static Connection connect(SqlDialect dialect) throws Exception {
    return dialect == SqlDialect.H2
        ? DriverManager.getConnection("jdbc:h2:mem:dialect-" + UUID.randomUUID() + ";DATABASE_TO_UPPER=false", "sa", "")
        : DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void insertIgnoringDuplicatesKeepsTheFirstRowAndUpsertReplacesIt(SqlDialect dialect) throws Exception {
    String table = "dialect_check_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c = connect(dialect); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (name VARCHAR(50) PRIMARY KEY, val VARCHAR(50) NOT NULL)");
      try {
        String insert = dialect.insertIgnoringDuplicates(table, "name", "name", "val");
        assertEquals(1, run(c, insert, "a", "first"));
        assertEquals(0, run(c, insert, "a", "second"));
        assertEquals("first", value(c, table, "a"));
        String upsert = dialect.upsert(table, "name", "name", "val");
        run(c, upsert, "a", "third");
        run(c, upsert, "b", "new");
        assertEquals("third", value(c, table, "a"));
        assertEquals("new", value(c, table, "b"));
      } finally {
        st.execute("DROP TABLE " + table);
      }
    }
  }

  private static int run(Connection c, String sql, String name, String val) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      ps.setString(2, val);
      return ps.executeUpdate();
    }
  }

  private static String value(Connection c, String table, String name) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("SELECT val FROM " + table + " WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
