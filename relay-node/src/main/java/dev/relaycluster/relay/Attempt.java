package dev.relaycluster.relay;

import java.util.HashSet;
import java.util.Set;

/**
 * One try of a request on one account: which try it is (from 1), the accounts already tried, the
 * last upstream refusal (what the client gets if no further account can take it; null before any), the
 * request's time spent waiting on upstream over all its tries, and its decision trace.
 */
record Attempt(RelayCall call, Settlement settlement, Set<String> excluded, int number, UpstreamRefusal last,
    UpstreamWait upstreamWait, RouteTrace trace) {

  static Attempt first(RelayCall call, Settlement settlement, RouteTrace trace) {
    return new Attempt(call, settlement, Set.of(), 1, null, new UpstreamWait(), trace);
  }

  /** The next try, with {@code accountId} excluded and {@code refusal} (if not null) as the last one. */
  Attempt next(String accountId, UpstreamRefusal refusal) {
    Set<String> more = new HashSet<>(excluded);
    more.add(accountId);
    return new Attempt(call, settlement, Set.copyOf(more), number + 1, refusal != null ? refusal : last,
        upstreamWait, trace);
  }

  /** The lease this try holds on its account. */
  String accountLease() {
    return call.requestId() + "/" + number;
  }
}
