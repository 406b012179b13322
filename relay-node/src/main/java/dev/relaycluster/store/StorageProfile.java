package dev.relaycluster.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

/**
 * Where the journal lives: the embedded H2 file under the data directory, or PostgreSQL when a
 * database URL is configured. Produces the persistence plugin settings for that choice.
 */
public record StorageProfile(String jdbcUrl, String user, String password, int poolSize, SqlDialect dialect) {

  public static StorageProfile from(StorageSettings settings) {
    DbSettings db = settings.db();
    if (db.embedded()) {
      String file = settings.dataDir().resolve("relay").toString().replace('\\', '/');
      // LOB_TIMEOUT: H2 keeps every BLOB a session reads (each journal event payload) reachable for this
      // long; its default of 5 minutes held hundreds of thousands of them and exhausted the heap under load.
      String url = "jdbc:h2:file:" + file + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE;LOB_TIMEOUT=5000";
      return new StorageProfile(url, "sa", "", db.poolSize(), SqlDialect.H2);
    }
    return new StorageProfile(db.url(), db.user(), db.password(), db.poolSize(), SqlDialect.forUrl(db.url()));
  }

  /** Config that points the JDBC journal, snapshot store, read journal and projections at this database. */
  public Config persistenceConfig() {
    String slick = "pekko-persistence-jdbc.shared-databases.slick.";
    int connections = Math.max(2, poolSize / 2);
    return ConfigFactory.empty()
        .withValue(slick + "profile", ConfigValueFactory.fromAnyRef(dialect.slickProfile()))
        .withValue(slick + "db.url", ConfigValueFactory.fromAnyRef(jdbcUrl))
        .withValue(slick + "db.user", ConfigValueFactory.fromAnyRef(user))
        .withValue(slick + "db.password", ConfigValueFactory.fromAnyRef(password))
        .withValue(slick + "db.driver", ConfigValueFactory.fromAnyRef(dialect.driverClass()))
        .withValue(slick + "db.numThreads", ConfigValueFactory.fromAnyRef(connections))
        .withValue(slick + "db.maxConnections", ConfigValueFactory.fromAnyRef(connections))
        .withValue("pekko.projection.jdbc.dialect", ConfigValueFactory.fromAnyRef(dialect.projectionDialect()));
  }
}
