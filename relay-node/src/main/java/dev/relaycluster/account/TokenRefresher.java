package dev.relaycluster.account;

import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.upstream.ProxySpec;
import java.util.concurrent.CompletionStage;

/** Exchanges a refresh token for new tokens (through the account's proxy, null for direct). */
@FunctionalInterface
public interface TokenRefresher {
  TokenRefresher NONE = (refreshToken, proxy) -> java.util.concurrent.CompletableFuture.failedFuture(
      new OAuthException("token refresh is not configured on this node", false));

  CompletionStage<OAuthTokens> refresh(String refreshToken, ProxySpec proxy);

  /** Refreshes the tokens of an account of {@code type}; one refresher serves every type unless it says otherwise. */
  default CompletionStage<OAuthTokens> refresh(AccountType type, String refreshToken, ProxySpec proxy) {
    return refresh(refreshToken, proxy);
  }

  /**
   * Refreshes the tokens of {@code account}, whose secrets are {@code current}. A refresher that also
   * completes what the account lacks (a gemini-oauth account's project) reads it here and answers it as
   * {@link OAuthTokens#accountUuid()}; by default, as {@link #refresh(AccountType, String, ProxySpec)}.
   */
  default CompletionStage<OAuthTokens> refresh(AccountDefinition account, AccountSecrets current, ProxySpec proxy) {
    return refresh(account.type(), current.refreshToken(), proxy);
  }
}
