package dev.relaycluster.store;

/** The two databases the node runs on, and the SQL that differs between them. */
public enum SqlDialect {
  H2,
  POSTGRES;

  public static SqlDialect forUrl(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:postgresql:") ? POSTGRES : H2;
  }

  /** An insert that does nothing when a row with the same key exists; reports 1 row when it inserted. */
  public String insertIgnoringDuplicates(String table, String keyColumn, String... columns) {
    String cols = String.join(", ", columns);
    String marks = String.join(", ", java.util.Collections.nCopies(columns.length, "?"));
    return switch (this) {
      case POSTGRES -> "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ") ON CONFLICT ("
          + keyColumn + ") DO NOTHING";
      case H2 -> "MERGE INTO " + table + " t USING (VALUES (" + marks + ")) s (" + cols + ") ON t." + keyColumn
          + " = s." + keyColumn + " WHEN NOT MATCHED THEN INSERT (" + cols + ") VALUES ("
          + String.join(", ", java.util.Arrays.stream(columns).map(c -> "s." + c).toList()) + ")";
    };
  }

  /** An insert that replaces the row with the same key if there is one. */
  public String upsert(String table, String keyColumn, String... columns) {
    String cols = String.join(", ", columns);
    String marks = String.join(", ", java.util.Collections.nCopies(columns.length, "?"));
    return switch (this) {
      case POSTGRES -> "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ") ON CONFLICT (" + keyColumn
          + ") DO UPDATE SET " + String.join(", ", java.util.Arrays.stream(columns)
              .filter(c -> !c.equals(keyColumn)).map(c -> c + " = EXCLUDED." + c).toList());
      case H2 -> "MERGE INTO " + table + " (" + cols + ") KEY (" + keyColumn + ") VALUES (" + marks + ")";
    };
  }

  public String slickProfile() {
    return this == POSTGRES ? "slick.jdbc.PostgresProfile$" : "slick.jdbc.H2Profile$";
  }

  public String driverClass() {
    return this == POSTGRES ? "org.postgresql.Driver" : "org.h2.Driver";
  }

  public String projectionDialect() {
    return this == POSTGRES ? "postgres-dialect" : "h2-dialect";
  }

  public String displayName() {
    return this == POSTGRES ? "postgresql" : "h2";
  }
}
