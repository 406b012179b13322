package dev.relaycluster.account;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import dev.relaycluster.config.DroidOAuthSettings;
import dev.relaycluster.protocol.oauth.DeviceAuthorization;
import dev.relaycluster.protocol.oauth.DevicePoll;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.protocol.oauth.WorkOsDevice;
import dev.relaycluster.upstream.CredentialSettings;
import dev.relaycluster.upstream.ProxySpec;
import dev.relaycluster.upstream.UpstreamClient;
import dev.relaycluster.upstream.UpstreamFailures;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Calls WorkOS for droid-oauth accounts (Factory's login, {@link WorkOsDevice}), through the account's proxy:
 * the device authorization, one poll of a device login, and the refresh grant, which names the account's
 * organisation ({@link CredentialSettings#ORGANIZATION_ID}). WorkOS's answers carry no {@code expires_in}: the
 * expiry is the access token's JWT {@code exp} (read, not verified: the token is WorkOS's to check), and the
 * organisation the answer's {@code organization_id} or else the token's {@code org_id} claim. A refresh refused
 * with a 4xx (but 429) is rejected for good. Token values never reach a log or an exception message.
 */
public final class DroidOAuthClient implements TokenRefresher {
  private static final ContentType FORM = MediaTypes.APPLICATION_X_WWW_FORM_URLENCODED.toContentType();

  private final OAuthCalls calls;
  private final DroidOAuthSettings config;

  public DroidOAuthClient(ActorSystem<?> system, UpstreamClient upstream, DroidOAuthSettings config) {
    this.config = config;
    this.calls = new OAuthCalls(system, upstream, config.timeout());
  }

  public DroidOAuthSettings config() {
    return config;
  }

  /** Starts a device login. */
  public CompletionStage<DeviceAuthorization> authorizeDevice(ProxySpec proxy) {
    return call(WorkOsDevice.AUTHORIZE_PATH, WorkOsDevice.authorizeForm(config.clientId()), proxy, "device authorization")
        .thenApply(answer -> {
          if (answer.status() != 200) {
            throw new OAuthException("device authorization refused (" + answer.status() + ")", false);
          }
          try {
            return DeviceAuthorization.parse(answer.body());
          } catch (IllegalArgumentException e) {
            throw new OAuthException("device authorization: " + e.getMessage(), false);
          }
        });
  }

  /** One poll of the device login started with {@code deviceCode}. */
  public CompletionStage<DevicePoll> poll(String deviceCode, ProxySpec proxy) {
    return call(WorkOsDevice.AUTHENTICATE_PATH, WorkOsDevice.deviceCodeForm(config.clientId(), deviceCode), proxy,
        "device login poll").thenApply(answer -> DevicePoll.parse(answer.status(), answer.body()));
  }

  @Override
  public CompletionStage<OAuthTokens> refresh(String refreshToken, ProxySpec proxy) {
    return refresh(refreshToken, null, proxy);
  }

  @Override
  public CompletionStage<OAuthTokens> refresh(AccountDefinition account, AccountSecrets current, ProxySpec proxy) {
    return refresh(current.refreshToken(), current.settings().get(CredentialSettings.ORGANIZATION_ID), proxy);
  }

  private CompletionStage<OAuthTokens> refresh(String refreshToken, String organizationId, ProxySpec proxy) {
    if (refreshToken == null || refreshToken.isBlank()) {
      return CompletableFuture.failedFuture(new OAuthException("token refresh: the account has no refresh token", true));
    }
    return call(WorkOsDevice.AUTHENTICATE_PATH, WorkOsDevice.refreshForm(config.clientId(), refreshToken,
        organizationId), proxy, "token refresh").thenApply(answer -> {
          DevicePoll poll = DevicePoll.parse(answer.status(), answer.body());
          if (poll.kind() != DevicePoll.Kind.TOKENS) {
            int s = answer.status();
            throw new OAuthException("token refresh refused (" + s + ")"
                + (poll.error() != null && !poll.error().startsWith("WorkOS") ? ": " + poll.error() : ""),
                s >= 400 && s < 500 && s != 429);
          }
          return tokens(poll, System.currentTimeMillis());
        });
  }

  /** The relay's view of a WorkOS login: expiry and organisation as the class comment says. */
  public static OAuthTokens tokens(DevicePoll poll, long nowMillis) {
    JWTClaimsSet claims = claims(poll.accessToken());
    long expiresAt = 0;
    String org = poll.organizationId();
    String email = null;
    if (claims != null) {
      Date exp = claims.getExpirationTime();
      expiresAt = exp == null ? 0 : exp.getTime();
      if (org == null) {
        Object claim = claims.getClaim("org_id");
        org = claim instanceof String s && !s.isBlank() ? s : null;
      }
      Object mail = claims.getClaim("email");
      email = mail instanceof String s && !s.isBlank() ? s : null;
    }
    return new OAuthTokens(poll.accessToken(), poll.refreshToken(), expiresAt, List.of(), null, email, org);
  }

  private static JWTClaimsSet claims(String token) {
    try {
      return JWTParser.parse(token).getJWTClaimsSet();
    } catch (java.text.ParseException | RuntimeException e) {
      return null;
    }
  }

  private CompletionStage<OAuthCalls.Answer> call(String path, byte[] form, ProxySpec proxy, String what) {
    HttpRequest request = HttpRequest.create(config.workosBaseUrl() + path)
        .withMethod(HttpMethods.POST)
        .addHeader(RawHeader.create("accept", "application/json"))
        .withEntity(HttpEntities.create(FORM, form));
    return calls.bounded(request, proxy)
        .exceptionally(t -> {
          throw new OAuthException(what + ": WorkOS is unreachable (" + UpstreamFailures.describe(t) + ")", false);
        })
        .thenCompose(calls::strict);
  }
}
