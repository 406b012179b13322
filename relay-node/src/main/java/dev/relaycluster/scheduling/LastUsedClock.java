package dev.relaycluster.scheduling;

import java.util.concurrent.ConcurrentHashMap;

/**
 * When this node last handed each account to a request, for least-recently-used ordering. Node-local:
 * across a cluster each node balances its own picks, which spreads load without a shared write per request.
 */
public final class LastUsedClock {
  private final ConcurrentHashMap<String, Long> lastUsed = new ConcurrentHashMap<>();

  public long lastUsedAt(String accountId) {
    return lastUsed.getOrDefault(accountId, 0L);
  }

  public void markUsed(String accountId, long atMillis) {
    lastUsed.merge(accountId, atMillis, Math::max);
  }
}
