package dev.relaycluster.alerts;

import java.time.Duration;

/** Exponential back-off between delivery attempts: initial, 2×, 4×, … capped at max. */
public record BackoffPolicy(int maxAttempts, Duration initial, Duration max) {
  public BackoffPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("relay.alerts.max-attempts must be at least 1");
    }
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("relay.alerts: need 0 ≤ initial-backoff ≤ max-backoff");
    }
  }

  /** The wait after failed attempt number {@code attempt} (1-based). */
  public Duration delayAfter(int attempt) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    long millis = initial.toMillis() << doublings;
    return millis < 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
  }
}
