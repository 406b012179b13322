package dev.relaycluster.store;

import java.util.List;

/**
 * Indexes the JDBC journal's own schema lacks for how we read it: projections and the directory
 * loader query events by tag, and event_tag's key starts with the event id, so without this index
 * every by-tag query scans the whole tag table (the top CPU cost in the benchmark's profile).
 */
public final class JournalIndexes {
  private JournalIndexes() {}

  public static List<String> ddl() {
    return List.of("CREATE INDEX IF NOT EXISTS event_tag_tag_idx ON event_tag (tag, event_id)");
  }
}
