package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;

/**
 * A fixed rate window: it opens with the first request and lasts {@code minutes}; within it at most
 * {@code maxRequests} requests, {@code maxTokens} tokens and {@code maxCostMicros} rated cost (0 = no cap).
 */
public record RateWindowLimit(int minutes, long maxRequests, long maxTokens, long maxCostMicros)
    implements CborSerializable {

  public long lengthMillis() {
    return minutes * 60_000L;
  }
}
