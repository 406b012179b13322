package dev.relaycluster.reliability;

import dev.relaycluster.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key's usage ledger read straight from the cluster's database: the request log (one row per request id,
 * written by the projection) and, below it, the journal's usage events of the key's entity (one request's
 * or a batch's), counted per request id. The request log's primary key hides a request recorded twice; the journal does
 * not, so duplicates are counted there.
 */
final class UsageLedger {
  /** The request id inside an event's CBOR payload: the field name, a string head of one or two bytes, the UUID. */
  private static final Pattern REQUEST_ID = Pattern.compile(
      "requestId.{1,2}?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})", Pattern.DOTALL);

  private final String url;

  UsageLedger(String url) {
    this.url = url;
  }

  /** Request id → outcome, from the request log. */
  Map<String, String> requestLog(String keyId) throws SQLException {
    Map<String, String> rows = new HashMap<>();
    try (Connection c = DriverManager.getConnection(url, TestDatabases.USER, "");
         PreparedStatement st = c.prepareStatement(
             "SELECT request_id, outcome FROM relay_request_log WHERE key_id = ?")) {
      st.setString(1, keyId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return rows;
  }

  /** Request id → how many times the key entity's usage events carry it. */
  Map<String, Integer> journal(String keyId) throws SQLException {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection c = DriverManager.getConnection(url, TestDatabases.USER, "");
         PreparedStatement st = c.prepareStatement("SELECT j.event_payload FROM event_journal j"
             + " JOIN event_tag t ON t.event_id = j.ordering"
             + " WHERE j.persistence_id = ? AND t.tag LIKE 'usage-%' AND j.deleted = FALSE")) {
      st.setString(1, "ApiKey|" + keyId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String payload = new String(rs.getBytes(1), StandardCharsets.ISO_8859_1);
          // One request's event or a batch's: every request id in it counts.
          Matcher m = REQUEST_ID.matcher(payload);
          int found = 0;
          while (m.find()) {
            counts.merge(m.group(1), 1, Integer::sum);
            found++;
          }
          if (found == 0) {
            throw new AssertionError("a usage event without a request id: " + payload);
          }
        }
      }
    }
    return counts;
  }
}
