package dev.relaycluster.cluster;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The in-memory lease book of one entity (key or account): leases granted, the holders watched, and
 * the recovery of leases after the entity restarts elsewhere. Leases are not persisted: they belong
 * to requests in flight, and the lease holders of those requests' nodes report them back on restart.
 * Messages for the keeper arrive wrapped in the entity's own command via {@code wrap}. Its collections
 * are mutable on purpose: they are touched by the owning actor only, on every admission, and copying
 * them per request was the relay's largest source of garbage under load.
 */
public final class LeaseKeeper<C> {
  private static final int REMEMBERED_RELEASES = 4096;

  private final ActorContext<C> ctx;
  private final String entity;
  private final Function<Object, C> wrap;
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(2);

  /** Lease id → holder, and how many leases each watched holder has. Mutable: owned by one actor. */
  private final HashMap<String, ActorRef<LeaseHolder.Command>> leases = new HashMap<>();
  private final HashSet<ActorRef<?>> watched = new HashSet<>();
  /** Released leases, so a holder's report that crossed a release cannot bring one back. */
  private final LinkedHashSet<String> released = new LinkedHashSet<>();
  /** While true, the entity must not grant leases: holders' reports are still coming in. */
  private boolean recovering;
  /** Holders asked for a report and not yet answered; null until the receptionist listed them. */
  private Set<ActorRef<LeaseHolder.Command>> awaiting;

  /** A holder's termination, delivered through the entity's mailbox. */
  public record HolderTerminated(ActorRef<?> holder) {}

  /** Stop waiting for holders that did not answer (their node is gone or slow). */
  public record RecoveryTimeout() {}

  public LeaseKeeper(ActorContext<C> ctx, String entity, Function<Object, C> wrap) {
    this.ctx = ctx;
    this.entity = entity;
    this.wrap = wrap;
  }

  public int size() {
    return leases.size();
  }

  /**
   * Grants the lease the requester named (so that a requester whose ask timed out can still release it),
   * watching its holder. Granting a lease that is already held is a no-op.
   */
  public void grant(String leaseId, ActorRef<LeaseHolder.Command> holder) {
    add(leaseId, holder);
  }

  /**
   * Whether the requester already released this lease: its ask timed out while the entity held the
   * request back (recovering leases, refreshing a token), and its release arrived first. Such a lease must
   * not be granted any more; nobody would ever release it.
   */
  public boolean released(String leaseId) {
    return released.contains(leaseId);
  }

  /** The ids of the leases held now (a view). */
  public Set<String> ids() {
    return Collections.unmodifiableSet(leases.keySet());
  }

  public boolean holds(String leaseId) {
    return leases.containsKey(leaseId);
  }

  public void release(String leaseId) {
    leases.remove(leaseId);
    released.add(leaseId);
    if (released.size() > REMEMBERED_RELEASES) {
      released.remove(released.iterator().next());
    }
  }

  /**
   * Asks every lease holder in the cluster for the leases this entity had before it (re)started. Until
   * they have answered (or {@link #RECOVERY_TIMEOUT} passed), {@link #recovering()} is true and the
   * entity stashes requests for new leases.
   */
  public void recover() {
    recovering = true;
    awaiting = null;
    ActorRef<Receptionist.Listing> listing = ctx.messageAdapter(Receptionist.Listing.class, wrap::apply);
    ctx.getSystem().receptionist().tell(Receptionist.find(LeaseHolder.SERVICE_KEY, listing));
    ctx.scheduleOnce(RECOVERY_TIMEOUT, ctx.getSelf(), wrap.apply(new RecoveryTimeout()));
  }

  public boolean recovering() {
    return recovering;
  }

  /**
   * Handles a message that {@code wrap} put into the entity's command; returns true when this message
   * ended the lease recovery, so the entity should unstash what it held back.
   */
  public boolean handle(Object message) {
    if (message instanceof HolderTerminated t) {
      leases.values().removeIf(holder -> holder.equals(t.holder()));
      watched.remove(t.holder());
      return false;
    }
    if (!recovering) {
      return false;
    }
    if (message instanceof Receptionist.Listing listing) {
      ActorRef<LeaseHolder.HeldLeases> replies = ctx.messageAdapter(LeaseHolder.HeldLeases.class, wrap::apply);
      awaiting = new HashSet<>(listing.getServiceInstances(LeaseHolder.SERVICE_KEY));
      awaiting.forEach(holder -> holder.tell(new LeaseHolder.Report(entity, replies)));
    } else if (message instanceof LeaseHolder.HeldLeases report) {
      for (String leaseId : report.leaseIds()) {
        if (!leases.containsKey(leaseId) && !released.contains(leaseId)) {
          add(leaseId, report.holder());
        }
      }
      if (awaiting != null) {
        awaiting.remove(report.holder());
      }
    } else if (message instanceof RecoveryTimeout) {
      awaiting = Set.of();
    }
    if (awaiting != null && awaiting.isEmpty()) {
      recovering = false;
      return true;
    }
    return false;
  }

  private void add(String leaseId, ActorRef<LeaseHolder.Command> holder) {
    if (watched.add(holder)) {
      ctx.watchWith(holder, wrap.apply(new HolderTerminated(holder)));
    }
    leases.put(leaseId, holder);
  }
}
