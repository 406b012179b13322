package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.store.PasswordHasher;
import dev.relaycluster.store.TtlStore;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Admin login and session checks. Sessions are opaque random tokens kept (by hash) in the TTL store;
 * every check reads the whole record and verifies user and expiry. Failed logins are counted per
 * client address and per user name; past the limit, logins are refused with 429 until the window ends.
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
    String ipKey = "login-fail:ip:" + clientAddress;
    String userKey = "login-fail:user:" + Hashing.sha256Hex(username);
    return store.get(ipKey).thenCombine(store.get(userKey), (ip, user) ->
            Math.max(ip.map(Long::parseLong).orElse(0L), user.map(Long::parseLong).orElse(0L)))
        .thenCompose(failures -> {
          if (failures >= settings.maxFailedLogins()) {
            return CompletableFuture.completedFuture(
                new LoginResult.Throttled(settings.failedLoginWindow().toSeconds()));
          }
          return users.passwordHash(username)
              .thenApplyAsync(hash -> hasher.verify(password, hash.orElse(DUMMY_HASH)) && hash.isPresent(), blocking)
              .thenCompose(ok -> ok ? startSession(username) : recordFailure(ipKey, userKey));
        });
  }

  private CompletionStage<LoginResult> recordFailure(String ipKey, String userKey) {
    return store.increment(ipKey, settings.failedLoginWindow())
        .thenCombine(store.increment(userKey, settings.failedLoginWindow()), (a, b) -> new LoginResult.WrongCredentials());
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
