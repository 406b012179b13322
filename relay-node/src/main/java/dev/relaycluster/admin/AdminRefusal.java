package dev.relaycluster.admin;

/**
 * An admin request refused for the state it would leave or finds: 409 (the last owner, two-factor already
 * on, a name taken). (A wrong current password or code is a 400, like any other bad input.)
 */
public final class AdminRefusal extends RuntimeException {
  private final int status;

  private AdminRefusal(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static AdminRefusal conflict(String message) {
    return new AdminRefusal(409, message);
  }

  public int status() {
    return status;
  }
}
