package dev.relaycluster.usage;

import dev.relaycluster.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * How far the usage projection is behind the journal: per usage tag, the tagged events after the offset the
 * projection stored (all of the tag's events before it stored any). Counted over the tag index, and at most
 * {@link #MOST} per tag, so that a projection far behind does not make the count itself expensive.
 */
public final class ProjectionLag {
  /** A count stops here: "at least this many behind". */
  public static final long MOST = 100_000;

  private static final String BEHIND = "SELECT COUNT(*) FROM (SELECT 1 FROM \"event_tag\" t WHERE t.\"tag\" = ?"
      + " AND t.\"event_id\" > COALESCE((SELECT CAST(o.\"current_offset\" AS BIGINT)"
      + " FROM \"pekko_projection_offset_store\" o WHERE o.\"projection_name\" = ? AND o.\"projection_key\" = ?), 0)"
      + " LIMIT " + MOST + ") behind";

  private final Database database;
  private final List<String> tags;

  public ProjectionLag(Database database, int partitions) {
    this.database = database;
    this.tags = UsageTags.all(partitions);
  }

  /** Usage tag → events not yet projected (capped at {@link #MOST}). */
  public CompletionStage<Map<String, Long>> eventsBehind() {
    return database.async(c -> {
      Map<String, Long> behind = new LinkedHashMap<>();
      try (PreparedStatement s = c.prepareStatement(BEHIND)) {
        for (String tag : tags) {
          s.setString(1, tag);
          s.setString(2, UsageProjection.NAME);
          s.setString(3, tag);
          try (ResultSet r = s.executeQuery()) {
            behind.put(tag, r.next() ? r.getLong(1) : 0);
          }
        }
      }
      return behind;
    });
  }
}
