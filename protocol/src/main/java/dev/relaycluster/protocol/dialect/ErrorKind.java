package dev.relaycluster.protocol.dialect;

/**
 * What went wrong, independent of any dialect; each {@link Dialect} names it (error type, status) the way
 * its real API would.
 */
public enum ErrorKind {
  INVALID_REQUEST(400),
  AUTHENTICATION(401),
  BILLING(402),
  PERMISSION(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  TOO_LARGE(413),
  RATE_LIMITED(429),
  API_ERROR(500),
  BAD_GATEWAY(502),
  OVERLOADED(503),
  TIMEOUT(504);

  private final int status;

  ErrorKind(int status) {
    this.status = status;
  }

  /** The HTTP status the relay answers with for this kind. */
  public int status() {
    return status;
  }

  /** The kind an HTTP status stands for (upstream errors passed through, statuses of refusals). */
  public static ErrorKind forStatus(int status) {
    return switch (status) {
      case 400, 422 -> INVALID_REQUEST;
      case 401 -> AUTHENTICATION;
      case 402 -> BILLING;
      case 403 -> PERMISSION;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 413 -> TOO_LARGE;
      case 429 -> RATE_LIMITED;
      case 502 -> BAD_GATEWAY;
      case 503, 529 -> OVERLOADED;
      case 504 -> TIMEOUT;
      default -> status >= 500 ? API_ERROR : INVALID_REQUEST;
    };
  }
}
