package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.store.PasswordHasher;
import dev.relaycluster.store.TtlStore;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Admin login and session checks. Sessions are opaque random tokens kept (by hash) in the TTL store;
 * every check reads the whole record and verifies user and expiry. Failed logins are counted per (user,
 * client address), per address and per user ({@link LoginThrottle}): a pair or an address past its limit is
 * refused with 429 until the window ends; a user past the limit is only slowed, so the owner still gets in.
 */
public final class AdminSessions {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Verified against when the user does not exist, so both cases cost the same time. */
  private static final String DUMMY_HASH =
      "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0G+1BS2hNvT4J4hnB0p9f1YGd6O3H/7sB4fb0q2dUWI";

  private final AdminUsers users;
  private final PasswordHasher hasher;
  private final TtlStore store;
  private final RelaySettings.Admin settings;
  private final Executor blocking;
  private final SecureRandom random = new SecureRandom();

  public AdminSessions(AdminUsers users, PasswordHasher hasher, TtlStore store, RelaySettings.Admin settings,
      Executor blocking) {
    this.users = users;
    this.hasher = hasher;
    this.store = store;
    this.settings = settings;
    this.blocking = blocking;
  }

  public CompletionStage<LoginResult> login(String username, String password, String clientAddress) {
    String user = Hashing.sha256Hex(username);
    List<String> keys = List.of("login-fail:pair:" + user + ":" + clientAddress, "login-fail:ip:" + clientAddress,
        "login-fail:user:" + user);
    return failures(keys.get(0)).thenCombine(failures(keys.get(1)), (pair, ip) -> new long[] {pair, ip})
        .thenCombine(failures(keys.get(2)), (pi, u) -> new LoginThrottle.Failures(pi[0], pi[1], u))
        .thenCompose(failures -> {
          int max = settings.maxFailedLogins();
          if (LoginThrottle.refused(failures, max)) {
            return CompletableFuture.completedFuture(
                new LoginResult.Throttled(settings.failedLoginWindow().toSeconds()));
          }
          // A user failing from everywhere is slowed, never locked: the check waits, then runs as always.
          Executor checker = CompletableFuture.delayedExecutor(LoginThrottle.backOffMillis(failures, max),
              TimeUnit.MILLISECONDS, blocking);
          return users.passwordHash(username)
              .thenApplyAsync(hash -> hasher.verify(password, hash.orElse(DUMMY_HASH)) && hash.isPresent(), checker)
              .thenCompose(ok -> ok ? startSession(username) : recordFailure(keys));
        });
  }

  private CompletionStage<Long> failures(String key) {
    return store.get(key).thenApply(v -> v.map(Long::parseLong).orElse(0L));
  }

  private CompletionStage<LoginResult> recordFailure(List<String> keys) {
    CompletableFuture<?>[] counted = keys.stream()
        .map(k -> store.increment(k, settings.failedLoginWindow()).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(counted).thenApply(v -> new LoginResult.WrongCredentials());
  }

  private CompletionStage<LoginResult> startSession(String username) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    long now = System.currentTimeMillis();
    AdminSession session = new AdminSession(username, now, now + settings.sessionTtl().toMillis());
    try {
      String value = JSON.writeValueAsString(session);
      return store.set(sessionKey(token), value, settings.sessionTtl())
          .thenApply(v -> new LoginResult.Success(token, session.expiresAt()));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The session behind a token, if the token is well-formed, known, unexpired and its user still exists. */
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
      return users.passwordHash(session.get().username()).thenApply(hash -> hash.isPresent() ? session : Optional.empty());
    });
  }

  public CompletionStage<Void> logout(String token) {
    return store.delete(sessionKey(token));
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
}
