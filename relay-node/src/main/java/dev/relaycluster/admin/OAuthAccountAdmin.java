package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.ClaudeOAuthClient;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.protocol.oauth.AuthorizationCode;
import dev.relaycluster.protocol.oauth.ClaudeOAuth;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.protocol.oauth.Pkce;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import dev.relaycluster.store.TtlStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * Adds Claude OAuth accounts the way Claude Code logs in: {@link #generateAuthUrl} makes a PKCE (S256)
 * login URL and keeps its verifier and state in the TTL store; {@link #exchangeCode} takes the pasted
 * callback URL or {@code code#state}, exchanges it at the token endpoint (through the new account's
 * proxy), reads the subscription tier when the token may read the profile, and creates the account
 * with its tokens sealed. The setup-token variant asks for {@code user:inference} only and gets a
 * long-lived token without a refresh token.
 */
public final class OAuthAccountAdmin {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_PREFIX = "oauth-login:";

  private final ClusterSharding sharding;
  private final TtlStore store;
  private final CredentialVault vault;
  private final ClaudeOAuthClient oauth;
  private final Duration askTimeout;
  private final PoolView pool;

  public OAuthAccountAdmin(ActorSystem<?> system, TtlStore store, CredentialVault vault, ClaudeOAuthClient oauth,
      Duration askTimeout, PoolView pool) {
    this.sharding = ClusterSharding.get(system);
    this.store = store;
    this.vault = vault;
    this.oauth = oauth;
    this.askTimeout = askTimeout;
    this.pool = pool;
  }

  /** {@code {"setupToken": false}} → {@code {authUrl, sessionId, expiresAt, setupToken}}. */
  public CompletionStage<ObjectNode> generateAuthUrl(JsonNode body) {
    JsonNode setup = body.get("setupToken");
    if (setup != null && !setup.isNull() && !setup.isBoolean()) {
      return CompletableFuture.failedFuture(AdminInputException.invalid("setupToken: must be true or false"));
    }
    boolean setupToken = setup != null && setup.asBoolean(false);
    Pkce pkce = Pkce.generate();
    String sessionId = UUID.randomUUID().toString();
    Duration ttl = oauth.config().sessionTtl();
    String url = ClaudeOAuth.authorizeUrl(oauth.config().authorizeUrl(), oauth.config().clientId(),
        oauth.config().redirectUri(), setupToken ? ClaudeOAuth.SETUP_TOKEN_SCOPES : ClaudeOAuth.LOGIN_SCOPES, pkce);
    String stored;
    try {
      stored = JSON.writeValueAsString(new OAuthLogin(pkce.verifier(), pkce.state(), setupToken));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    // The verifier is sealed at rest: the TTL store (Redis) never holds it in plain text.
    return store.set(KEY_PREFIX + sessionId, vault.sealText(KEY_PREFIX + sessionId, stored), ttl).thenApply(v -> {
      ObjectNode out = JSON.createObjectNode();
      out.put("authUrl", url).put("sessionId", sessionId).put("setupToken", setupToken)
          .put("expiresAt", Instant.now().plus(ttl).toString());
      return out;
    });
  }

  /**
   * {@code {sessionId, code, name?, priority?, maxConcurrency?, groups?, priceMultiplier?, proxy?, tier?}}:
   * exchanges the code and creates the account.
   */
  public CompletionStage<PoolEntry> exchangeCode(JsonNode body) {
    String sessionId;
    AuthorizationCode code;
    AccountOptions options;
    try {
      sessionId = AccountAdmin.required(body, "sessionId");
      code = parseCode(AccountAdmin.text(body, "code", null));
      options = AccountOptions.parse(body);
      AccountAdmin.integer(body, "priority", 50, 0);
      AccountAdmin.integer(body, "maxConcurrency", 0, 0);
      AccountAdmin.baseUrl(AccountAdmin.text(body, "baseUrl", AccountAdmin.DEFAULT_CLAUDE_BASE_URL));
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    String key = KEY_PREFIX + sessionId;
    return store.get(key).thenCompose(value -> {
      if (value.isEmpty()) {
        throw AdminInputException.invalid("sessionId: unknown or expired login; generate a new authorization URL");
      }
      OAuthLogin login = read(key, value.get());
      if (code.state() != null && !code.state().equals(login.state())) {
        throw AdminInputException.invalid("code: its state does not belong to this login session");
      }
      // One use only: a code and its verifier are never exchanged twice.
      return store.delete(key)
          .thenCompose(v -> oauth.exchange(code.code(), login.verifier(), login.state(), login.setupToken(),
              options.proxy()))
          .thenCompose(tokens -> tierOf(tokens, options)
              .thenCompose(tier -> create(body, options, tokens, tier)));
    });
  }

  private CompletionStage<SubscriptionTier> tierOf(OAuthTokens tokens, AccountOptions options) {
    if (options.tier() != null) {
      return CompletableFuture.completedFuture(options.tier());
    }
    if (!tokens.hasScope("user:profile")) {
      return CompletableFuture.completedFuture(SubscriptionTier.UNKNOWN);
    }
    return oauth.tier(tokens.accessToken(), options.proxy());
  }

  private CompletionStage<PoolEntry> create(JsonNode body, AccountOptions options, OAuthTokens tokens,
      SubscriptionTier tier) {
    String id = UUID.randomUUID().toString();
    long now = System.currentTimeMillis();
    String name = AccountAdmin.text(body, "name", null);
    if (name == null || name.isBlank()) {
      name = tokens.email() != null ? tokens.email() : "claude-oauth-" + id.substring(0, 8);
    }
    AccountSecrets secrets = new AccountSecrets(null, tokens.accessToken(), tokens.refreshToken(), tokens.expiresAt(),
        tokens.scopes(), options.proxy() == null ? null : options.proxyUrl());
    AccountDefinition definition = new AccountDefinition(id, name.strip(), AccountType.CLAUDE_OAUTH,
        AccountAdmin.baseUrl(AccountAdmin.text(body, "baseUrl", AccountAdmin.DEFAULT_CLAUDE_BASE_URL)),
        AccountAdmin.integer(body, "priority", 50, 0), AccountAdmin.integer(body, "maxConcurrency", 0, 0),
        AccountAdmin.paused(body, false), vault.seal(id, secrets), now, now, options.groups(),
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

  private static AuthorizationCode parseCode(String pasted) {
    try {
      return AuthorizationCode.parse(pasted);
    } catch (IllegalArgumentException e) {
      throw AdminInputException.invalid(e.getMessage());
    }
  }

  private OAuthLogin read(String key, String sealed) {
    try {
      return JSON.readValue(vault.openText(key, sealed), OAuthLogin.class);
    } catch (IOException | RuntimeException e) {
      throw AdminInputException.invalid("sessionId: the stored login is unreadable; generate a new authorization URL");
    }
  }
}
