package dev.relaycluster.relay;

import java.util.HashSet;
import java.util.Set;

/**
 * One try of a request on one account: which try it is (from 1), the accounts already tried, the
 * last upstream refusal (what the client gets if no further account can take it; null before any), and the
 * request's time spent waiting on upstream over all its tries.
 */
record Attempt(RelayCall call, Settlement settlement, Set<String> excluded, int number, UpstreamRefusal last,
    UpstreamWait upstreamWait) {

  static Attempt first(RelayCall call, Settlement settlement) {
    return new Attempt(call, settlement, Set.of(), 1, null, new UpstreamWait());
  }

  /** The next try, with {@code accountId} excluded and {@code refusal} (if not null) as the last one. */
  Attempt next(String accountId, UpstreamRefusal refusal) {
    Set<String> more = new HashSet<>(excluded);
    more.add(accountId);
    return new Attempt(call, settlement, Set.copyOf(more), number + 1, refusal != null ? refusal : last,
        upstreamWait);
  }

  /** The lease this try holds on its account. */
  String accountLease() {
    return call.requestId() + "/" + number;
  }
}
