package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.CodexOAuthClient;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.OAuthException;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.oauth.CodexOAuth;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.protocol.oauth.Pkce;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import dev.relaycluster.store.TtlStore;
import dev.relaycluster.upstream.openai.CodexPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Adds ChatGPT (codex-oauth) accounts the way the Codex CLI logs in: {@link #generateAuthUrl} makes a
 * PKCE (S256) login URL for the Codex client and keeps its verifier and state in the TTL store;
 * {@link #exchangeCode} takes the pasted callback URL ({@code http://localhost:1455/auth/callback?code=…&state=…},
 * a page the browser cannot load) or the bare code, exchanges it at ChatGPT's token endpoint through the
 * new account's proxy, and creates the account with its tokens and ChatGPT account id sealed.
 */
public final class CodexOAuthAdmin {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_PREFIX = "codex-oauth-login:";

  private final CodexOAuthClient oauth;
  private final OAuthAccountFlow flow;

  public CodexOAuthAdmin(ActorSystem<?> system, TtlStore store, CredentialVault vault, CodexOAuthClient oauth,
      Duration askTimeout, PoolView pool) {
    this.oauth = oauth;
    this.flow = new OAuthAccountFlow(system, store, vault, askTimeout, pool, KEY_PREFIX);
  }

  /** {@code {}} → {@code {authUrl, sessionId, expiresAt}}. */
  public CompletionStage<ObjectNode> generateAuthUrl(JsonNode body) {
    RelaySettings.Accounts.Codex config = oauth.config();
    Pkce pkce = Pkce.generate();
    String url = CodexOAuth.authorizeUrl(config.authorizeUrl(), config.clientId(), config.redirectUri(),
        CodexOAuth.SCOPES, pkce.challenge(), pkce.state());
    return flow.start(new OAuthLogin(pkce.verifier(), pkce.state(), false), config.sessionTtl())
        .thenApply(sessionId -> {
          ObjectNode out = JSON.createObjectNode();
          out.put("authUrl", url).put("sessionId", sessionId)
              .put("expiresAt", Instant.now().plus(config.sessionTtl()).toString());
          return out;
        });
  }

  /**
   * {@code {sessionId, code, name?, priority?, maxConcurrency?, groups?, priceMultiplier?, proxy?, tier?,
   * baseUrl?}}: exchanges the code and creates the account, named after the login's email unless named, of the
   * plan its id token names ({@code chatgpt_plan_type}) unless a tier is given.
   */
  public CompletionStage<PoolEntry> exchangeCode(JsonNode body) {
    OAuthAccountRequest request;
    try {
      request = OAuthAccountRequest.parse(body, CodexPlatform.DEFAULT_BASE_URL);
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return flow.take(request, oauth.config().sessionTtl())
        .thenCompose(login -> oauth.exchange(request.code().code(), login.verifier(), request.options().proxy()))
        .thenCompose(tokens -> flow.create(request, AccountType.CODEX_OAUTH, tokens.email(), secrets(tokens),
            tier(request.options().tier(), tokens.planType())));
  }

  /** The tier the admin gave, else the login's ChatGPT plan, else unknown. */
  static SubscriptionTier tier(SubscriptionTier given, String planType) {
    SubscriptionTier plan = SubscriptionTier.fromChatGptPlan(planType);
    return given != null ? given : plan != null ? plan : SubscriptionTier.UNKNOWN;
  }

  /** Every request to ChatGPT names the account, so a login whose id token names none is of no use. */
  private static AccountSecrets secrets(OAuthTokens tokens) {
    if (tokens.accountUuid() == null || tokens.accountUuid().isBlank()) {
      throw new OAuthException("code exchange: the id token names no ChatGPT account (chatgpt_account_id)", false);
    }
    return new AccountSecrets(null, tokens.accessToken(), tokens.refreshToken(), tokens.expiresAt())
        .withUpstreamAccountId(tokens.accountUuid());
  }
}
