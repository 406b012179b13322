package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.store.PasswordHasher;
import dev.relaycluster.store.TtlStore;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Admin login and session checks. Sessions are opaque random tokens kept (by hash) in the TTL store;
 * every check reads the whole record and then the admin's own record, so a deleted, disabled or demoted
 * admin, or one whose password was reset, is refused or downgraded at once. With two-factor on, the
 * password step answers a short-lived challenge that a second call trades, with a code, for the session.
 * Failed logins (passwords and codes) are counted per (user, client address), per address and per user
 * ({@link LoginThrottle}): a pair or an address past its limit is refused with 429 until the window ends;
 * a user past the limit is only slowed, so the owner still gets in.
 */
public final class AdminSessions {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CHALLENGE_TTL = Duration.ofMinutes(5);
  private static final int CHALLENGE_TRIES = 5;
  /** Verified against when the user does not exist, so both cases cost the same time. */
  private static final String DUMMY_HASH =
      "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0G+1BS2hNvT4J4hnB0p9f1YGd6O3H/7sB4fb0q2dUWI";

  private final AdminUsers users;
  private final AdminSettings adminSettings;
  private final TwoFactorAdmin twoFactor;
  private final PasswordHasher hasher;
  private final TtlStore store;
  private final RelaySettings.Admin settings;
  private final Executor blocking;
  private final SecureRandom random = new SecureRandom();

  public AdminSessions(AdminUsers users, AdminSettings adminSettings, TwoFactorAdmin twoFactor, PasswordHasher hasher,
      TtlStore store, RelaySettings.Admin settings, Executor blocking) {
    this.users = users;
    this.adminSettings = adminSettings;
    this.twoFactor = twoFactor;
    this.hasher = hasher;
    this.store = store;
    this.settings = settings;
    this.blocking = blocking;
  }

  /** The password step: a session, or a challenge when the admin has two-factor on. */
  public CompletionStage<LoginResult> login(String username, String password, String clientAddress) {
    List<String> keys = throttleKeys(username, clientAddress);
    return throttled(keys, checker -> users.credentials(username)
        .thenApplyAsync(found -> {
          boolean ok = hasher.verify(password, found.map(AdminUsers.Credentials::passwordHash).orElse(DUMMY_HASH));
          return ok && found.isPresent() && !found.get().user().disabled() ? found.get().user() : null;
        }, checker)
        .thenCompose(user -> user != null ? passed(user) : recordFailure(keys, username)));
  }

  /** The code step: the challenge from the password step and a TOTP code or a recovery code. */
  public CompletionStage<LoginResult> loginWithCode(String challenge, String code, String clientAddress) {
    if (challenge == null || !challenge.matches("[0-9a-f]{64}")) {
      return CompletableFuture.completedFuture(new LoginResult.WrongCredentials(null));
    }
    String key = challengeKey(challenge);
    return store.get(key).thenCompose(found -> {
      if (found.isEmpty()) {
        // An unknown or spent challenge still counts against the address.
        return recordFailure(List.of("login-fail:ip:" + clientAddress), null);
      }
      String username = found.get();
      List<String> keys = throttleKeys(username, clientAddress);
      return throttled(keys, checker -> CompletableFuture.supplyAsync(() -> null, checker)
          .thenCompose(v -> twoFactor.verify(username, code))
          .thenCompose(ok -> ok
              ? store.delete(key).thenCompose(d -> users.find(username)).thenCompose(user -> user.isPresent()
                  && !user.get().disabled() ? startSession(user.get(), false) : recordFailure(keys, null))
              : store.increment(key + ":tries", CHALLENGE_TTL).thenCompose(tries -> tries >= CHALLENGE_TRIES
                  ? store.delete(key) : CompletableFuture.<Void>completedFuture(null))
                  .thenCompose(v -> recordFailure(keys, username))));
    });
  }

  /** A new session for an admin who just proved who they are another way (a changed password). */
  public CompletionStage<LoginResult> issue(AdminUser user) {
    return startSession(user, false);
  }

  /**
   * A new session for an admin the single sign-on issuer vouched for: the node's own two-factor requirement does
   * not apply to it (the issuer has its own), so it is never limited to enrolling.
   */
  public CompletionStage<LoginResult> issueSignedOn(AdminUser user) {
    return startSession(user, true);
  }

  private interface Attempt {
    CompletionStage<LoginResult> run(Executor checker);
  }

  /** Refuses the attempt when its pair or address is over the limit; slows it when its user is. */
  private CompletionStage<LoginResult> throttled(List<String> keys, Attempt attempt) {
    return failures(keys.get(0)).thenCombine(failures(keys.get(1)), (pair, ip) -> new long[] {pair, ip})
        .thenCombine(failures(keys.get(2)), (pi, u) -> new LoginThrottle.Failures(pi[0], pi[1], u))
        .thenCompose(failures -> {
          int max = settings.maxFailedLogins();
          if (LoginThrottle.refused(failures, max)) {
            return CompletableFuture.completedFuture(
                new LoginResult.Throttled(settings.failedLoginWindow().toSeconds()));
          }
          // A user failing from everywhere is slowed, never locked: the check waits, then runs as always.
          return attempt.run(CompletableFuture.delayedExecutor(LoginThrottle.backOffMillis(failures, max),
              TimeUnit.MILLISECONDS, blocking));
        });
  }

  private static List<String> throttleKeys(String username, String clientAddress) {
    String user = Hashing.sha256Hex(username);
    return List.of("login-fail:pair:" + user + ":" + clientAddress, "login-fail:ip:" + clientAddress,
        "login-fail:user:" + user);
  }

  private CompletionStage<LoginResult> passed(AdminUser user) {
    if (!user.totpEnabled()) {
      return startSession(user, false);
    }
    String challenge = randomToken();
    long expiresAt = System.currentTimeMillis() + CHALLENGE_TTL.toMillis();
    return store.set(challengeKey(challenge), user.username(), CHALLENGE_TTL)
        .thenApply(v -> new LoginResult.TotpRequired(user.username(), challenge, expiresAt));
  }

  private CompletionStage<Long> failures(String key) {
    return store.get(key).thenApply(v -> v.map(Long::parseLong).orElse(0L));
  }

  private CompletionStage<LoginResult> recordFailure(List<String> keys, String username) {
    CompletableFuture<?>[] counted = keys.stream()
        .map(k -> store.increment(k, settings.failedLoginWindow()).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    CompletionStage<Optional<AdminUser>> known = username == null
        ? CompletableFuture.completedFuture(Optional.empty()) : users.find(username);
    return CompletableFuture.allOf(counted).thenCombine(known,
        (v, user) -> new LoginResult.WrongCredentials(user.map(AdminUser::username).orElse(null)));
  }

  private CompletionStage<LoginResult> startSession(AdminUser user, boolean signedOn) {
    String token = randomToken();
    long now = System.currentTimeMillis();
    AdminSession session = new AdminSession(user.username(), now, now + settings.sessionTtl().toMillis(), user.role(),
        false, signedOn);
    try {
      String value = JSON.writeValueAsString(session);
      return store.set(sessionKey(token), value, settings.sessionTtl())
          .thenCompose(v -> adminSettings.requireTwoFactor())
          .thenApply(required -> new LoginResult.Success(user.username(), token, session.expiresAt(),
              required && !user.totpEnabled() && !signedOn));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The session behind a token, if the token is well-formed, known and unexpired, and its admin still
   * exists, is enabled and has not reset its password since; with the admin's role as it is now.
   */
  public CompletionStage<Optional<AdminSession>> authenticate(String token) {
    if (token == null || !token.matches("[0-9a-f]{64}")) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return store.get(sessionKey(token)).thenCompose(value -> {
      Optional<AdminSession> session = value.flatMap(AdminSessions::parse)
          .filter(s -> s.username() != null && !s.username().isBlank())
          .filter(s -> s.expiresAt() > System.currentTimeMillis());
      if (session.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.<AdminSession>empty());
      }
      AdminSession stored = session.get();
      return users.find(stored.username()).thenCombine(adminSettings.requireTwoFactor(), (user, required) -> user
          .filter(u -> !u.disabled() && stored.createdAt() >= u.sessionsValidAfter())
          .map(u -> new AdminSession(u.username(), stored.createdAt(), stored.expiresAt(), u.role(),
              required && !u.totpEnabled() && !stored.signedOn(), stored.signedOn())));
    });
  }

  public CompletionStage<Void> logout(String token) {
    return store.delete(sessionKey(token));
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static Optional<AdminSession> parse(String json) {
    try {
      return Optional.of(JSON.readValue(json, AdminSession.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String sessionKey(String token) {
    return "admin-session:" + Hashing.sha256Hex(token);
  }

  private static String challengeKey(String challenge) {
    return "admin-login-challenge:" + Hashing.sha256Hex(challenge);
  }
}
