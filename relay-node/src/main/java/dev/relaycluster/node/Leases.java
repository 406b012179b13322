package dev.relaycluster.node;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Leases in flight on an entity, each held by the requesting node's lease holder actor, and the
 * holders the entity watches, so that when a holder (or its node) dies every lease it held is
 * released at once. Immutable.
 */
public record Leases(Map<String, ActorRef<?>> holders, Set<ActorRef<?>> watched) {
  public static final Leases EMPTY = new Leases(Map.of(), Set.of());

  public int size() {
    return holders.size();
  }

  public boolean contains(String leaseId) {
    return holders.containsKey(leaseId);
  }

  /** Whether the entity already watches this holder; if not, it must before adding a lease for it. */
  public boolean watching(ActorRef<?> holder) {
    return watched.contains(holder);
  }

  public Leases add(String leaseId, ActorRef<?> holder) {
    Map<String, ActorRef<?>> next = new HashMap<>(holders);
    next.put(leaseId, holder);
    Set<ActorRef<?>> nextWatched = watched;
    if (!watched.contains(holder)) {
      Set<ActorRef<?>> w = new HashSet<>(watched);
      w.add(holder);
      nextWatched = Set.copyOf(w);
    }
    return new Leases(Map.copyOf(next), nextWatched);
  }

  public Leases remove(String leaseId) {
    if (!holders.containsKey(leaseId)) {
      return this;
    }
    Map<String, ActorRef<?>> next = new HashMap<>(holders);
    next.remove(leaseId);
    return new Leases(Map.copyOf(next), watched);
  }

  /** Drops every lease of a holder that terminated, and stops counting it as watched. */
  public Leases holderTerminated(ActorRef<?> holder) {
    return new Leases(
        holders.entrySet().stream()
            .filter(e -> !e.getValue().equals(holder))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue)),
        watched.stream().filter(h -> !h.equals(holder)).collect(Collectors.toUnmodifiableSet()));
  }
}
