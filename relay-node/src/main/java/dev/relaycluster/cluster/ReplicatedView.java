package dev.relaycluster.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

/**
 * A map of versioned entries replicated to every node with Distributed Data, and readable on the
 * request path without any hop: reads hit a node-local immutable snapshot. Each entry has a single
 * writer (its entity) and a growing revision, so merges keep the highest revision of each id and a
 * stale write never replaces a newer one. Entries are never removed; owners mark them deleted.
 */
public final class ReplicatedView<V extends Versioned> {

  private sealed interface Command {}

  private record Publish<V>(List<V> entries) implements Command {}

  private record ReplicaChanged<V extends Versioned>(Replicator.SubscribeResponse<LWWMap<String, V>> response)
      implements Command {}

  private record UpdateDone<V extends Versioned>(Replicator.UpdateResponse<LWWMap<String, V>> response)
      implements Command {}

  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);

  private final org.apache.pekko.cluster.ddata.Key<LWWMap<String, V>> key;
  private final AtomicReference<Map<String, V>> snapshot = new AtomicReference<>(Map.of());
  private final ActorRef<Command> replica;

  private ReplicatedView(ActorSystem<?> system, String name) {
    this.key = LWWMapKey.create(name);
    this.replica = system.systemActorOf(replicaBehavior(), "view-" + name, org.apache.pekko.actor.typed.Props.empty());
  }

  public static <V extends Versioned> ReplicatedView<V> start(ActorSystem<?> system, String name) {
    return new ReplicatedView<>(system, name);
  }

  /** The node-local snapshot: every entry by id, including ones their owner marked deleted. */
  public Map<String, V> entries() {
    return snapshot.get();
  }

  /** Makes the entry visible on this node at once, and on every node as soon as replication reaches it. */
  public void publish(V entry) {
    publishAll(List.of(entry));
  }

  public void publishAll(Collection<V> entries) {
    if (entries.isEmpty()) {
      return;
    }
    mergeLocal(entries);
    replica.tell(new Publish<>(List.copyOf(entries)));
  }

  private void mergeLocal(Collection<V> incoming) {
    snapshot.updateAndGet(current -> {
      Map<String, V> merged = null;
      for (V v : incoming) {
        V old = (merged == null ? current : merged).get(v.id());
        if (old == null || old.revision() < v.revision()) {
          if (merged == null) {
            merged = new HashMap<>(current);
          }
          merged.put(v.id(), v);
        }
      }
      return merged == null ? current : Map.copyOf(merged);
    });
  }

  private Behavior<Command> replicaBehavior() {
    return Behaviors.setup(ctx -> DistributedData.<Command, LWWMap<String, V>>withReplicatorMessageAdapter(adapter -> {
      SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
      adapter.subscribe(key, ReplicaChanged::new);
      LWWRegister.Clock<V> revisionClock = (currentTimestamp, value) -> value.revision();
      return Behaviors.receive(Command.class)
          .onMessage(Publish.class, p -> {
            @SuppressWarnings("unchecked")
            List<V> entries = ((Publish<V>) p).entries();
            adapter.askUpdate(
                replyTo -> new Replicator.Update<>(key, LWWMap.empty(), new Replicator.WriteAll(WRITE_TIMEOUT), replyTo,
                    map -> {
                      LWWMap<String, V> next = map;
                      for (V v : entries) {
                        scala.Option<V> old = next.get(v.id());
                        if (old.isEmpty() || old.get().revision() < v.revision()) {
                          next = next.put(self, v.id(), v, revisionClock);
                        }
                      }
                      return next;
                    }),
                UpdateDone::new);
            return Behaviors.same();
          })
          .onMessage(ReplicaChanged.class, c -> {
            @SuppressWarnings("unchecked")
            Replicator.SubscribeResponse<LWWMap<String, V>> response = ((ReplicaChanged<V>) c).response();
            if (response instanceof Replicator.Changed<LWWMap<String, V>> changed) {
              mergeLocal(changed.get(key).getEntries().values());
            }
            return Behaviors.same();
          })
          // A write that did not reach every node in time is still applied locally and spreads by gossip.
          .onMessage(UpdateDone.class, u -> Behaviors.same())
          .build();
    }));
  }
}
