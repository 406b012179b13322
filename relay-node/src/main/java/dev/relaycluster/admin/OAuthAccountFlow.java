package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import dev.relaycluster.store.TtlStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * What every OAuth add-account flow (Claude, ChatGPT) shares: the pending login in the TTL store, under
 * the flow's own key prefix, sealed at rest (the PKCE verifier never sits there in plain text), checked
 * against the pasted state, usable once and gone after its TTL; and creating the account from the
 * exchanged tokens with the admin's settings.
 */
final class OAuthAccountFlow {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLAIMED = ":claimed";

  private final ClusterSharding sharding;
  private final TtlStore store;
  private final CredentialVault vault;
  private final Duration askTimeout;
  private final PoolView pool;
  private final String keyPrefix;

  OAuthAccountFlow(ActorSystem<?> system, TtlStore store, CredentialVault vault, Duration askTimeout, PoolView pool,
      String keyPrefix) {
    this.sharding = ClusterSharding.get(system);
    this.store = store;
    this.vault = vault;
    this.askTimeout = askTimeout;
    this.pool = pool;
    this.keyPrefix = keyPrefix;
  }

  /** Keeps {@code login} for {@code ttl}; completes with the new session id. */
  CompletionStage<String> start(OAuthLogin login, Duration ttl) {
    String sessionId = UUID.randomUUID().toString();
    String key = keyPrefix + sessionId;
    String stored;
    try {
      stored = JSON.writeValueAsString(login);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new UncheckedIOException(e));
    }
    return store.set(key, vault.sealText(key, stored), ttl).thenApply(v -> sessionId);
  }

  /**
   * The pending login of {@code request}, taken out of the store: fails with a 400 when the session is
   * unknown, expired or already used, or when the pasted code carries another login's state. Of two
   * concurrent takes only one wins ({@code ttl} bounds the marker that decides it).
   */
  CompletionStage<OAuthLogin> take(OAuthAccountRequest request, Duration ttl) {
    String key = keyPrefix + request.sessionId();
    return store.get(key).thenCompose(value -> {
      if (value.isEmpty()) {
        throw gone();
      }
      OAuthLogin login = read(key, value.get());
      if (request.code().state() != null && !request.code().state().equals(login.state())) {
        throw AdminInputException.invalid("code: its state does not belong to this login session");
      }
      // One use only: a code and its verifier are never exchanged twice.
      return store.increment(key + CLAIMED, ttl).thenCompose(claims -> {
        if (claims != 1) {
          throw gone();
        }
        return store.delete(key).thenApply(v -> login);
      });
    });
  }

  /**
   * Creates an account of {@code type} with {@code secrets} (the proxy added from the request) and shows
   * it on this node at once. It is named as the request says, else {@code fallbackName}, else after its type.
   */
  CompletionStage<PoolEntry> create(OAuthAccountRequest request, AccountType type, String fallbackName,
      AccountSecrets secrets, SubscriptionTier tier) {
    String id = UUID.randomUUID().toString();
    long now = System.currentTimeMillis();
    String name = request.name() != null ? request.name()
        : fallbackName != null && !fallbackName.isBlank() ? fallbackName.strip()
        : type.wireName() + "-" + id.substring(0, 8);
    AccountOptions options = request.options();
    AccountSecrets sealed = options.proxy() == null ? secrets : secrets.withProxy(options.proxyUrl());
    AccountDefinition definition = new AccountDefinition(id, name, type, request.baseUrl(), request.priority(),
        request.maxConcurrency(), request.paused(), vault.seal(id, sealed), now, now, options.groups(),
        options.priceMultiplier() == null ? 1.0 : options.priceMultiplier(), tier,
        options.proxy() == null ? null : options.proxy().display());
    return sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, id)
        .<StatusReply<PoolEntry>>ask(r -> new AccountEntity.Create(definition, r), askTimeout)
        .thenApply(StatusReply::getValue)
        .thenApply(entry -> {
          pool.publish(entry);
          return entry;
        });
  }

  private static AdminInputException gone() {
    return AdminInputException.invalid(
        "sessionId: unknown, expired or already used login; generate a new authorization URL");
  }

  private OAuthLogin read(String key, String sealed) {
    try {
      return JSON.readValue(vault.openText(key, sealed), OAuthLogin.class);
    } catch (IOException | RuntimeException e) {
      throw AdminInputException.invalid("sessionId: the stored login is unreadable; generate a new authorization URL");
    }
  }
}
