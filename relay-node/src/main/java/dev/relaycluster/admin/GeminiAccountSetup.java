package dev.relaycluster.admin;

import dev.relaycluster.account.AccountSecrets;
import dev.relaycluster.account.GeminiOAuthClient;
import dev.relaycluster.upstream.ProxySpec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a new gemini-oauth account's login needs before the account is created from it: an access token
 * that still works (refreshed first when it expires within a minute, as a pasted {@code oauth_creds.json}
 * often does), and its Code Assist project, found through Code Assist at the account's base URL when the
 * admin gave none. A login that cannot be completed fails (400 when Google refused it or it has no usable
 * project, 502 when Google could not be asked) and no account is created.
 */
final class GeminiAccountSetup {
  private static final long FRESH_FOR_MS = 60_000;

  private final GeminiOAuthClient client;

  GeminiAccountSetup(GeminiOAuthClient client) {
    this.client = client;
  }

  GeminiOAuthClient client() {
    return client;
  }

  CompletionStage<AccountSecrets> complete(AccountSecrets secrets, String baseUrl, ProxySpec proxy) {
    return fresh(secrets, proxy).thenCompose(s -> s.upstreamAccountId() != null
        ? CompletableFuture.completedFuture(s)
        : client.discoverProject(baseUrl, s.accessToken(), null, proxy).thenApply(s::withUpstreamAccountId));
  }

  private CompletionStage<AccountSecrets> fresh(AccountSecrets secrets, ProxySpec proxy) {
    boolean expiring = secrets.expiresAt() > 0 && secrets.expiresAt() <= System.currentTimeMillis() + FRESH_FOR_MS;
    if (!expiring || secrets.refreshToken() == null) {
      return CompletableFuture.completedFuture(secrets);
    }
    return client.refresh(secrets.refreshToken(), proxy).thenApply(t -> secrets.withTokens(t.accessToken(),
        t.refreshToken(), t.expiresAt(), t.scopes().isEmpty() ? secrets.scopes() : t.scopes()));
  }
}
