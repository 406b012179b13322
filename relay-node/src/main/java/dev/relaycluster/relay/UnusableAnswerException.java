package dev.relaycluster.relay;

/**
 * A successful upstream answer the relay could not use, found before any byte of it reached the client: a whole
 * answer that is not JSON, whose body broke off, or a stream added up for a whole answer that ended without its
 * final event or in an error. Nothing was settled: the request can go to another account.
 */
final class UnusableAnswerException extends RuntimeException {
  private final String errorType;
  private final byte[] errorJson;

  UnusableAnswerException(String message, String errorType) {
    this(message, errorType, null);
  }

  /** With upstream's own in-stream error (its JSON), which tells the account's health. */
  UnusableAnswerException(String message, String errorType, byte[] errorJson) {
    super(message, null, false, false);
    this.errorType = errorType;
    this.errorJson = errorJson;
  }

  /** Upstream's in-stream error event, or null when the answer broke without one. */
  byte[] errorJson() {
    return errorJson;
  }

  /** The error type the client's dialect gives it, or upstream's own. */
  String errorType() {
    return errorType;
  }
}
