package dev.relaycluster.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.relaycluster.testing.TestDatabases;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A key's usage ledger read straight from the cluster's database: the request log (one row per request id,
 * written by the projection) and, below it, the journal's usage events of the key's entity (one request's
 * or a batch's), counted per request id. The request log's primary key hides a request recorded twice; the journal does
 * not, so duplicates are counted there.
 */
final class UsageLedger {
  /** Reads the events as CBOR, with or without string references (the node writes a repeated name once). */
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

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
  Map<String, Integer> journal(String keyId) throws SQLException, IOException {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection c = DriverManager.getConnection(url, TestDatabases.USER, "");
         PreparedStatement st = c.prepareStatement("SELECT j.event_payload FROM event_journal j"
             + " JOIN event_tag t ON t.event_id = j.ordering"
             + " WHERE j.persistence_id = ? AND t.tag LIKE 'usage-%' AND j.deleted = FALSE")) {
      st.setString(1, "ApiKey|" + keyId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          // One request's event ({"usage": {...}}) or a batch's ({"usage": [...]}): every request id in it counts.
          JsonNode usage = CBOR.readTree(rs.getBytes(1)).path("usage");
          List<JsonNode> records = new ArrayList<>();
          if (usage.isArray()) {
            usage.forEach(records::add);
          } else {
            records.add(usage);
          }
          for (JsonNode record : records) {
            String requestId = record.path("requestId").asText("");
            if (requestId.isEmpty()) {
              throw new AssertionError("a usage event without a request id: " + usage);
            }
            counts.merge(requestId, 1, Integer::sum);
          }
        }
      }
    }
    return counts;
  }
}
