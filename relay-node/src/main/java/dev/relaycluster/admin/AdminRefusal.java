package dev.relaycluster.admin;

/**
 * An admin request refused for who asks or for the state it would leave: 403 (wrong current password or
 * code) or 409 (the last owner, two-factor already on).
 */
public final class AdminRefusal extends RuntimeException {
  private final int status;

  private AdminRefusal(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static AdminRefusal forbidden(String message) {
    return new AdminRefusal(403, message);
  }

  public static AdminRefusal conflict(String message) {
    return new AdminRefusal(409, message);
  }

  public int status() {
    return status;
  }
}
