package dev.relaycluster.relay;

/**
 * A successful upstream answer the relay could not use, found before any byte of it reached the client: a whole
 * answer that is not JSON, whose body broke off, or a stream added up for a whole answer that ended without its
 * final event or in an error. Nothing was settled: the request can go to another account.
 */
final class UnusableAnswerException extends RuntimeException {
  private final String errorType;

  UnusableAnswerException(String message, String errorType) {
    super(message, null, false, false);
    this.errorType = errorType;
  }

  /** The error type the client's dialect gives it, or upstream's own. */
  String errorType() {
    return errorType;
  }
}
