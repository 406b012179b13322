package dev.relaycluster.admin;

import dev.relaycluster.protocol.util.TimeOrderedIds;
import dev.relaycluster.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The admin audit log: an append-only table, written in the request that made the change (so a change the
 * API answered as done is in the log when the answer arrives) and never updated. It is the event log
 * itself: rows are the events, keyed by time-ordered ids, and the read side is the same table, newest first.
 * It holds names, ids, field names and addresses, never a secret value.
 */
public final class AdminAudit {
  public static final String TABLE = "relay_admin_audit";
  public static final int MAX_PAGE = 1000;
  private static final TimeOrderedIds IDS = TimeOrderedIds.systemClock();
  private static UUID lastId;
  private static final String COLUMNS =
      "id, at, actor, action, object_type, object_id, object_name, fields, detail, client";

  /** The exact-match filters of {@link #query}: parameter to column. */
  private static final Map<String, String> FILTERS = orderedFilters();

  private final Database database;

  public AdminAudit(Database database) {
    this.database = database;
  }

  public static List<String> ddl() {
    return List.of("CREATE TABLE IF NOT EXISTS " + TABLE + " (id VARCHAR(40) PRIMARY KEY, at BIGINT NOT NULL, "
            + "actor VARCHAR(100), action VARCHAR(40) NOT NULL, object_type VARCHAR(40) NOT NULL, "
            + "object_id VARCHAR(200), object_name VARCHAR(300), fields VARCHAR(2000), detail VARCHAR(300), "
            + "client VARCHAR(100))",
        "CREATE INDEX IF NOT EXISTS relay_admin_audit_at_idx ON " + TABLE + " (at)",
        "CREATE INDEX IF NOT EXISTS relay_admin_audit_actor_idx ON " + TABLE + " (actor, at)");
  }

  /**
   * The next entry's id: after the last one this node made, so that entries written one after another in the same
   * millisecond are listed in that order (the list is sorted by time, then id).
   */
  private static synchronized UUID nextId() {
    lastId = IDS.nextAfter(lastId);
    return lastId;
  }

  /** Appends an entry (its id and time are set here). */
  public CompletionStage<AuditEntry> record(String actor, AuditAction what, String objectName, List<String> fields,
      String client) {
    UUID id = nextId();
    AuditEntry entry = new AuditEntry(id.toString(), TimeOrderedIds.millisOf(id), cut(actor, 100), what.action(),
        what.objectType(), cut(what.objectId(), 200), cut(objectName, 300), fields, cut(what.detail(), 300),
        cut(client, 100));
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO " + TABLE + " (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        st.setString(1, entry.id());
        st.setLong(2, entry.at());
        st.setString(3, entry.actor());
        st.setString(4, entry.action());
        st.setString(5, entry.objectType());
        st.setString(6, entry.objectId());
        st.setString(7, entry.objectName());
        st.setString(8, cut(String.join(",", fields), 2000));
        st.setString(9, entry.detail());
        st.setString(10, entry.client());
        st.executeUpdate();
        return entry;
      }
    });
  }

  /**
   * Entries newest first: {@code from} and {@code to} (ISO instants, dates in UTC or epoch millis, to
   * exclusive), {@code actor}, {@code action}, {@code objectType}, {@code objectId} (each an exact match),
   * {@code limit} (1 to 1000, default 100) and {@code offset}.
   */
  public CompletionStage<List<AuditEntry>> query(Map<String, String> p) {
    Long from;
    Long to;
    int limit;
    int offset;
    try {
      from = time(p.get("from"), "from");
      to = time(p.get("to"), "to");
      limit = limit(p);
      offset = offset(p);
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (from != null) {
      sql.append(" AND at >= ?");
      args.add(from);
    }
    if (to != null) {
      sql.append(" AND at < ?");
      args.add(to);
    }
    for (Map.Entry<String, String> filter : FILTERS.entrySet()) {
      String value = p.get(filter.getKey());
      if (value != null && !value.isBlank()) {
        sql.append(" AND ").append(filter.getValue()).append(" = ?");
        args.add(value.strip());
      }
    }
    sql.append(" ORDER BY at DESC, id DESC LIMIT ? OFFSET ?");
    args.add(limit);
    args.add(offset);
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          st.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = st.executeQuery()) {
          List<AuditEntry> out = new ArrayList<>();
          while (rs.next()) {
            String fields = rs.getString(8);
            out.add(new AuditEntry(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), fields == null || fields.isEmpty() ? List.of()
                    : Arrays.asList(fields.split(",")), rs.getString(9), rs.getString(10)));
          }
          return out;
        }
      }
    });
  }

  /** The page size a valid query asked for (call after {@link #query} accepted the parameters). */
  public static int limit(Map<String, String> p) {
    return integer(p, "limit", 1, MAX_PAGE, 100);
  }

  /** The offset a valid query asked for. */
  public static int offset(Map<String, String> p) {
    return integer(p, "offset", 0, Integer.MAX_VALUE, 0);
  }

  private static Map<String, String> orderedFilters() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("actor", "actor");
    m.put("action", "action");
    m.put("objectType", "object_type");
    m.put("objectId", "object_id");
    return java.util.Collections.unmodifiableMap(m);
  }

  private static Long time(String v, String name) {
    if (v == null || v.isBlank()) {
      return null;
    }
    String s = v.strip();
    try {
      if (s.matches("\\d{1,15}")) {
        return Long.parseLong(s);
      }
      if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      return Instant.parse(s).toEpochMilli();
    } catch (DateTimeException e) {
      throw AdminInputException.invalid(name + ": an ISO instant (2026-11-22T10:00:00Z), a date or epoch milliseconds");
    }
  }

  private static int integer(Map<String, String> p, String name, int min, int max, int otherwise) {
    String v = p.get(name);
    if (v == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw AdminInputException.invalid(name + ": an integer from " + min + " to " + max);
    }
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
