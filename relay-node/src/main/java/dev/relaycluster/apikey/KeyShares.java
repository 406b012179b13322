package dev.relaycluster.apikey;

import dev.relaycluster.cluster.LeaseBook;
import dev.relaycluster.cluster.LeaseHolder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * This node's shares of the concurrency of keys with a concurrency limit whose requests are admitted on the
 * node ({@link AdmissionMode#sharesSlots}), so that most of their requests are admitted without asking the key's
 * entity. A share is a few of the key's slots that the entity granted this node in advance
 * ({@link ApiKeyEntity.GrantSlots}): ordinary leases of the entity, held by this node's {@link LeaseHolder} and noted in its {@link LeaseBook}, so they count
 * against the limit with every other lease, come back when the entity restarts elsewhere, and are dropped
 * when this node dies. A request takes a free slot here; when it ends the slot is free again on this node.
 * A request that finds none makes the share grow (one ask per key at a time, sized by {@link ShareSizing})
 * and waits for that answer ({@link #acquire}); if it brought no free slot, the request asks the entity as
 * before. Free slots that sat unused for {@link #IDLE} are returned (the periodic
 * {@link #check}), and free slots beyond the margin or a lowered limit, or of a key that no longer shares,
 * at once.
 * One per node; safe for any thread.
 */
public final class KeyShares {
  /** How often the node looks for slots to return. */
  public static final Duration CHECK_EVERY = Duration.ofMillis(500);
  /** How long a free slot sits unused before it is returned. */
  public static final Duration IDLE = Duration.ofSeconds(1);

  /** The keys' entities, as the shares use them. */
  public interface Entities {
    /** Asks the key's entity for these slots; completes with those granted. */
    CompletionStage<List<String>> grant(String keyId, List<String> slotIds);

    void release(String keyId, String slotId);
  }

  private final ConcurrentHashMap<String, NodeShare> shares = new ConcurrentHashMap<>();
  private final Entities entities;
  private final LeaseBook book;
  private final LongSupplier clock;
  private final String slotPrefix;
  private final AtomicLong counter = new AtomicLong();

  /**
   * @param node names this node in slot ids (with a random part, so ids are unique across restarts too)
   */
  public KeyShares(Entities entities, LeaseBook book, LongSupplier clock, String node) {
    this.entities = entities;
    this.book = book;
    this.clock = clock;
    this.slotPrefix = "slot:" + Integer.toHexString(node.hashCode()) + "-"
        + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  /** The node's shares, asking the keys' entities through sharding, checked every {@link #CHECK_EVERY}. */
  public static KeyShares start(ActorSystem<?> system, ActorRef<LeaseHolder.Command> holder, LeaseBook book,
      Duration askTimeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    Entities entities = new Entities() {
      @Override
      public CompletionStage<List<String>> grant(String keyId, List<String> slotIds) {
        return sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, keyId)
            .<ApiKeyEntity.SlotsGranted>ask(r -> new ApiKeyEntity.GrantSlots(slotIds, holder, r), askTimeout)
            .thenApply(ApiKeyEntity.SlotsGranted::slotIds);
      }

      @Override
      public void release(String keyId, String slotId) {
        sharding.entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, keyId).tell(new ApiKeyEntity.Release(slotId));
      }
    };
    KeyShares shares = new KeyShares(entities, book, System::currentTimeMillis,
        system.address().toString());
    system.scheduler().scheduleWithFixedDelay(CHECK_EVERY, CHECK_EVERY, shares::check, system.executionContext());
    return shares;
  }

  /**
   * A free slot of this node's share of the key for one request, or null: the key does not share slots
   * (its free slots, if it did before, are returned) or none is free (the share is asked to grow, and the
   * request must ask the entity itself). A slot taken must be given back with {@link #giveBack}.
   */
  public String take(KeyEntry key) {
    boolean sharing = AdmissionMode.sharesSlots(key);
    NodeShare share = sharing ? shares.computeIfAbsent(key.id(), id -> new NodeShare()) : shares.get(key.id());
    if (share == null) {
      return null;
    }
    release(key.id(), share.limit(sharing ? key.settings().limits().concurrency() : 0));
    if (!sharing) {
      return null;
    }
    String slot = share.take();
    if (slot == null) {
      grow(key.id(), share);
    }
    return slot;
  }

  /**
   * As {@link #take}, but a request that finds no free slot while the share is asking for more waits for that
   * answer and takes one of the slots it brought, if one is left: so a request never races the share's ask
   * at the entity (with a limit of one, the share's slot and the request's own lease would refuse each other).
   * Null when none could be had: the request asks the entity itself.
   */
  public CompletionStage<String> acquire(KeyEntry key) {
    String slot = take(key);
    if (slot != null) {
      return CompletableFuture.completedFuture(slot);
    }
    NodeShare share = shares.get(key.id());
    CompletableFuture<Void> growing = share == null ? null : share.growth();
    if (growing == null) {
      return CompletableFuture.completedFuture(null);
    }
    return growing.thenApply(done -> takeFree(key));
  }

  /**
   * A free slot of the key's share, or null, without asking for more: for a request the key's entity refused
   * for concurrency while this node's share was growing (the slots granted meanwhile are this node's to use).
   */
  public String takeFree(KeyEntry key) {
    NodeShare share = AdmissionMode.sharesSlots(key) ? shares.get(key.id()) : null;
    return share == null ? null : share.take();
  }

  /** The request that took {@code slot} ended. */
  public void giveBack(String keyId, String slot) {
    NodeShare share = shares.get(keyId);
    if (share == null) {
      release(keyId, List.of(slot));
      return;
    }
    release(keyId, share.giveBack(slot, clock.getAsLong()));
  }

  /** Returns the free slots that sat unused too long. */
  public void check() {
    long now = clock.getAsLong();
    shares.forEach((keyId, share) -> release(keyId, share.idle(now, IDLE.toMillis())));
  }

  /** Slots of the key's share taken by requests on this node now. */
  public int inUse(String keyId) {
    NodeShare share = shares.get(keyId);
    return share == null ? 0 : share.inUse();
  }

  /** Free slots of the key's share on this node. */
  public int free(String keyId) {
    NodeShare share = shares.get(keyId);
    return share == null ? 0 : share.free();
  }

  private void grow(String keyId, NodeShare share) {
    int n = share.startGrowing(clock.getAsLong());
    if (n <= 0) {
      return;
    }
    String entity = ApiKeyEntity.persistenceId(keyId).id();
    List<String> asked = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String slot = slotPrefix + counter.incrementAndGet();
      asked.add(slot);
      // Noted before asking: an entity restarting meanwhile learns of the slot from this node's holder.
      book.held(entity, slot);
    }
    entities.grant(keyId, asked).whenComplete((granted, failure) -> {
      CompletableFuture<Void> answered = share.answered();
      if (failure != null) {
        share.failed(clock.getAsLong());
        // The entity may have granted them after all, once the ask gave up.
        release(keyId, asked);
        complete(answered);
        return;
      }
      Set<String> ours = new HashSet<>(asked);
      List<String> kept = granted.stream().filter(ours::contains).toList();
      Set<String> grantedSet = new HashSet<>(kept);
      asked.stream().filter(s -> !grantedSet.contains(s)).forEach(s -> book.released(entity, s));
      release(keyId, share.granted(kept, clock.getAsLong()));
      complete(answered);
    });
  }

  private static void complete(CompletableFuture<Void> answered) {
    if (answered != null) {
      answered.complete(null);
    }
  }

  private void release(String keyId, List<String> slots) {
    if (slots.isEmpty()) {
      return;
    }
    String entity = ApiKeyEntity.persistenceId(keyId).id();
    for (String slot : slots) {
      entities.release(keyId, slot);
      book.released(entity, slot);
    }
  }
}
