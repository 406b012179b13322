package dev.relaycluster.admin;

/** What a login attempt came to. */
public sealed interface LoginResult {
  /** A session; {@code enrolmentRequired} when it may only enrol in two-factor sign-in. */
  record Success(String username, String token, long expiresAt, boolean enrolmentRequired) implements LoginResult {}

  /** The password was right; a second call must bring the challenge and a code. */
  record TotpRequired(String username, String challenge, long expiresAt) implements LoginResult {}

  /** Wrong name, password, code or challenge; {@code username} only when it names an admin. */
  record WrongCredentials(String username) implements LoginResult {}

  record Throttled(long retryAfterSeconds) implements LoginResult {}
}
