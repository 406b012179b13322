package dev.relaycluster.admin.oidc;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.protocol.util.Hashing;
import dev.relaycluster.store.TtlStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a sign-on keeps between its steps, in the TTL store (Redis in a cluster, so any node may take the
 * next step), sealed at rest like the OAuth add-account logins, under the hash of its handle, usable once:
 * the started login under its {@code state} (nonce, PKCE verifier, redirect URI) for the login TTL, and the
 * finished one under a one-time code the browser trades for the session token ({@link #CODE_TTL}), so the
 * token never sits in a URL.
 */
final class OidcPending {
  static final Duration CODE_TTL = Duration.ofMinutes(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOGIN = "admin-oidc:login:";
  private static final String CODE = "admin-oidc:code:";
  private static final String CLAIMED = ":claimed";

  /** A started sign-on. */
  record Login(String nonce, String verifier, String redirectUri) {}

  /** A finished sign-on waiting for the browser to take its session. */
  record Session(String username, String role, String token, long expiresAt, boolean enrolmentRequired) {}

  private final TtlStore store;
  private final CredentialVault vault;
  private final Duration loginTtl;

  OidcPending(TtlStore store, CredentialVault vault, Duration loginTtl) {
    this.store = store;
    this.vault = vault;
    this.loginTtl = loginTtl;
  }

  CompletionStage<Void> keepLogin(String state, Login login) {
    return keep(LOGIN + Hashing.sha256Hex(state), login, loginTtl);
  }

  /** The login started with {@code state}, taken out of the store; empty when unknown, expired or used. */
  CompletionStage<Optional<Login>> takeLogin(String state) {
    return take(LOGIN + Hashing.sha256Hex(state), Login.class, loginTtl);
  }

  CompletionStage<Void> keepSession(String code, Session session) {
    return keep(CODE + Hashing.sha256Hex(code), session, CODE_TTL);
  }

  CompletionStage<Optional<Session>> takeSession(String code) {
    return take(CODE + Hashing.sha256Hex(code), Session.class, CODE_TTL);
  }

  private CompletionStage<Void> keep(String key, Object value, Duration ttl) {
    try {
      return store.set(key, vault.sealText(key, JSON.writeValueAsString(value)), ttl);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new UncheckedIOException(e));
    }
  }

  /** Of two concurrent takes only the first gets the value (the claimed marker decides). */
  private <T> CompletionStage<Optional<T>> take(String key, Class<T> type, Duration ttl) {
    return store.get(key).thenCompose(value -> {
      if (value.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.<T>empty());
      }
      return store.increment(key + CLAIMED, ttl).thenCompose(claims -> claims != 1
          ? CompletableFuture.completedFuture(Optional.<T>empty())
          : store.delete(key).thenApply(v -> read(key, value.get(), type)));
    });
  }

  private <T> Optional<T> read(String key, String sealed, Class<T> type) {
    try {
      return Optional.of(JSON.readValue(vault.openText(key, sealed), type));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
