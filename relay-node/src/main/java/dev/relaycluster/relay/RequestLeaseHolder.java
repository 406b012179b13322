package dev.relaycluster.relay;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The holder of every lease this node takes on keys and accounts. Entities watch it: when it stops,
 * or its node leaves or dies, they release all of its leases, so no request that died with its node
 * keeps a key or an account busy.
 */
public final class RequestLeaseHolder {
  /** The holder takes no messages other than being stopped. */
  public interface Command {}

  private RequestLeaseHolder() {}

  public static Behavior<Command> create() {
    return Behaviors.empty();
  }
}
