package dev.relaycluster.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.apache.pekko.pattern.AskTimeoutException;
import org.apache.pekko.pattern.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;
import scala.concurrent.duration.Duration;

class StorageOutagesTest {

  @Test
  void unreachableStoresAndUnansweredEntitiesAreOutages() {
    assertTrue(StorageOutages.isOutage(new StorageException("database call failed",
        new SQLTransientConnectionException("relay-db - Connection is not available, request timed out"))));
    assertTrue(StorageOutages.isOutage(new StorageException("database call failed",
        new SQLException("Connection to 127.0.0.1:5432 refused.", "08001"))));
    assertTrue(StorageOutages.isOutage(new StorageException("database call failed",
        new SQLException("An I/O error occurred while sending to the backend.", "08006", new ConnectException()))));
    assertTrue(StorageOutages.isOutage(new CompletionException(
        new StorageUnavailableException("the redis TTL store is unavailable", null))));
    assertTrue(StorageOutages.isOutage(new CircuitBreakerOpenException(Duration.Zero(), "open")));
    assertTrue(StorageOutages.isOutage(new AskTimeoutException("Ask timed out")));
  }

  @Test
  void otherFailuresAreNot() {
    assertFalse(StorageOutages.isOutage(new StorageException("database call failed",
        new SQLException("duplicate key value violates unique constraint", "23505"))));
    assertFalse(StorageOutages.isOutage(new StorageException("database call failed",
        new SQLException("syntax error", "42601"))));
    assertFalse(StorageOutages.isOutage(new IllegalStateException("a bug")));
    assertFalse(StorageOutages.isOutage(new CompletionException(new NullPointerException())));
  }
}
