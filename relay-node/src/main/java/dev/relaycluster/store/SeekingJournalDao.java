package dev.relaycluster.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.SimpleJdbcAction;

/**
 * pekko-persistence-jdbc's journal DAO with one query replaced: the highest sequence number an entity
 * recovers to is looked up from the snapshot it recovered ({@code fromSequenceNr}) onwards, where the
 * plugin's own query reads every event the entity ever wrote. Sorting the whole history is what H2 does
 * with that query (it cannot read the primary key backwards), so a key with 300,000 usage events took
 * 2 s to recover and a node restarted on a busy journal 5 s to serve its first request. With the lower
 * bound H2 reads the rows after the snapshot (at most the snapshot interval) through the primary key;
 * PostgreSQL reads one index entry either way.
 *
 * <p>The journal's contract allows it: {@code fromSequenceNr} is the sequence number of the snapshot
 * recovery started from (or 0), a hint where to start searching. If no event is at or after it (every
 * later event deleted), the plugin's own query answers, as before.
 */
public class SeekingJournalDao extends DefaultJournalDao {
  private final String highestFromQuery;

  public SeekingJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
      Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
    EventJournalTableConfiguration table = journalConfig.eventJournalTableConfiguration();
    String name = (table.schemaName().isDefined() ? quote(table.schemaName().get()) + "." : "")
        + quote(table.tableName());
    String pid = quote(table.columnNames().persistenceId());
    String seq = quote(table.columnNames().sequenceNumber());
    this.highestFromQuery = "SELECT MAX(" + seq + ") FROM " + name + " WHERE " + pid + " = ? AND " + seq + " >= ?";
  }

  @Override
  public Future<Object> highestSequenceNr(String persistenceId, long fromSequenceNr) {
    if (fromSequenceNr <= 0) {
      return super.highestSequenceNr(persistenceId, fromSequenceNr);
    }
    Future<Long> lookup = run(new SimpleJdbcAction<Long>(ctx -> highestFrom(ctx, persistenceId, fromSequenceNr)));
    return lookup.flatMap(found -> found > 0
        ? Future.successful((Object) found)
        : super.highestSequenceNr(persistenceId, fromSequenceNr), ec());
  }

  /**
   * Scala's {@code DBIOAction} is contravariant in its effect type, which Java's generics cannot say
   * ({@code run} takes an action typed with the effect {@code Nothing}): the call goes through a raw type.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private <R> Future<R> run(SimpleJdbcAction<R> action) {
    return (Future<R>) db().run((DBIOAction) action);
  }

  /** The highest sequence number at or after {@code from}, or 0 if there is none. */
  private long highestFrom(JdbcBackend.JdbcActionContext ctx, String persistenceId, long from) {
    try (PreparedStatement st = ctx.connection().prepareStatement(highestFromQuery)) {
      st.setString(1, persistenceId);
      st.setLong(2, from);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading the highest sequence number of " + persistenceId + " failed", e);
    }
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
