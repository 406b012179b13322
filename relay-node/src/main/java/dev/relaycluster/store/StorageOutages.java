package dev.relaycluster.store;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.pattern.AskTimeoutException;
import org.apache.pekko.pattern.CircuitBreakerOpenException;

/**
 * Tells an outage (a database or TTL store that cannot be reached, or an entity that did not answer
 * because its journal is down) from every other failure, so that callers answer 503 with
 * {@code retry-after} rather than 500. Pure: looks only at the failure and its causes.
 */
public final class StorageOutages {
  /** What an answer to a request refused by an outage asks the client to wait before retrying. */
  public static final long RETRY_AFTER_SECONDS = 5;

  private StorageOutages() {}

  /** Whether {@code failure} (or one of its causes) means a store or an entity could not be reached in time. */
  public static boolean isOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StorageUnavailableException || t instanceof CircuitBreakerOpenException
          || t instanceof TimeoutException || t instanceof AskTimeoutException
          || t instanceof ConnectException || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException || t instanceof SocketException
          || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
        // SQLSTATE class 08: connection exception (refused, lost, could not be established).
        return true;
      }
    }
    return false;
  }
}
