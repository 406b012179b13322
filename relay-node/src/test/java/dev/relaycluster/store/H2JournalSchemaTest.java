package dev.relaycluster.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded journal keeps payloads inline (no H2 LOBs), and a node restarts on what it wrote. */
class H2JournalSchemaTest {
  @TempDir
  Path dataDir;

  @Test
  void payloadsAreInlineBinaryAndSurviveARestart() throws Exception {
    String keyId;
    try (TestNode node = TestNode.embedded(dataDir, Map.of())) {
      keyId = node.createKey("survivor", 3).get("id").asText();
    }
    try (Connection c = DriverManager.getConnection(
        "jdbc:h2:file:" + dataDir.resolve("relay") + ";DATABASE_TO_UPPER=false", "sa", "")) {
      assertEquals("BINARY VARYING", columnType(c, "event_journal", "event_payload"));
      assertEquals("BINARY VARYING", columnType(c, "snapshot", "snapshot_payload"));
      try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM \"event_journal\"")) {
        rs.next();
        assertTrue(rs.getLong(1) > 0, "the journal plugin wrote no events into the table");
      }
    }
    try (TestNode node = TestNode.embedded(dataDir, Map.of())) {
      JsonNode keys = node.admin("GET", "/admin/api/keys", null).get("data");
      boolean found = false;
      for (JsonNode k : keys) {
        found |= k.get("id").asText().equals(keyId) && k.get("concurrencyLimit").asInt() == 3;
      }
      assertTrue(found, "the key created before the restart is gone: " + keys);
    }
  }

  private static String columnType(Connection c, String table, String column) throws Exception {
    try (var st = c.prepareStatement("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = ? AND COLUMN_NAME = ?")) {
      st.setString(1, table);
      st.setString(2, column);
      try (ResultSet rs = st.executeQuery()) {
        assertTrue(rs.next(), "no column " + table + "." + column);
        return rs.getString(1);
      }
    }
  }
}
