package dev.relaycluster.relay;

import java.util.HashSet;
import java.util.Set;

/**
 * One try of a request on one account: which try it is (from 1), the accounts already tried, and the
 * last upstream refusal (what the client gets if no further account can take it; null before any), and the
 * request's decision trace.
 */
record Attempt(RelayCall call, Settlement settlement, Set<String> excluded, int number, UpstreamRefusal last,
    RouteTrace trace) {

  static Attempt first(RelayCall call, Settlement settlement, RouteTrace trace) {
    return new Attempt(call, settlement, Set.of(), 1, null, trace);
  }

  /** The next try, with {@code accountId} excluded and {@code refusal} (if not null) as the last one. */
  Attempt next(String accountId, UpstreamRefusal refusal) {
    Set<String> more = new HashSet<>(excluded);
    more.add(accountId);
    return new Attempt(call, settlement, Set.copyOf(more), number + 1, refusal != null ? refusal : last, trace);
  }

  /** The lease this try holds on its account. */
  String accountLease() {
    return call.requestId() + "/" + number;
  }
}
