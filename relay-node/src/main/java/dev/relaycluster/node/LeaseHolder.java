package dev.relaycluster.node;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * One per node: the holder of every lease this node's requests take on keys and accounts. Entities
 * watch it, so when it stops, or its node leaves or dies, they release all of its leases. It also
 * remembers which leases it holds, so that an entity restarted on another node (a shard moved) can
 * ask every holder in the cluster for the leases it had and keep its limits exact.
 */
public final class LeaseHolder {
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "lease-holders");

  public sealed interface Command extends CborSerializable {}

  /** A request on this node holds {@code leaseId} on the entity with this persistence id. */
  public record Held(String entity, String leaseId) implements Command {}

  public record Released(String entity, String leaseId) implements Command {}

  /** An entity that just started asks which of its leases this holder has. */
  public record Report(String entity, ActorRef<HeldLeases> replyTo) implements Command {}

  public record HeldLeases(ActorRef<Command> holder, List<String> leaseIds) implements CborSerializable {}

  private LeaseHolder() {}

  public static Behavior<Command> create() {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, ctx.getSelf()));
      Map<String, Set<String>> held = new HashMap<>();
      return Behaviors.receive(Command.class)
          .onMessage(Held.class, h -> {
            held.computeIfAbsent(h.entity(), e -> new HashSet<>()).add(h.leaseId());
            return Behaviors.same();
          })
          .onMessage(Released.class, r -> {
            Set<String> leases = held.get(r.entity());
            if (leases != null && leases.remove(r.leaseId()) && leases.isEmpty()) {
              held.remove(r.entity());
            }
            return Behaviors.same();
          })
          .onMessage(Report.class, r -> {
            r.replyTo().tell(new HeldLeases(ctx.getSelf(), List.copyOf(held.getOrDefault(r.entity(), Set.of()))));
            return Behaviors.same();
          })
          .build();
    });
  }
}
