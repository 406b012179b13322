package dev.relaycluster.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

/**
 * Where the journal lives: the embedded H2 file under the data directory, or PostgreSQL when a
 * database URL is configured. Produces the persistence plugin settings for that choice.
 */
public record StorageProfile(String jdbcUrl, String user, String password, int poolSize, SqlDialect dialect) {
  /** The embedded H2 file's auto-compact fill rate, in percent. */
  static final int EMBEDDED_COMPACT_FILL_RATE = 50;

  public static StorageProfile from(StorageSettings settings) {
    DbSettings db = settings.db();
    if (db.embedded()) {
      String file = settings.dataDir().resolve("relay").toString().replace('\\', '/');
      // LOB_TIMEOUT: H2 keeps every BLOB a session reads (each journal event payload) reachable for this
      // long; its default of 5 minutes held hundreds of thousands of them and exhausted the heap under load.
      // AUTO_COMPACT_FILL_RATE: H2's background writer rewrites the live rows of chunks less full than this
      // (default 90 %), in bursts of up to 19 MB whenever the store looks idle, which a steady light load
      // does; each burst read the journal rows back into the heap and set off a full collection (see
      // bench/what-bounds-it.md). At 50 the file keeps up to about as much dead space as live data and a
      // rewrite moves far fewer live rows for each page it frees.
      String url = "jdbc:h2:file:" + file + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE;LOB_TIMEOUT=5000"
          + ";AUTO_COMPACT_FILL_RATE=" + EMBEDDED_COMPACT_FILL_RATE;
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
