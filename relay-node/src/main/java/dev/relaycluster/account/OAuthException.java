package dev.relaycluster.account;

/**
 * The OAuth token endpoint or profile could not be used. {@code rejected} means the endpoint answered
 * and refused (e.g. {@code invalid_grant}: the refresh token is dead), not that it was unreachable.
 */
public final class OAuthException extends RuntimeException {
  private final boolean rejected;

  public OAuthException(String message, boolean rejected) {
    super(message, null, false, false);
    this.rejected = rejected;
  }

  public boolean rejected() {
    return rejected;
  }
}
