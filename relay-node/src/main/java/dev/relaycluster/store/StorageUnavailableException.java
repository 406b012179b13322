package dev.relaycluster.store;

/**
 * A storage backend cannot serve now (Redis down or its circuit open); retrying later may succeed. The
 * message names the backend and is safe to log and to show; it carries no secrets.
 */
public final class StorageUnavailableException extends RuntimeException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
