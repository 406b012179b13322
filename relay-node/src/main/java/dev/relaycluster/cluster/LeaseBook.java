package dev.relaycluster.cluster;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leases this node's requests hold on keys and accounts, written by the requests themselves (no
 * message per lease) and read by the node's {@link LeaseHolder} when a restarted entity asks for its
 * leases. Safe for any thread.
 */
public final class LeaseBook {
  private record Lease(String entity, String leaseId) {}

  private final Set<Lease> held = ConcurrentHashMap.newKeySet();

  /** A request on this node holds {@code leaseId} on the entity with this persistence id. */
  public void held(String entity, String leaseId) {
    held.add(new Lease(entity, leaseId));
  }

  public void released(String entity, String leaseId) {
    held.remove(new Lease(entity, leaseId));
  }

  /** The leases held on one entity; a walk over all held leases, done only when an entity (re)starts. */
  public List<String> of(String entity) {
    return held.stream().filter(l -> l.entity().equals(entity)).map(Lease::leaseId).sorted().toList();
  }
}
