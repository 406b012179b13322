package dev.relaycluster.apikey;

import dev.relaycluster.usage.UsageRecord;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.function.Predicate;

/**
 * What the admitted requests of one key hold while they are in flight, by lease id, and the key's current
 * rate window they were admitted in. In memory only, owned by the {@link ApiKeyEntity}'s actor: a
 * reservation is taken at admission and given back when the request settles or its lease is released.
 */
final class Reservations {
  private final HashMap<String, Reservation> byLease = new HashMap<>();
  /** The leases among them that are nodes' budget shares ({@link BudgetLease}), not requests. */
  private final HashSet<String> budgets = new HashSet<>();
  /** The current rate window, or null. */
  private RateWindow window;
  /** Requests the current window counts ahead for nodes' budget shares: granted, less those given back unused. */
  private long ahead;
  /** Requests admitted on nodes' budget shares whose usage settled in the current window. */
  private long settledOnShares;

  /** The current rate window, null when none was opened. */
  RateWindow window() {
    return window;
  }

  /**
   * A request was admitted into {@code window} (the one admission left in force) reserving {@code
   * reservation}, which is kept only when {@code keep} (the key's limits count reservations).
   */
  void admitted(String leaseId, RateWindow window, Reservation reservation, boolean keep) {
    setWindow(window);
    if (keep) {
      byLease.put(leaseId, reservation);
    }
  }

  /** Gives the lease's reservation back; what it was, null if it held none. */
  Reservation release(String leaseId) {
    budgets.remove(leaseId);
    return byLease.remove(leaseId);
  }

  /**
   * A node's budget share was granted: it reserves {@code reservation}; its {@code requests} were counted
   * ahead in {@code window} (null: the key has none).
   */
  void budgetGranted(String leaseId, RateWindow window, Reservation reservation, long requests) {
    if (window != null) {
      setWindow(window);
      ahead += Math.max(0, requests);
    }
    byLease.put(leaseId, reservation);
    budgets.add(leaseId);
  }

  /**
   * A node gave its budget share back: its reservation goes, and the window's requests it did not use are
   * no longer counted when the share was granted in the window still current.
   */
  void budgetReturned(String leaseId, long unusedRequests) {
    Reservation reservation = release(leaseId);
    if (reservation != null && window != null && unusedRequests > 0 && reservation.windowStart() == window.start()) {
      window = window.withoutRequests(unusedRequests);
      ahead = Math.max(0, ahead - unusedRequests);
    }
  }

  /**
   * After a restart, the budget shares among the leases the nodes reported (their amounts in memory were
   * lost) reserve again the most their ids name; they count in no window (the window was lost as well).
   */
  void restoreBudgets(Iterable<String> heldLeases) {
    for (String id : heldLeases) {
      BudgetLease lease = BudgetLease.parse(id);
      if (lease != null && !byLease.containsKey(id)) {
        byLease.put(id, new Reservation(lease.maxCostMicros(), lease.maxTokens(), lease.opus(), 0));
        budgets.add(id);
      }
    }
  }

  /** Budget shares held as of the last {@link #reserved}: leases that are not requests in flight. */
  int budgets() {
    return budgets.size();
  }

  /**
   * A request's real usage takes its reservation's place in the rate window, when it was admitted in the
   * window still current.
   */
  void settled(Reservation reservation, UsageRecord usage) {
    settled(reservation, null, usage);
  }

  /**
   * As {@link #settled(Reservation, UsageRecord)}, for a request admitted on the node's budget share {@code
   * shareId} (null: none) when it holds no reservation here: what it spent is no longer reserved by the share
   * (it counts as spent now), and it counts in the window the share was granted in, when that is the current one.
   */
  void settled(Reservation reservation, String shareId, UsageRecord usage) {
    long tokens = usage.totalTokens();
    long cost = ApiKeyState.ratedCost(usage);
    Reservation share = reservation == null && shareId != null ? byLease.get(shareId) : null;
    if (share != null) {
      byLease.put(shareId, new Reservation(Math.max(0, share.costMicros() - cost), Math.max(0, share.tokens() - tokens),
          share.opus(), share.windowStart()));
    }
    Reservation admittedIn = reservation != null ? reservation : share;
    if (window != null && admittedIn != null && admittedIn.windowStart() == window.start()) {
      window = window.withUsage(tokens, cost);
      if (share != null) {
        settledOnShares++;
      }
    }
  }

  /**
   * The current rate window as the key's usage shows it: the requests admitted here, and those admitted on
   * nodes' shares once their usage settled, not the ones counted ahead for shares (null when none was opened).
   */
  RateWindow shownWindow() {
    if (window == null || (ahead == 0 && settledOnShares == 0)) {
      return window;
    }
    return new RateWindow(window.start(), window.lengthMillis(), Math.max(0, window.requests() - ahead + settledOnShares),
        window.tokens(), window.costMicros());
  }

  private void setWindow(RateWindow next) {
    if (next != null && (window == null || next.start() != window.start() || next.lengthMillis() != window.lengthMillis())) {
      ahead = 0;
      settledOnShares = 0;
    }
    window = next;
  }

  /**
   * What the requests in flight hold now. Reservations of leases no longer {@code held} (the lease keeper
   * dropped them when their holder died) are given back first.
   */
  Reserved reserved(Predicate<String> held) {
    if (!byLease.isEmpty()) {
      byLease.keySet().removeIf(held.negate());
      budgets.retainAll(byLease.keySet());
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
