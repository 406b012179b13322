package dev.relaycluster.apikey;

import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.cluster.LeaseKeeper;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The {@link ApiKeyEntity}'s side of node shares ({@link KeyShares}): grants a node as many of the slots it
 * named as the key's concurrency limit allows, each slot an ordinary lease of the entity's
 * {@link LeaseKeeper} held by the node's lease holder, admitted slot by slot by the same
 * {@link Admission#decide} as a request without facts. So slots and per-request leases together never pass
 * the limit, and a node's slots are dropped with its holder. Only a key with a concurrency limit whose
 * requests are admitted on nodes ({@link AdmissionMode#sharesSlots} on the entity's own definition) gets slots.
 */
final class SlotGrants {
  private SlotGrants() {}

  /**
   * The slots granted, in the order asked: those already held by this entity count as granted (unless the
   * key holds more leases than its limit), one the node released already (its ask timed out) is not, and
   * granting stops at the first refusal.
   *
   * @param key the key's definition, null when it does not exist
   * @param meter where the key stands now, read again after each grant
   */
  static List<String> grant(KeyEntry key, List<String> slotIds, ActorRef<LeaseHolder.Command> holder,
      LeaseKeeper<?> leases, Supplier<KeyMeter> meter, long now, ZoneId zone) {
    List<String> granted = new ArrayList<>();
    if (!AdmissionMode.sharesSlots(key) || slotIds == null) {
      return granted;
    }
    int limit = key.settings().limits().concurrency();
    for (String slot : slotIds) {
      if (leases.holds(slot)) {
        // Held already: asked twice, or recovered from the node's lease book (the node notes a slot before it
        // asks) while this ask waited. A recovered slot the limit has no room for is dropped, not granted.
        if (meter.get().leasesInFlight() > limit) {
          leases.release(slot);
          continue;
        }
        granted.add(slot);
        continue;
      }
      if (leases.released(slot)) {
        continue;
      }
      if (!(Admission.decide(key, meter.get(), RequestFacts.UNKNOWN, now, zone) instanceof Admission.Admit)) {
        break;
      }
      leases.grant(slot, holder);
      granted.add(slot);
    }
    return granted;
  }
}
