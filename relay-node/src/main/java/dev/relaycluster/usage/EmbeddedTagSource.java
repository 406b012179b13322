package dev.relaycluster.usage;

import com.typesafe.config.Config;
import dev.relaycluster.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The events of one tag from the embedded H2 journal, for the usage projection, in place of the JDBC
 * read journal's eventsByTag: that query joins the tag table to the journal as a derived table, which H2
 * answers by walking every row of the tag, so each poll costs more as the journal grows
 * (bench/what-bounds-it.md, item 2). This source asks the same rows as a flat join, which H2 answers from
 * the ordering index, with the same offsets (the journal's ordering, as {@link Sequence}) and the same
 * rule for holes in the ordering ({@link OrderingWatermark}, timed out after the read journal's
 * {@code journal-sequence-retrieval} query-delay × max-tries).
 */
public final class EmbeddedTagSource extends SourceProvider<Offset, EventEnvelope<Object>> {
  /** Events per query: an event holds up to a batch of requests' usage (500), so this bounds a page's memory. */
  private static final int BATCH = 100;
  private static final String ORDERINGS = "SELECT \"ordering\" FROM \"event_journal\" WHERE \"ordering\" > ?"
      + " ORDER BY \"ordering\" LIMIT " + (BATCH * 4);
  private static final String EVENTS = "SELECT j.\"ordering\", j.\"persistence_id\", j.\"sequence_number\","
      + " j.\"write_timestamp\", j.\"event_payload\", j.\"event_ser_id\", j.\"event_ser_manifest\""
      + " FROM \"event_journal\" j JOIN \"event_tag\" t ON t.\"event_id\" = j.\"ordering\""
      // The range is stated on the tag's side too: without it H2 walks the tag's index from its first row.
      + " WHERE t.\"tag\" = ? AND t.\"event_id\" > ? AND t.\"event_id\" <= ?"
      + " AND j.\"deleted\" = FALSE AND j.\"ordering\" > ? AND j.\"ordering\" <= ?"
      + " ORDER BY j.\"ordering\" LIMIT " + BATCH;

  private final ActorSystem<?> system;
  private final Database database;
  private final String tag;
  private final Duration refresh;
  private final long gapTimeoutMillis;

  public EmbeddedTagSource(ActorSystem<?> system, Database database, String tag) {
    this.system = system;
    this.database = database;
    this.tag = tag;
    Config c = system.settings().config().getConfig("jdbc-read-journal");
    this.refresh = c.getDuration("refresh-interval");
    this.gapTimeoutMillis = c.getDuration("journal-sequence-retrieval.query-delay").toMillis()
        * c.getInt("journal-sequence-retrieval.max-tries");
  }

  /** One poll's result: where to continue, the events found, and whether more are waiting. */
  private record Polled(OrderingWatermark next, List<EventEnvelope<Object>> events, boolean full) {
    Optional<Pair<OrderingWatermark, List<EventEnvelope<Object>>>> result() {
      return Optional.of(Pair.create(next, events));
    }
  }

  @Override
  public CompletionStage<Source<EventEnvelope<Object>, NotUsed>> source(
      Supplier<CompletionStage<Optional<Offset>>> offset) {
    return offset.get().thenApply(o -> {
      long start = o.filter(x -> x instanceof Sequence).map(x -> ((Sequence) x).value()).orElse(0L);
      return Source.unfoldAsync(OrderingWatermark.from(start), this::poll).mapConcat(batch -> batch);
    });
  }

  /** The next batch of the tag's events; when there is nothing new, after waiting the refresh interval. */
  private CompletionStage<Optional<Pair<OrderingWatermark, List<EventEnvelope<Object>>>>> poll(
      OrderingWatermark from) {
    return database.async(c -> {
      List<Long> present = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(ORDERINGS)) {
        st.setLong(1, from.safe());
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            present.add(rs.getLong(1));
          }
        }
      }
      OrderingWatermark to = from.advance(present, System.currentTimeMillis(), gapTimeoutMillis);
      List<EventEnvelope<Object>> events = new ArrayList<>();
      if (to.safe() > from.safe()) {
        Serialization serialization = SerializationExtension.get(system);
        try (PreparedStatement st = c.prepareStatement(EVENTS)) {
          st.setString(1, tag);
          st.setLong(2, from.safe());
          st.setLong(3, to.safe());
          st.setLong(4, from.safe());
          st.setLong(5, to.safe());
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              long ordering = rs.getLong(1);
              Object event = serialization.deserialize(rs.getBytes(5), rs.getInt(6), rs.getString(7)).get();
              events.add(EventEnvelope.create(Sequence.apply(ordering), rs.getString(2), rs.getLong(3), event,
                  rs.getLong(4)));
            }
          }
        }
        if (events.size() == BATCH) {
          // The batch stopped short of the watermark: continue after its last event.
          long last = ((Sequence) events.get(BATCH - 1).offset()).value();
          return new Polled(OrderingWatermark.from(last), events, true);
        }
      }
      return new Polled(to, events, to.safe() > from.safe() && present.size() == BATCH * 4);
    }).thenCompose(polled -> polled.events().isEmpty() && !polled.full()
        ? Patterns.after(refresh, system.classicSystem().scheduler(), system.executionContext(),
            () -> CompletableFuture.completedFuture(polled.result()))
        : CompletableFuture.completedFuture(polled.result()));
  }

  @Override
  public Offset extractOffset(EventEnvelope<Object> envelope) {
    return envelope.offset();
  }

  @Override
  public long extractCreationTime(EventEnvelope<Object> envelope) {
    return envelope.timestamp();
  }
}
