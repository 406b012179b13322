package dev.relaycluster.account;

import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.oauth.GoogleOAuth;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.upstream.ProxySpec;
import dev.relaycluster.upstream.UpstreamClient;
import dev.relaycluster.upstream.UpstreamFailures;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls Google for one gemini-oauth account ("Login with Google", as Gemini CLI), through that account's
 * proxy, each call bounded by {@code relay.accounts.gemini-oauth.timeout}: the code exchange and the
 * refresh grant (form-encoded, with the OAuth client id and secret that only the node's environment
 * gives; without them they fail saying so), the login's email (id token, else userinfo), the account's
 * Code Assist project ({@link CodeAssistCalls}), and its quota in the background. A refresh that Google
 * refuses with {@code invalid_grant} is an {@link OAuthException} with {@code rejected = true} (the login
 * must be done again); a refresh answer without a refresh token keeps the old one. After a refresh of an
 * account that has no project yet, the project is found and answered as {@link OAuthTokens#accountUuid()}.
 * Token values never reach a log or an exception message.
 */
public final class GeminiOAuthClient implements TokenRefresher, QuotaFetcher {
  private static final Logger log = LoggerFactory.getLogger(GeminiOAuthClient.class);
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final ContentType FORM = MediaTypes.APPLICATION_X_WWW_FORM_URLENCODED.toContentType();

  private final OAuthCalls calls;
  private final CodeAssistCalls codeAssist;
  private final RelaySettings.Accounts.GeminiOAuth config;

  public GeminiOAuthClient(ActorSystem<?> system, UpstreamClient upstream, RelaySettings.Accounts.GeminiOAuth config) {
    this.config = config;
    this.calls = new OAuthCalls(system, upstream, config.timeout());
    this.codeAssist = new CodeAssistCalls(calls, config.onboardPollInterval(), config.onboardMaxPolls());
  }

  public RelaySettings.Accounts.GeminiOAuth config() {
    return config;
  }

  /** Exchanges the code of a login started with {@code verifier}'s challenge; the email comes along when Google says it. */
  public CompletionStage<OAuthTokens> exchange(String code, String verifier, ProxySpec proxy) {
    return token(() -> GoogleOAuth.authorizationCodeForm(config.clientId(), config.clientSecret(), code,
        config.redirectUri(), verifier), null, proxy, false)
        .thenCompose(tokens -> tokens.email() != null ? CompletableFuture.completedFuture(tokens)
            : email(tokens.accessToken(), proxy).thenApply(email -> withEmail(tokens, email)));
  }

  @Override
  public CompletionStage<OAuthTokens> refresh(String refreshToken, ProxySpec proxy) {
    if (refreshToken == null || refreshToken.isBlank()) {
      return CompletableFuture.failedFuture(new OAuthException("token refresh: the account has no refresh token",
          true));
    }
    return token(() -> GoogleOAuth.refreshForm(config.clientId(), config.clientSecret(), refreshToken), refreshToken,
        proxy, true);
  }

  /** Refreshes, then finds the project of an account that has none yet (a failure to find it keeps the tokens). */
  @Override
  public CompletionStage<OAuthTokens> refresh(AccountDefinition account, AccountSecrets current, ProxySpec proxy) {
    CompletionStage<OAuthTokens> refreshed = refresh(current.refreshToken(), proxy);
    if (current.upstreamAccountId() != null && !current.upstreamAccountId().isBlank()) {
      return refreshed;
    }
    return refreshed.thenCompose(tokens -> discoverProject(account.baseUrl(), tokens.accessToken(), null, proxy)
        .thenApply(project -> withProject(tokens, project))
        .exceptionally(t -> {
          log.warn("account {} has no Code Assist project and none was found: {}", account.id(),
              TokenRefresh.rootCause(t).getMessage());
          return tokens;
        }));
  }

  /**
   * The Code Assist project of the login whose access token this is, at {@code baseUrl} (the account's;
   * null: the configured Code Assist base URL); {@code project} is the operator's own, null when none.
   * Fails with a rejected {@link OAuthException} when the login has no usable project.
   */
  public CompletionStage<String> discoverProject(String baseUrl, String accessToken, String project, ProxySpec proxy) {
    return codeAssist.discover(baseUrl != null ? baseUrl : config.codeAssistBaseUrl(), accessToken, project, proxy);
  }

  /** The login's email from userinfo; null when it cannot be read. */
  public CompletionStage<String> email(String accessToken, ProxySpec proxy) {
    HttpRequest request = HttpRequest.GET(config.userinfoUrl())
        .addHeader(RawHeader.create("authorization", "Bearer " + accessToken))
        .addHeader(RawHeader.create("accept", "application/json"));
    return calls.bounded(request, proxy)
        .thenCompose(calls::strict)
        .thenApply(answer -> answer.status() == 200 ? GoogleOAuth.emailOfUserinfo(answer.body()) : null)
        .exceptionally(t -> null);
  }

  @Override
  public boolean covers(AccountType type) {
    return type == AccountType.GEMINI_OAUTH;
  }

  @Override
  public Duration interval() {
    return config.quotaInterval();
  }

  @Override
  public CompletionStage<QuotaSnapshot> fetch(AccountDefinition account, AccountSecrets secrets, ProxySpec proxy) {
    return codeAssist.quota(account.baseUrl(), secrets.accessToken(), secrets.upstreamAccountId(), proxy);
  }

  private CompletionStage<OAuthTokens> token(java.util.function.Supplier<byte[]> form, String previousRefreshToken,
      ProxySpec proxy, boolean refresh) {
    String what = refresh ? "token refresh" : "code exchange";
    if (!config.configured()) {
      return CompletableFuture.failedFuture(new OAuthException(what + ": Google OAuth is not configured on this"
          + " node; set GEMINI_OAUTH_CLIENT_ID and GEMINI_OAUTH_CLIENT_SECRET in its environment", false));
    }
    HttpRequest request = HttpRequest.create(config.tokenUrl())
        .withMethod(HttpMethods.POST)
        .addHeader(RawHeader.create("accept", "application/json"))
        .withEntity(HttpEntities.create(FORM, form.get()));
    return calls.bounded(request, proxy)
        .exceptionally(t -> {
          throw new OAuthException(what + ": the Google token endpoint is unreachable ("
              + UpstreamFailures.describe(t) + ")", false);
        })
        .thenCompose(calls::strict)
        .thenApply(answer -> {
          if (answer.status() != 200) {
            throw refused(what, refresh, answer);
          }
          try {
            return GoogleOAuth.tokens(answer.body(), System.currentTimeMillis(), previousRefreshToken);
          } catch (IllegalArgumentException e) {
            throw new OAuthException(what + ": " + e.getMessage(), false);
          }
        });
  }

  /**
   * A refused grant. A refresh is rejected (the login is dead) only on {@code invalid_grant}: a wrong client
   * is the node's configuration; a code exchange when the endpoint refused the request itself (a 4xx but
   * 429). Only the error code is repeated, never the body.
   */
  private static OAuthException refused(String what, boolean refresh, OAuthCalls.Answer answer) {
    int status = answer.status();
    String code = GoogleOAuth.errorCode(answer.body());
    boolean rejected = refresh ? GoogleOAuth.refreshRejection(answer.body())
        : status >= 400 && status < 500 && status != 429;
    return new OAuthException(what + " refused (" + status + ")"
        + (code != null && ERROR_CODE.matcher(code).matches() ? ": " + code : ""), rejected);
  }

  private static OAuthTokens withEmail(OAuthTokens t, String email) {
    return new OAuthTokens(t.accessToken(), t.refreshToken(), t.expiresAt(), t.scopes(), t.accountUuid(), email,
        t.organizationUuid());
  }

  private static OAuthTokens withProject(OAuthTokens t, String project) {
    return new OAuthTokens(t.accessToken(), t.refreshToken(), t.expiresAt(), t.scopes(), project, t.email(),
        t.organizationUuid());
  }
}
