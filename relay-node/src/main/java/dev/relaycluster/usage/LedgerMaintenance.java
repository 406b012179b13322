package dev.relaycluster.usage;

import dev.relaycluster.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.NoOffset;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.ProjectionManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin actions on the usage views. {@link #rebuild()} pauses the usage projections, empties the views,
 * resets the projections' offsets and lets them replay the whole journal. {@link #reprice} pauses them,
 * prices every request of a period the views already hold again with the current table (read from the
 * journal; the events stay as recorded) and writes the changed costs into the request log and the
 * aggregates in one transaction. {@link #deleteExpiredRequests} applies the request-log retention.
 * One action at a time per node.
 */
public final class LedgerMaintenance {
  private static final Logger log = LoggerFactory.getLogger(LedgerMaintenance.class);

  /** Another rebuild or re-pricing is running on this node. */
  public static final class BusyException extends RuntimeException {
    BusyException() {
      super("another rebuild or re-pricing of the usage views is running; try again when it has finished",
          null, false, false);
    }
  }

  private final ActorSystem<?> system;
  private final Database database;
  private final List<ProjectionId> projections;
  private final PriceBook prices;
  private final AggregateWriter aggregates;
  private final Duration retention;
  private final AtomicBoolean busy = new AtomicBoolean();

  public LedgerMaintenance(ActorSystem<?> system, Database database, int partitions,
      dev.relaycluster.config.RelaySettings.Ledger ledger, PriceBook prices) {
    this.system = system;
    this.database = database;
    this.projections = UsageProjection.ids(partitions);
    this.prices = prices;
    this.aggregates = new AggregateWriter(database.dialect(), ledger.zone());
    this.retention = ledger.requestLogRetention();
  }

  /** Empties the views and replays the journal into them; the answer comes once the replay has started. */
  public CompletionStage<Map<String, Object>> rebuild() {
    return exclusively(() -> pauseAll()
        .thenCompose(d -> database.async(c -> inTransaction(c, () -> {
          long deleted;
          try (Statement st = c.createStatement()) {
            deleted = st.executeUpdate("DELETE FROM " + RequestLogTable.NAME);
            st.executeUpdate("DELETE FROM " + AggregateTable.NAME);
          }
          return deleted;
        })))
        .thenCompose(deleted -> all(id -> ProjectionManagement.get(system).clearOffset(id)).thenApply(d -> {
          log.info("usage views emptied ({} request-log rows) and their projections reset; replaying the journal",
              deleted);
          return Map.<String, Object>of("rebuilding", true, "projections", projections.size(),
              "requestLogRowsDeleted", deleted);
        }))
        .handle((r, t) -> resumeAll(r, t)).thenCompose(answer -> answer));
  }

  /** Prices the requests that started in [from, to) again with the current price table. */
  public CompletionStage<RepriceResult> reprice(long from, long to) {
    if (from >= to) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("from must be before to"));
    }
    long horizon = System.currentTimeMillis() - retention.toMillis();
    if (from < horizon) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("from is before the request-log retention ("
          + Instant.ofEpochMilli(horizon) + "); only requests still in the log can be re-priced"));
    }
    var table = prices.current();
    return exclusively(() -> pauseAll()
        .thenCompose(d -> offsets())
        .thenCompose(offsets -> recorded(offsets, from, to))
        .thenCompose(records -> database.async(c -> inTransaction(c, () -> apply(c, records, from, to, table))))
        .handle((r, t) -> resumeAll(r, t)).thenCompose(answer -> answer));
  }

  /** Deletes request-log rows that started before {@code now - retention}; returns how many. */
  public CompletionStage<Integer> deleteExpiredRequests(long now) {
    return database.async(c -> {
      try (PreparedStatement st = c.prepareStatement("DELETE FROM " + RequestLogTable.NAME + " WHERE started_at < ?")) {
        st.setLong(1, now - retention.toMillis());
        return st.executeUpdate();
      }
    });
  }

  private RepriceResult apply(Connection c, List<UsageRecord> records, long from, long to,
      dev.relaycluster.protocol.pricing.PriceTable table) throws SQLException {
    long repriced = 0;
    long unchanged = 0;
    long missing = 0;
    long oldCost = 0;
    long newCost = 0;
    long oldRated = 0;
    long newRated = 0;
    Map<String, long[]> byModel = new TreeMap<>();
    Map<AggregateWriter.Row, UsageTotals> changes = aggregates.changes();
    String select = "SELECT cost_micros, rated_cost_micros FROM " + RequestLogTable.NAME + " WHERE request_id = ?";
    String update = "UPDATE " + RequestLogTable.NAME + " SET input_cost_micros = ?, output_cost_micros = ?, "
        + "cache_write_cost_micros = ?, cache_read_cost_micros = ?, cost_micros = ?, rated_cost_micros = ?, "
        + "price_version = ?, price_fallback = ? WHERE request_id = ?";
    try (PreparedStatement sel = c.prepareStatement(select); PreparedStatement upd = c.prepareStatement(update)) {
      for (UsageRecord u : records) {
        if (u.imported()) {
          // Imported history was priced by the relay it came from: its tokens are day totals, not one request.
          unchanged++;
          continue;
        }
        sel.setString(1, u.requestId());
        long viewCost;
        long viewRated;
        try (ResultSet rs = sel.executeQuery()) {
          if (!rs.next()) {
            missing++;
            continue;
          }
          viewCost = rs.getLong(1);
          viewRated = rs.getLong(2);
        }
        UsageRecord n = Repricing.reprice(u, table, prices.fallbackModel());
        oldCost += viewCost;
        newCost += n.costMicros();
        oldRated += viewRated;
        newRated += n.ratedCostMicros();
        if (n.costMicros() == viewCost && n.ratedCostMicros() == viewRated) {
          unchanged++;
          continue;
        }
        repriced++;
        long[] m = byModel.computeIfAbsent(Dimension.MODEL.of(u), k -> new long[3]);
        m[0]++;
        m[1] += viewCost;
        m[2] += n.costMicros();
        int i = 1;
        upd.setLong(i++, n.inputCostMicros());
        upd.setLong(i++, n.outputCostMicros());
        upd.setLong(i++, n.cacheWriteCostMicros());
        upd.setLong(i++, n.cacheReadCostMicros());
        upd.setLong(i++, n.costMicros());
        upd.setLong(i++, n.ratedCostMicros());
        upd.setString(i++, n.priceVersion());
        upd.setBoolean(i++, n.priceFallback());
        upd.setString(i, u.requestId());
        upd.executeUpdate();
        aggregates.collect(changes, u, UsageTotals.costChange(n.costMicros() - viewCost, n.ratedCostMicros() - viewRated));
      }
    }
    aggregates.write(c, changes);
    List<RepriceResult.ModelChange> models = new ArrayList<>();
    byModel.forEach((model, m) -> models.add(new RepriceResult.ModelChange(model, m[0], m[1], m[2])));
    log.info("re-priced {} of {} requests from {} to {} with price table {}: {} -> {} micro-dollars", repriced,
        records.size(), Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), table.version(), oldCost, newCost);
    return new RepriceResult(Instant.ofEpochMilli(from).toString(), Instant.ofEpochMilli(to).toString(),
        table.version(), records.size(), repriced, unchanged, missing, oldCost, newCost, oldRated, newRated,
        List.copyOf(models));
  }

  /** The usage events of the period each projection has already processed (up to its offset). */
  private CompletionStage<List<UsageRecord>> recorded(Map<String, Long> offsets, long from, long to) {
    JdbcReadJournal journal = PersistenceQuery.get(system)
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    CompletionStage<List<UsageRecord>> all = CompletableFuture.completedFuture(new ArrayList<>());
    for (Map.Entry<String, Long> e : offsets.entrySet()) {
      long upTo = e.getValue();
      all = all.thenCompose(acc -> journal.currentEventsByTag(e.getKey(), NoOffset.getInstance())
          .takeWhile(env -> env.offset() instanceof Sequence s && s.value() <= upTo)
          .filter(env -> env.event() instanceof UsageEvent)
          .mapConcat(env -> ((UsageEvent) env.event()).records())
          .filter(u -> u.startedAt() >= from && u.startedAt() < to)
          .runFold(acc, (list, u) -> {
            list.add(u);
            return list;
          }, system));
    }
    return all;
  }

  /** Each usage tag's processed offset (-1: nothing processed yet). */
  private CompletionStage<Map<String, Long>> offsets() {
    Map<String, Long> out = new TreeMap<>();
    CompletionStage<Done> done = CompletableFuture.completedFuture(Done.getInstance());
    for (ProjectionId id : projections) {
      done = done.thenCompose(d -> ProjectionManagement.get(system).<Offset>getOffset(id).thenApply(o -> {
        out.put(id.key(), offsetValue(o));
        return Done.getInstance();
      }));
    }
    return done.thenApply(d -> out);
  }

  private static long offsetValue(Optional<Offset> offset) {
    return offset.filter(o -> o instanceof Sequence).map(o -> ((Sequence) o).value()).orElse(-1L);
  }

  private CompletionStage<Done> pauseAll() {
    return all(id -> ProjectionManagement.get(system).pause(id));
  }

  /**
   * Resumes the projections and frees this node for the next rebuild or re-pricing, then answers with the work's
   * result or failure: a caller that has the answer may start the next one at once (it got 409 while the
   * projections were still resuming).
   */
  private <T> CompletionStage<T> resumeAll(T result, Throwable failure) {
    return all(id -> ProjectionManagement.get(system).resume(id)).handle((d, t) -> {
      busy.set(false);
      if (t != null) {
        log.error("the usage projections could not all be resumed; restart the node to resume them", t);
      }
      return null;
    }).thenCompose(d -> failure == null
        ? CompletableFuture.completedFuture(result)
        : CompletableFuture.<T>failedFuture(failure));
  }

  private CompletionStage<Done> all(java.util.function.Function<ProjectionId, CompletionStage<Done>> op) {
    CompletionStage<Done> done = CompletableFuture.completedFuture(Done.getInstance());
    for (ProjectionId id : projections) {
      done = done.thenCompose(d -> op.apply(id));
    }
    return done;
  }

  private <T> CompletionStage<T> exclusively(Supplier<CompletionStage<T>> action) {
    if (!busy.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(new BusyException());
    }
    try {
      return action.get();
    } catch (RuntimeException e) {
      busy.set(false);
      throw e;
    }
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  private static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
