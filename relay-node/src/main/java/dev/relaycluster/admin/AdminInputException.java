package dev.relaycluster.admin;

/** An admin request that cannot be carried out as asked: 400 (or 404 when {@code notFound}). */
public final class AdminInputException extends RuntimeException {
  private final boolean notFound;

  private AdminInputException(String message, boolean notFound) {
    super(message, null, false, false);
    this.notFound = notFound;
  }

  public static AdminInputException invalid(String message) {
    return new AdminInputException(message, false);
  }

  public static AdminInputException notFound(String message) {
    return new AdminInputException(message, true);
  }

  public boolean notFound() {
    return notFound;
  }
}
