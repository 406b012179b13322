package dev.relaycluster.account;

import dev.relaycluster.upstream.ProxySpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads an account's quota from its upstream, in the background (never on a request's path): which
 * account types it serves, how often an account in use may be asked, and the fetch itself (with the
 * account's current secrets, through its proxy, null for direct).
 */
public interface QuotaFetcher {
  QuotaFetcher NONE = new QuotaFetcher() {
    @Override
    public boolean covers(AccountType type) {
      return false;
    }

    @Override
    public Duration interval() {
      return Duration.ofMinutes(5);
    }

    @Override
    public CompletionStage<QuotaSnapshot> fetch(AccountDefinition account, AccountSecrets secrets, ProxySpec proxy) {
      return CompletableFuture.failedFuture(new IllegalStateException("no quota for " + account.type().wireName()));
    }
  };

  boolean covers(AccountType type);

  /** The least time between two fetches for one account. */
  Duration interval();

  CompletionStage<QuotaSnapshot> fetch(AccountDefinition account, AccountSecrets secrets, ProxySpec proxy);
}
