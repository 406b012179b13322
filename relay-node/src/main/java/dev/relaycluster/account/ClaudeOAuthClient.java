package dev.relaycluster.account;

import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.oauth.ClaudeOAuth;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import dev.relaycluster.protocol.anthropic.ClaudeAnswers;
import dev.relaycluster.upstream.ProxySpec;
import dev.relaycluster.upstream.UpstreamClient;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Calls Claude's OAuth endpoints for one account, through that account's proxy: the code exchange,
 * the refresh grant and the profile (subscription tier). Endpoints and client id come from
 * {@code relay.accounts.oauth}. Token values never reach a log or an exception message.
 */
public final class ClaudeOAuthClient implements TokenRefresher {
  private final OAuthCalls calls;
  private final RelaySettings.Accounts.OAuth config;

  public ClaudeOAuthClient(ActorSystem<?> system, UpstreamClient upstream, RelaySettings.Accounts.OAuth config) {
    this.config = config;
    this.calls = new OAuthCalls(system, upstream, config.timeout());
  }

  public RelaySettings.Accounts.OAuth config() {
    return config;
  }

  public CompletionStage<OAuthTokens> exchange(String code, String verifier, String state, boolean setupToken,
      ProxySpec proxy) {
    return token(ClaudeOAuth.authorizationCodeBody(config.clientId(), code, config.redirectUri(), verifier, state,
        setupToken), proxy, "code exchange");
  }

  @Override
  public CompletionStage<OAuthTokens> refresh(String refreshToken, ProxySpec proxy) {
    return token(ClaudeOAuth.refreshBody(config.clientId(), refreshToken), proxy, "token refresh");
  }

  /** The subscription tier; UNKNOWN when the profile cannot be read. */
  public CompletionStage<SubscriptionTier> tier(String accessToken, ProxySpec proxy) {
    HttpRequest request = HttpRequest.GET(config.profileUrl())
        .addHeader(RawHeader.create("authorization", "Bearer " + accessToken))
        .addHeader(RawHeader.create("anthropic-beta", "oauth-2025-04-20"))
        .addHeader(RawHeader.create("accept", "application/json"));
    return calls.bounded(request, proxy)
        .thenCompose(calls::strict)
        .thenApply(answer -> answer.status() == 200 ? SubscriptionTier.fromProfile(answer.body())
            : SubscriptionTier.UNKNOWN)
        .exceptionally(t -> SubscriptionTier.UNKNOWN);
  }

  private CompletionStage<OAuthTokens> token(byte[] body, ProxySpec proxy, String what) {
    HttpRequest request = HttpRequest.create(config.tokenUrl())
        .withMethod(HttpMethods.POST)
        .addHeader(RawHeader.create("accept", "application/json"))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
    return calls.bounded(request, proxy)
        .exceptionally(t -> {
          throw new OAuthException(what + ": the token endpoint is unreachable ("
              + dev.relaycluster.upstream.UpstreamFailures.describe(t) + ")", false);
        })
        .thenCompose(calls::strict)
        .thenApply(answer -> {
          if (answer.status() != 200) {
            String why = ClaudeAnswers.errorMessage(answer.body());
            boolean rejected = answer.status() >= 400 && answer.status() < 500 && answer.status() != 429;
            throw new OAuthException(what + " refused (" + answer.status() + ")" + (why.isEmpty() ? "" : ": " + why),
                rejected);
          }
          try {
            return OAuthTokens.parse(answer.body(), System.currentTimeMillis());
          } catch (IllegalArgumentException e) {
            throw new OAuthException(what + ": " + e.getMessage(), false);
          }
        });
  }
}
