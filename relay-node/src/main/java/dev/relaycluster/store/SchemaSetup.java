package dev.relaycluster.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Creates every table the node needs before HTTP is bound: the journal plugin's own schema, the
 * projection offset tables and our read tables. Safe to run on every start and on several nodes.
 */
public final class SchemaSetup {
  private SchemaSetup() {}

  public static void run(ActorSystem<?> system, Database database, List<String> ownTableStatements, Duration timeout) {
    if (database.dialect() == SqlDialect.H2) {
      execute(database, H2JournalSchema.ddl());
    }
    try {
      SchemaUtils.applyScript(journalScript(database.dialect()), system)
          .toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      // Nodes starting together may race on CREATE TABLE IF NOT EXISTS; a second try sees the tables.
      for (int attempt = 1; ; attempt++) {
        try {
          JdbcProjection.createTablesIfNotExists(() -> new PlainJdbcSession(database), system)
              .toCompletableFuture()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          if (attempt >= 3) {
            throw e;
          }
          Thread.sleep(200L * attempt);
        }
      }
    } catch (Exception e) {
      throw new StorageException("cannot create the journal and projection schema: " + e.getMessage(), e);
    }
    execute(database, ownTableStatements);
  }

  /**
   * The journal plugin's create script for the dialect. Not {@code SchemaUtils.createIfNotExists}: that
   * picks the plugin's legacy schema (a "journal" table, no "event_tag") whenever {@code jdbc-journal.dao}
   * is not the plugin's own class, and ours is {@link SeekingJournalDao}. The scripts create only what
   * does not exist, so running one again is harmless.
   */
  static String journalScript(SqlDialect dialect) {
    String resource = switch (dialect) {
      case POSTGRES -> "schema/postgres/postgres-create-schema.sql";
      case H2 -> "schema/h2/h2-create-schema.sql";
    };
    try (InputStream in = SchemaSetup.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new StorageException("the journal plugin's " + resource + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StorageException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  private static void execute(Database database, List<String> statements) {
    database.sync(c -> {
      for (String sql : statements) {
        try (Statement st = c.createStatement()) {
          st.execute(sql);
        } catch (SQLException e) {
          // A concurrent node may have created the same object a moment ago; anything else is fatal.
          if (!alreadyExists(e)) {
            throw e;
          }
        }
      }
      return null;
    });
  }

  static boolean alreadyExists(SQLException e) {
    String state = e.getSQLState();
    // 42701 / 42S21: a column another node added a moment ago (ADD COLUMN IF NOT EXISTS racing).
    // 42710: PostgreSQL's "type ... already exists", when two nodes create the same table at once (its row type).
    return "42P07".equals(state) || "23505".equals(state) || "42S01".equals(state) || "42P06".equals(state)
        || "42701".equals(state) || "42S21".equals(state) || "42710".equals(state);
  }
}
