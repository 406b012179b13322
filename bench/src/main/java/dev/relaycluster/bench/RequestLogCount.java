package dev.relaycluster.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Counts what a stopped node persisted, straight from its embedded H2 file: usage events in the
 * journal (tagged usage-N), the requests' usage records they carry, and rows of the projected request log, by outcome. Prints one JSON object.
 * Run with the relay jar on the class path (it carries the H2 driver):
 *
 * <pre>java -cp relay-node/target/relay-node.jar:bench/target/bench.jar dev.relaycluster.bench.RequestLogCount DATA_DIR</pre>
 */
public final class RequestLogCount {
  private RequestLogCount() {}

  public static void main(String[] args) throws SQLException, IOException {
    String url = "jdbc:h2:file:" + args[0] + "/relay;DATABASE_TO_UPPER=false";
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
      StringBuilder out = new StringBuilder("{");
      out.append("\"journalEvents\":").append(one(st, "SELECT COUNT(*) FROM \"event_journal\""));
      out.append(",\"usageEvents\":").append(one(st, "SELECT COUNT(*) FROM \"event_tag\" WHERE \"tag\" LIKE 'usage-%'"));
      out.append(",\"usageRecords\":").append(usageRecords(st));
      out.append(",\"requestLogRows\":").append(one(st, "SELECT COUNT(*) FROM relay_request_log"));
      out.append(",\"streamRows\":").append(one(st, "SELECT COUNT(*) FROM relay_request_log WHERE stream"));
      out.append(",\"outputTokens\":").append(one(st, "SELECT COALESCE(SUM(output_tokens),0) FROM relay_request_log"));
      out.append(",\"costMicros\":").append(one(st, "SELECT COALESCE(SUM(cost_micros),0) FROM relay_request_log"));
      out.append(",\"byOutcome\":{");
      try (ResultSet rs = st.executeQuery(
          "SELECT outcome, status, COUNT(*) FROM relay_request_log GROUP BY outcome, status ORDER BY 3 DESC")) {
        boolean first = true;
        while (rs.next()) {
          out.append(first ? "" : ",").append('"').append(rs.getString(1)).append(' ').append(rs.getInt(2))
              .append("\":").append(rs.getLong(3));
          first = false;
        }
      }
      System.out.println(out.append("}}"));
    }
  }

  /**
   * The requests' usage the usage events carry: an event holds one request's record or a batch's (its
   * {@code usage} is then an array). Read as CBOR, not searched for field names: the node writes a name that
   * repeats in one event once and then as a string reference.
   */
  private static long usageRecords(Statement st) throws SQLException, IOException {
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    long records = 0;
    try (ResultSet rs = st.executeQuery("SELECT j.\"event_payload\" FROM \"event_journal\" j JOIN \"event_tag\" t"
        + " ON t.\"event_id\" = j.\"ordering\" WHERE t.\"tag\" LIKE 'usage-%'")) {
      while (rs.next()) {
        JsonNode usage = cbor.readTree(rs.getBytes(1)).path("usage");
        records += usage.isArray() ? usage.size() : usage.isObject() ? 1 : 0;
      }
    }
    return records;
  }

  private static long one(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
