package dev.relaycluster.cluster;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * One per node: the holder of every lease this node's requests take on keys and accounts. Entities
 * watch it, so when it stops, or its node leaves or dies, they release all of its leases. The requests
 * note the leases they hold in the node's {@link LeaseBook}, so that an entity restarted on another
 * node (a shard moved) can ask every holder in the cluster for the leases it had and keep its limits
 * exact.
 */
public final class LeaseHolder {
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "lease-holders");

  public sealed interface Command extends CborSerializable {}

  /** An entity that just started asks which of its leases this holder has. */
  public record Report(String entity, ActorRef<HeldLeases> replyTo) implements Command {}

  public record HeldLeases(ActorRef<Command> holder, List<String> leaseIds) implements CborSerializable {}

  private LeaseHolder() {}

  public static Behavior<Command> create(LeaseBook held) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, ctx.getSelf()));
      return Behaviors.receive(Command.class)
          .onMessage(Report.class, r -> {
            r.replyTo().tell(new HeldLeases(ctx.getSelf(), held.of(r.entity())));
            return Behaviors.same();
          })
          .build();
    });
  }
}
