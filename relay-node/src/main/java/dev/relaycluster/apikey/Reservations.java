package dev.relaycluster.apikey;

import dev.relaycluster.usage.UsageRecord;
import java.util.Collection;
import java.util.HashMap;
import java.util.function.Predicate;

/**
 * What the admitted requests of one key hold while they are in flight, by lease id, and the key's current
 * rate window they were admitted in. In memory only, owned by the {@link ApiKeyEntity}'s actor: a
 * reservation is taken at admission and given back when the request settles or its lease is released.
 */
final class Reservations {
  private final HashMap<String, Reservation> byLease = new HashMap<>();
  /** The current rate window, or null. */
  private RateWindow window;

  /** The current rate window, null when none was opened. */
  RateWindow window() {
    return window;
  }

  /**
   * A request was admitted into {@code window} (the one admission left in force) reserving {@code
   * reservation}, which is kept only when {@code keep} (the key's limits count reservations).
   */
  void admitted(String leaseId, RateWindow window, Reservation reservation, boolean keep) {
    this.window = window;
    if (keep) {
      byLease.put(leaseId, reservation);
    }
  }

  /** Gives the lease's reservation back; what it was, null if it held none. */
  Reservation release(String leaseId) {
    return byLease.remove(leaseId);
  }

  /**
   * A request's real usage takes its reservation's place in the rate window, when it was admitted in the
   * window still current.
   */
  void settled(Reservation reservation, UsageRecord usage) {
    if (reservation != null && window != null && reservation.windowStart() == window.start()) {
      window = window.withUsage(usage.totalTokens(), ApiKeyState.ratedCost(usage));
    }
  }

  /**
   * What the requests in flight hold now. Reservations of leases no longer {@code held} (the lease keeper
   * dropped them when their holder died) are given back first.
   */
  Reserved reserved(Predicate<String> held) {
    if (!byLease.isEmpty()) {
      byLease.keySet().removeIf(held.negate());
    }
    return sum(byLease.values(), window == null ? -1 : window.start());
  }

  /** The sum of {@code reservations}, the Opus ones, and the ones admitted in the window opened at {@code windowStart}. */
  static Reserved sum(Collection<Reservation> reservations, long windowStart) {
    long cost = 0;
    long opus = 0;
    long windowCost = 0;
    long windowTokens = 0;
    for (Reservation r : reservations) {
      cost += r.costMicros();
      opus += r.opus() ? r.costMicros() : 0;
      if (r.windowStart() == windowStart) {
        windowCost += r.costMicros();
        windowTokens += r.tokens();
      }
    }
    return new Reserved(cost, opus, windowCost, windowTokens);
  }
}
