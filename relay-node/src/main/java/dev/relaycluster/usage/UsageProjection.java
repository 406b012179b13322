package dev.relaycluster.usage;

import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.store.Database;
import dev.relaycluster.store.PlainJdbcSession;
import dev.relaycluster.store.SqlDialect;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Runs the usage projection (request log and aggregates): one exactly-once JDBC projection per usage
 * tag, spread over the cluster as a sharded daemon process, so each tag is consumed by exactly one
 * worker in the cluster. On embedded H2 the events come from {@link EmbeddedTagSource} (same offsets),
 * on PostgreSQL from the JDBC read journal's eventsByTag.
 */
public final class UsageProjection {
  public static final String NAME = "usage-request-log";

  private UsageProjection() {}

  public static void init(ActorSystem<?> system, Database database, int partitions, RelaySettings.Ledger ledger) {
    List<String> tags = UsageTags.all(partitions);
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        tags.size(),
        i -> ProjectionBehavior.create(projection(system, database, tags.get(i), ledger)),
        ProjectionBehavior.stopMessage());
  }

  public static List<ProjectionId> ids(int partitions) {
    return UsageTags.all(partitions).stream().map(tag -> ProjectionId.of(NAME, tag)).toList();
  }

  static GroupedProjection<Offset, EventEnvelope<Object>> projection(
      ActorSystem<?> system, Database database, String tag, RelaySettings.Ledger ledger) {
    SourceProvider<Offset, EventEnvelope<Object>> source = database.dialect() == SqlDialect.H2
        ? new EmbeddedTagSource(system, database, tag)
        : EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.groupedWithin(
            ProjectionId.of(NAME, tag),
            source,
            () -> new PlainJdbcSession(database),
            () -> new UsageProjectionHandler(database.dialect(), ledger.zone(), ledger.requestLogRetention(),
                Clock.systemUTC()),
            system)
        // Up to 50 events (or what came within 100 ms) per transaction: an event is one request's usage or
        // a batch's (up to the key's batch limit, 500), so a group of a busy key holds up to 25,000 requests.
        .withGroup(50, Duration.ofMillis(100))
        // Two workers adding to the same aggregate row at once may conflict; the transaction is retried.
        .withRecoveryStrategy(HandlerRecoveryStrategy.retryAndFail(5, Duration.ofMillis(200)));
  }
}
