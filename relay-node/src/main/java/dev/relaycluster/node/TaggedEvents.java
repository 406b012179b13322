package dev.relaycluster.node;

import dev.relaycluster.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * Every event in the journal that carries a tag, in journal order, read with one flat join over the JDBC
 * journal's tables. For start-up only: the read journal's {@code currentEventsByTag} waits for gap
 * detection (seconds) and on H2 scans the whole tag table per query, while this reads the few
 * definition events by the tag index. An event written concurrently on another node may be missed; the
 * directories' replication brings it.
 */
final class TaggedEvents {
  private static final String QUERY = "SELECT j.\"event_payload\", j.\"event_ser_id\", j.\"event_ser_manifest\""
      + " FROM \"event_tag\" t JOIN \"event_journal\" j ON j.\"ordering\" = t.\"event_id\""
      + " WHERE t.\"tag\" = ? AND j.\"deleted\" = FALSE ORDER BY j.\"ordering\"";

  private TaggedEvents() {}

  static CompletionStage<List<Object>> read(ActorSystem<?> system, Database database, String tag) {
    Serialization serialization = SerializationExtension.get(system);
    return database.async(c -> {
      List<Object> events = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(QUERY)) {
        st.setString(1, tag);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            events.add(serialization.deserialize(rs.getBytes(1), rs.getInt(2), rs.getString(3)).get());
          }
        }
      }
      return events;
    });
  }
}
