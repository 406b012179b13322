package dev.relaycluster.store;

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
      SchemaUtils.createIfNotExists(system).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

  private static boolean alreadyExists(SQLException e) {
    String state = e.getSQLState();
    return "42P07".equals(state) || "23505".equals(state) || "42S01".equals(state) || "42P06".equals(state);
  }
}
