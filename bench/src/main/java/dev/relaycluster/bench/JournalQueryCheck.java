package dev.relaycluster.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times, on a stopped node's H2 file, the query pekko-persistence-jdbc runs for every eventsByTag poll
 * (its exact SQL, with the journal as a derived table) against the same query written as a flat join,
 * for each usage tag, over the newest 200 orderings; prints H2's scanCount of event_tag for each and
 * the gaps in the journal's ordering. Prints Markdown.
 *
 * <pre>java -cp relay-node/target/relay-node.jar:bench/target/bench.jar dev.relaycluster.bench.JournalQueryCheck DATA_DIR [--with-tag-index]</pre>
 *
 * With --with-tag-index it first adds an index on event_tag (tag, event_id) to that file (a copy you
 * can spoil), to show what such an index changes.
 */
public final class JournalQueryCheck {
  /** What pekko-persistence-jdbc 1.1 sends for eventsByTag (from slick's statement log). */
  static final String DERIVED = "select x2.x3, x2.x4, x2.x5, x2.x6, x2.x7, x2.x8, x2.x9, x2.x10, x2.x11, x2.x12, x2.x13,"
      + " x2.x14, x2.x15 from (select \"deleted\" as x4, \"meta_ser_id\" as x14, \"meta_ser_manifest\" as x15,"
      + " \"sequence_number\" as x6, \"writer\" as x7, \"event_ser_manifest\" as x12, \"write_timestamp\" as x8,"
      + " \"persistence_id\" as x5, \"adapter_manifest\" as x9, \"ordering\" as x3, \"event_payload\" as x10,"
      + " \"event_ser_id\" as x11, \"meta_payload\" as x13 from \"event_journal\" where \"deleted\" = false) x2,"
      + " \"event_tag\" x16 where ((x16.\"tag\" = ?) and ((x2.x3 > ?) and (x2.x3 <= ?))) and (x2.x3 = x16.\"event_id\")"
      + " order by x2.x3 limit ?";
  /** The same rows as a flat join, which H2 answers from the ordering index. */
  static final String FLAT = "select j.\"ordering\", j.\"deleted\", j.\"persistence_id\", j.\"sequence_number\","
      + " j.\"writer\", j.\"write_timestamp\", j.\"adapter_manifest\", j.\"event_payload\", j.\"event_ser_id\","
      + " j.\"event_ser_manifest\", j.\"meta_payload\", j.\"meta_ser_id\", j.\"meta_ser_manifest\""
      + " from \"event_journal\" j join \"event_tag\" t on t.\"event_id\" = j.\"ordering\""
      + " where t.\"tag\" = ? and j.\"deleted\" = false and j.\"ordering\" > ? and j.\"ordering\" <= ?"
      + " order by j.\"ordering\" limit ?";
  private static final int REPEAT = 10;

  private JournalQueryCheck() {}

  public static void main(String[] args) throws SQLException {
    String url = "jdbc:h2:file:" + args[0] + "/relay;DATABASE_TO_UPPER=false";
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
      if (args.length > 1 && args[1].equals("--with-tag-index")) {
        st.execute("CREATE INDEX IF NOT EXISTS \"bench_event_tag_tag_idx\" ON \"event_tag\" (\"tag\", \"event_id\")");
        System.out.println("With an added index on event_tag (tag, event_id):");
        System.out.println();
      }
      long rows = one(st, "SELECT COUNT(*) FROM \"event_journal\"");
      long max = one(st, "SELECT COALESCE(MAX(\"ordering\"), 0) FROM \"event_journal\"");
      long tagRows = one(st, "SELECT COUNT(*) FROM \"event_tag\"");
      System.out.printf("Journal: %,d events, highest ordering %,d, %,d rows in event_tag.%n%n", rows, max, tagRows);
      List<String[]> gaps = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT a.\"ordering\", (SELECT MIN(b.\"ordering\") FROM \"event_journal\" b"
          + " WHERE b.\"ordering\" > a.\"ordering\") FROM \"event_journal\" a WHERE NOT EXISTS (SELECT 1 FROM"
          + " \"event_journal\" b WHERE b.\"ordering\" = a.\"ordering\" + 1) AND a.\"ordering\" < " + max
          + " ORDER BY 1")) {
        while (rs.next()) {
          gaps.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      System.out.printf("Gaps in ordering: %d%s%n%n", gaps.size(), gaps.isEmpty() ? "" : " (" + gaps.stream()
          .limit(8).map(g -> "after " + g[0] + " next " + g[1]).reduce((a, b) -> a + ", " + b).orElse("") + ")");
      System.out.println("| tag | events with the tag | eventsByTag as sent: event_tag rows scanned | ms per query |"
          + " flat join: event_tag rows scanned | ms per query | rows returned |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|");
      List<String[]> tags = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT \"tag\", COUNT(*) FROM \"event_tag\" GROUP BY \"tag\" ORDER BY 1")) {
        while (rs.next()) {
          tags.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      for (String p : new String[] {"usage-0", "usage-1", "usage-2", "usage-3"}) {
        if (tags.stream().noneMatch(t -> t[0].equals(p))) {
          tags.add(new String[] {p, "0"});
        }
      }
      for (String[] t : tags) {
        if (!t[0].startsWith("usage-")) {
          continue;
        }
        long from = Math.max(0, max - 200);
        long[] d = measure(c, DERIVED, t[0], from, max);
        long[] f = measure(c, FLAT, t[0], from, max);
        System.out.printf("| %s | %,d | %,d | %.2f | %,d | %.2f | %d |%n", t[0], Long.parseLong(t[1]), d[0],
            d[1] / 1e6, f[0], f[1] / 1e6, d[2]);
      }
      System.out.println();
    }
  }

  /** {event_tag scanCount from EXPLAIN ANALYZE, nanoseconds per query with all rows read, rows}. */
  private static long[] measure(Connection c, String sql, String tag, long from, long to) throws SQLException {
    long scanned = -1;
    try (PreparedStatement p = c.prepareStatement("EXPLAIN ANALYZE " + sql)) {
      bind(p, tag, from, to);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        scanned = eventTagScanCount(rs.getString(1));
      }
    }
    long rows = 0;
    long start = 0;
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = -1; i < REPEAT; i++) {
        if (i == 0) {
          start = System.nanoTime();
          rows = 0;
        }
        // A different lower bound each time: H2 would otherwise hand back its cached last result.
        bind(p, tag, from - i - 1, to);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            rs.getBytes(8); // the event payload, as the read journal reads it
            rows++;
          }
        }
      }
    }
    return new long[] {scanned, (System.nanoTime() - start) / REPEAT, rows / REPEAT};
  }

  /** The scanCount H2 reports for the event_tag table: the first one after the table is named in the plan. */
  static long eventTagScanCount(String plan) {
    int at = plan.indexOf("\"event_tag\"");
    if (at < 0) {
      return -1;
    }
    int end = plan.indexOf("INNER JOIN", at + 1);
    String section = end < 0 ? plan.substring(at) : plan.substring(at, end);
    Matcher m = Pattern.compile("scanCount: (\\d+)").matcher(section);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static void bind(PreparedStatement p, String tag, long from, long to) throws SQLException {
    p.setString(1, tag);
    p.setLong(2, from);
    p.setLong(3, to);
    p.setLong(4, 500);
  }

  private static long one(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
