package dev.relaycluster.apikey;

import java.util.Optional;

/** The key's admission rules as a pure decision over its state and the leases in flight. */
public final class Admission {
  private Admission() {}

  /** A refusal and what to tell the client, or empty when the request may go ahead. */
  public record Decision(Refusal refusal, String message, long retryAfterSeconds) {}

  public static Optional<Decision> refuse(ApiKeyEntity.State state, int leasesInFlight) {
    if (!state.exists()) {
      return Optional.of(new Decision(Refusal.UNKNOWN_KEY, "invalid x-api-key", 0));
    }
    if (state.revoked()) {
      return Optional.of(new Decision(Refusal.REVOKED, "this API key has been revoked", 0));
    }
    int limit = state.concurrencyLimit();
    if (limit > 0 && leasesInFlight >= limit) {
      return Optional.of(new Decision(Refusal.CONCURRENCY,
          "this API key already has " + leasesInFlight + " requests in flight (concurrency limit " + limit + ")", 1));
    }
    return Optional.empty();
  }
}
