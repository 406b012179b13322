package dev.relaycluster.store;

/** A storage call failed; the message is safe to log and carries no secrets. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
