package dev.relaycluster.admin;

/** What a login attempt came to. */
public sealed interface LoginResult {
  record Success(String token, long expiresAt) implements LoginResult {}

  record WrongCredentials() implements LoginResult {}

  record Throttled(long retryAfterSeconds) implements LoginResult {}
}
