package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.ClaudeOAuthClient;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.protocol.oauth.ClaudeOAuth;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.protocol.oauth.Pkce;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import dev.relaycluster.store.TtlStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

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

  private final ClaudeOAuthClient oauth;
  private final OAuthAccountFlow flow;

  public OAuthAccountAdmin(ActorSystem<?> system, TtlStore store, CredentialVault vault, ClaudeOAuthClient oauth,
      Duration askTimeout, PoolView pool) {
    this.oauth = oauth;
    this.flow = new OAuthAccountFlow(system, store, vault, askTimeout, pool, KEY_PREFIX);
  }

  /** {@code {"setupToken": false}} → {@code {authUrl, sessionId, expiresAt, setupToken}}. */
  public CompletionStage<ObjectNode> generateAuthUrl(JsonNode body) {
    JsonNode setup = body.get("setupToken");
    if (setup != null && !setup.isNull() && !setup.isBoolean()) {
      return CompletableFuture.failedFuture(AdminInputException.invalid("setupToken: must be true or false"));
    }
    boolean setupToken = setup != null && setup.asBoolean(false);
    Pkce pkce = Pkce.generate();
    Duration ttl = oauth.config().sessionTtl();
    String url = ClaudeOAuth.authorizeUrl(oauth.config().authorizeUrl(), oauth.config().clientId(),
        oauth.config().redirectUri(), setupToken ? ClaudeOAuth.SETUP_TOKEN_SCOPES : ClaudeOAuth.LOGIN_SCOPES, pkce);
    return flow.start(new OAuthLogin(pkce.verifier(), pkce.state(), setupToken), ttl).thenApply(sessionId -> {
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
    OAuthAccountRequest request;
    try {
      request = OAuthAccountRequest.parse(body, AccountAdmin.DEFAULT_CLAUDE_BASE_URL);
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return flow.take(request, oauth.config().sessionTtl())
        .thenCompose(login -> oauth.exchange(request.code().code(), login.verifier(), login.state(),
            login.setupToken(), request.options().proxy()))
        .thenCompose(tokens -> tierOf(tokens, request.options()).thenCompose(tier -> flow.create(request,
            AccountType.CLAUDE_OAUTH, tokens.email(), new AccountSecrets(null, tokens.accessToken(),
                tokens.refreshToken(), tokens.expiresAt(), tokens.scopes(), null), tier)));
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
}
