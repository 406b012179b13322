package dev.relaycluster.account;

import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.oauth.CodexIdToken;
import dev.relaycluster.protocol.oauth.CodexOAuth;
import dev.relaycluster.protocol.oauth.CodexTokens;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.upstream.ProxySpec;
import dev.relaycluster.upstream.UpstreamClient;
import dev.relaycluster.upstream.UpstreamFailures;
import java.util.List;
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

/**
 * Calls ChatGPT's OAuth token endpoint (the Codex CLI's login) for one codex-oauth account, through that
 * account's proxy: the code exchange and the refresh grant, both form-encoded, each bounded by
 * {@code relay.accounts.codex-oauth.timeout}. The answer's id token names the ChatGPT account, returned as
 * {@link OAuthTokens#accountUuid()} (sent upstream as {@code chatgpt-account-id}). Refresh tokens rotate
 * and are single-use; a refresh refused for good ({@link CodexOAuth#refreshRejection(int, byte[])}) is an
 * {@link OAuthException} with {@code rejected = true} naming the error code. Token values never reach a
 * log or an exception message.
 */
public final class CodexOAuthClient implements TokenRefresher {
  /** Error codes are short snake-case words; anything else from the endpoint is not repeated. */
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final ContentType FORM =
      MediaTypes.APPLICATION_X_WWW_FORM_URLENCODED.toContentType();

  private final OAuthCalls calls;
  private final RelaySettings.Accounts.Codex config;

  public CodexOAuthClient(ActorSystem<?> system, UpstreamClient upstream, RelaySettings.Accounts.Codex config) {
    this.config = config;
    this.calls = new OAuthCalls(system, upstream, config.timeout());
  }

  public RelaySettings.Accounts.Codex config() {
    return config;
  }

  /** Exchanges the code of a login started with {@code verifier}'s challenge. */
  public CompletionStage<OAuthTokens> exchange(String code, String verifier, ProxySpec proxy) {
    return token(CodexOAuth.authorizationCodeForm(config.clientId(), code, config.redirectUri(), verifier), proxy,
        false);
  }

  @Override
  public CompletionStage<OAuthTokens> refresh(String refreshToken, ProxySpec proxy) {
    if (refreshToken == null || refreshToken.isBlank()) {
      return CompletableFuture.failedFuture(new OAuthException("token refresh: the account has no refresh token",
          true));
    }
    return token(CodexOAuth.refreshForm(config.clientId(), refreshToken, CodexOAuth.REFRESH_SCOPES), proxy, true);
  }

  private CompletionStage<OAuthTokens> token(byte[] form, ProxySpec proxy, boolean refresh) {
    String what = refresh ? "token refresh" : "code exchange";
    HttpRequest request = HttpRequest.create(config.tokenUrl())
        .withMethod(HttpMethods.POST)
        .addHeader(RawHeader.create("accept", "application/json"))
        .withEntity(HttpEntities.create(FORM, form));
    return calls.bounded(request, proxy)
        .exceptionally(t -> {
          throw new OAuthException(what + ": the ChatGPT token endpoint is unreachable ("
              + UpstreamFailures.describe(t) + ")", false);
        })
        .thenCompose(calls::strict)
        .thenApply(answer -> {
          if (answer.status() != 200) {
            throw refused(what, refresh, answer);
          }
          try {
            return tokens(CodexTokens.parse(answer.body(), System.currentTimeMillis()));
          } catch (IllegalArgumentException e) {
            throw new OAuthException(what + ": " + e.getMessage(), false);
          }
        });
  }

  /**
   * A refused grant. A refresh is rejected (the login is dead: re-login needed) when ChatGPT says so or
   * answers 401 ({@link CodexOAuth#refreshRejection(int, byte[])}); a code exchange when the endpoint refused
   * the request itself (a 4xx but 429). Only the error code is repeated, never the body.
   */
  private static OAuthException refused(String what, boolean refresh, OAuthCalls.Answer answer) {
    int status = answer.status();
    String code = CodexOAuth.refreshErrorCode(answer.body());
    boolean rejected = refresh ? CodexOAuth.refreshRejection(status, answer.body())
        : status >= 400 && status < 500 && status != 429;
    return new OAuthException(what + " refused (" + status + ")"
        + (code != null && ERROR_CODE.matcher(code).matches() ? ": " + code : ""), rejected);
  }

  /** The relay's view of a ChatGPT login: the account id, email and plan come from the id token when it came along. */
  private static OAuthTokens tokens(CodexTokens t) {
    CodexIdToken claims = t.idClaims();
    String accountId = claims != null && claims.chatgptAccountId() != null ? claims.chatgptAccountId()
        : t.accountId();
    return new OAuthTokens(t.accessToken(), t.refreshToken(), t.expiresAt(), List.of(), accountId,
        claims == null ? null : claims.email(), null, claims == null ? null : claims.chatgptPlanType());
  }
}
