package dev.relaycluster.usage;

import dev.relaycluster.store.SqlDialect;
import java.util.Arrays;
import java.util.List;

/**
 * Usage totals per (period, bucket start, dimension, value): requests, each token class, real and rated
 * cost, errors, cooling errors and failovers. Written only by adding to a row ({@link #incrementSql}), so the
 * projection's parallel workers and the re-pricing can touch the same row safely.
 */
public final class AggregateTable {
  public static final String NAME = "relay_usage_aggregate";
  /** The value of the account dimension for requests no account served. */
  public static final String NO_ACCOUNT = "(none)";
  /** The value of the pool dimension for requests recorded without a pool. */
  public static final String NO_POOL = "(none)";

  static final String[] KEY = {"period", "bucket_start", "dimension", "dim_value"};
  static final String[] COUNTS = {
      "requests", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_5m_tokens",
      "cache_write_1h_tokens", "cost_micros", "rated_cost_micros", "errors", "cooling_errors", "failovers"};

  private AggregateTable() {}

  public static List<String> ddl() {
    StringBuilder counts = new StringBuilder();
    for (String c : COUNTS) {
      counts.append(c).append(" BIGINT NOT NULL, ");
    }
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + NAME + " ("
            + "period VARCHAR(8) NOT NULL, "
            + "bucket_start BIGINT NOT NULL, "
            + "dimension VARCHAR(8) NOT NULL, "
            + "dim_value VARCHAR(200) NOT NULL, "
            + counts
            + "PRIMARY KEY (period, dimension, bucket_start, dim_value))",
        // Tables made before failovers were counted get the column (0 for the rows already there).
        "ALTER TABLE " + NAME + " ADD COLUMN IF NOT EXISTS failovers BIGINT DEFAULT 0 NOT NULL");
  }

  /** Adds the {@link #COUNTS} given as parameters (after the {@link #KEY} ones) to the row, creating it at 0. */
  public static String incrementSql(SqlDialect dialect) {
    List<String> all = new java.util.ArrayList<>(Arrays.asList(KEY));
    all.addAll(Arrays.asList(COUNTS));
    String cols = String.join(", ", all);
    return switch (dialect) {
      case POSTGRES -> "INSERT INTO " + NAME + " (" + cols + ") VALUES ("
          + String.join(", ", java.util.Collections.nCopies(all.size(), "?")) + ") ON CONFLICT ("
          + String.join(", ", KEY) + ") DO UPDATE SET "
          + String.join(", ", Arrays.stream(COUNTS).map(c -> c + " = " + NAME + "." + c + " + EXCLUDED." + c).toList());
      case H2 -> "MERGE INTO " + NAME + " t USING (VALUES (CAST(? AS VARCHAR(8)), CAST(? AS BIGINT), "
          + "CAST(? AS VARCHAR(8)), CAST(? AS VARCHAR(200)), "
          + String.join(", ", java.util.Collections.nCopies(COUNTS.length, "CAST(? AS BIGINT)")) + ")) s ("
          + cols + ") ON " + String.join(" AND ", Arrays.stream(KEY).map(k -> "t." + k + " = s." + k).toList())
          + " WHEN MATCHED THEN UPDATE SET "
          + String.join(", ", Arrays.stream(COUNTS).map(c -> c + " = t." + c + " + s." + c).toList())
          + " WHEN NOT MATCHED THEN INSERT (" + cols + ") VALUES ("
          + String.join(", ", all.stream().map(c -> "s." + c).toList()) + ")";
    };
  }
}
