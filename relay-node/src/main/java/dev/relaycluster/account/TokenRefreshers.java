package dev.relaycluster.account;

import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.upstream.ProxySpec;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One refresher per OAuth account type (each upstream has its own token endpoint and client). */
public final class TokenRefreshers implements TokenRefresher {
  private final Map<AccountType, TokenRefresher> byType = new EnumMap<>(AccountType.class);

  public TokenRefreshers with(AccountType type, TokenRefresher refresher) {
    byType.put(type, refresher);
    return this;
  }

  @Override
  public CompletionStage<OAuthTokens> refresh(String refreshToken, ProxySpec proxy) {
    return refresh(AccountType.CLAUDE_OAUTH, refreshToken, proxy);
  }

  @Override
  public CompletionStage<OAuthTokens> refresh(AccountType type, String refreshToken, ProxySpec proxy) {
    TokenRefresher refresher = byType.get(type);
    if (refresher == null) {
      return CompletableFuture.failedFuture(
          new OAuthException("token refresh of " + type.wireName() + " accounts is not configured on this node", false));
    }
    return refresher.refresh(refreshToken, proxy);
  }

  @Override
  public CompletionStage<OAuthTokens> refresh(AccountDefinition account, AccountSecrets current, ProxySpec proxy) {
    TokenRefresher refresher = byType.get(account.type());
    if (refresher == null) {
      return refresh(account.type(), current.refreshToken(), proxy);
    }
    return refresher.refresh(account, current, proxy);
  }
}
