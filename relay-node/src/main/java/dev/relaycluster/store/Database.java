package dev.relaycluster.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The node's own connection pool for read tables, projections' offsets and admin users. Blocking
 * JDBC work runs on the given executor (the relay blocking dispatcher), never on stream or actor threads.
 */
public final class Database implements AutoCloseable {

  /** One unit of JDBC work. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final HikariDataSource dataSource;
  private final SqlDialect dialect;
  private final Executor blocking;

  private Database(HikariDataSource dataSource, SqlDialect dialect, Executor blocking) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.blocking = blocking;
  }

  public static Database open(StorageProfile profile, Executor blocking) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("relay-db");
    config.setJdbcUrl(profile.jdbcUrl());
    config.setUsername(profile.user());
    config.setPassword(profile.password());
    config.setDriverClassName(profile.dialect().driverClass());
    config.setMaximumPoolSize(Math.max(2, profile.poolSize()));
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    return new Database(new HikariDataSource(config), profile.dialect(), blocking);
  }

  public SqlDialect dialect() {
    return dialect;
  }

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /** Runs the work on the blocking executor in auto-commit mode. */
  public <T> CompletionStage<T> async(Work<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = dataSource.getConnection()) {
        return work.run(c);
      } catch (SQLException e) {
        throw new StorageException("database call failed: " + e.getMessage(), e);
      }
    }, blocking);
  }

  /** Runs the work on the calling thread; for start-up only. */
  public <T> T sync(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StorageException("database call failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
