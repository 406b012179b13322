package dev.relaycluster.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.CredentialVault;
import dev.relaycluster.account.GeminiOAuthClient;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.PoolView;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.oauth.GoogleOAuth;
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
 * Adds Google-login (gemini-oauth) accounts, as Gemini CLI logs in without a browser:
 * {@link #generateAuthUrl} makes a PKCE (S256) login URL for the node's Google OAuth client (offline access,
 * consent, the Code Assist scopes, redirect to the page that shows the code) and keeps its verifier in the
 * TTL store; {@link #exchangeCode} takes the pasted code (or the whole redirect URL), exchanges it through
 * the new account's proxy, finds the login's Code Assist project unless {@code projectId} is given, and
 * creates the account named after the login's email. {@link #importCreds} creates one from Gemini CLI's
 * {@code oauth_creds.json}. The project is kept as the account's upstream account id.
 */
public final class GeminiOAuthAdmin {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_PREFIX = "gemini-oauth-login:";

  private final GeminiOAuthClient oauth;
  private final GeminiAccountSetup setup;
  private final OAuthAccountFlow flow;

  public GeminiOAuthAdmin(ActorSystem<?> system, TtlStore store, CredentialVault vault, GeminiOAuthClient oauth,
      Duration askTimeout, PoolView pool) {
    this.oauth = oauth;
    this.setup = new GeminiAccountSetup(oauth);
    this.flow = new OAuthAccountFlow(system, store, vault, askTimeout, pool, KEY_PREFIX);
  }

  /** {@code {}} → {@code {authUrl, sessionId, expiresAt, redirectUri}}. */
  public CompletionStage<ObjectNode> generateAuthUrl(JsonNode body) {
    RelaySettings.Accounts.GeminiOAuth config = oauth.config();
    if (!config.configured()) {
      return CompletableFuture.failedFuture(notConfigured());
    }
    Pkce pkce = Pkce.generate();
    String url = GoogleOAuth.authorizeUrl(config.authorizeUrl(), config.clientId(), config.redirectUri(),
        pkce.challenge(), pkce.state());
    return flow.start(new OAuthLogin(pkce.verifier(), pkce.state(), false), config.sessionTtl())
        .thenApply(sessionId -> {
          ObjectNode out = JSON.createObjectNode();
          out.put("authUrl", url).put("sessionId", sessionId)
              .put("expiresAt", Instant.now().plus(config.sessionTtl()).toString())
              .put("redirectUri", config.redirectUri());
          return out;
        });
  }

  /**
   * {@code {sessionId, code, projectId?, name?, priority?, maxConcurrency?, groups?, priceMultiplier?, proxy?,
   * tier?, baseUrl?}}: exchanges the code, finds the project (unless given) and creates the account.
   */
  public CompletionStage<PoolEntry> exchangeCode(JsonNode body) {
    OAuthAccountRequest request;
    String project;
    try {
      if (!oauth.config().configured()) {
        throw notConfigured();
      }
      request = OAuthAccountRequest.parse(body, oauth.config().codeAssistBaseUrl());
      project = GeminiTokenInput.projectId(body);
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return flow.take(request, oauth.config().sessionTtl())
        .thenCompose(login -> oauth.exchange(request.code().code(), login.verifier(), request.options().proxy()))
        .thenCompose(tokens -> setup.complete(secrets(tokens, project), request.baseUrl(), request.options().proxy())
            .thenCompose(secrets -> create(request, tokens.email(), secrets)));
  }

  /**
   * {@code {credsJson, projectId?, name?, …}} (the settings as for {@link #exchangeCode}): creates the account
   * from Gemini CLI's {@code ~/.gemini/oauth_creds.json} (refreshed first when its access token has
   * expired), named after the login's email unless named.
   */
  public CompletionStage<PoolEntry> importCreds(JsonNode body) {
    OAuthAccountRequest request;
    GeminiTokenInput.Login login;
    try {
      if (!body.has("credsJson")) {
        throw AdminInputException.invalid("credsJson: required (the contents of ~/.gemini/oauth_creds.json)");
      }
      request = OAuthAccountRequest.settings(body, oauth.config().codeAssistBaseUrl());
      login = GeminiTokenInput.read(body);
    } catch (AdminInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return setup.complete(login.secrets(), request.baseUrl(), request.options().proxy())
        .thenCompose(secrets -> (request.name() != null || login.email() != null
            ? CompletableFuture.completedFuture(login.email())
            : oauth.email(secrets.accessToken(), request.options().proxy()))
            .thenCompose(email -> create(request, email, secrets)));
  }

  private CompletionStage<PoolEntry> create(OAuthAccountRequest request, String email, AccountSecrets secrets) {
    return flow.create(request, AccountType.GEMINI_OAUTH, email, secrets,
        request.options().tier() != null ? request.options().tier() : SubscriptionTier.UNKNOWN);
  }

  private static AccountSecrets secrets(OAuthTokens tokens, String project) {
    return new AccountSecrets(null, tokens.accessToken(), tokens.refreshToken(), tokens.expiresAt(), tokens.scopes(),
        null, project);
  }

  private static AdminInputException notConfigured() {
    return AdminInputException.invalid("Google OAuth is not configured on this node: set GEMINI_OAUTH_CLIENT_ID and"
        + " GEMINI_OAUTH_CLIENT_SECRET in its environment (without them no gemini-oauth account can refresh its"
        + " tokens either)");
  }
}
