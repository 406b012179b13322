package dev.relaycluster.apikey;

import dev.relaycluster.cluster.ReplicatedView;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hash → key lookups on the request path, from the node-local replica of every key. Fed by each
 * {@link ApiKeyEntity} when its definition changes, and rebuilt from the journal at start-up.
 */
public final class KeyDirectory {
  /** The hash index and the snapshot it was built from; rebuilt when the snapshot is replaced. */
  private record Index(Map<String, KeyEntry> snapshot, Map<String, KeyEntry> byHash) {}

  private final ReplicatedView<KeyEntry> view;
  private volatile Index index = new Index(Map.of(), Map.of());

  public KeyDirectory(ReplicatedView<KeyEntry> view) {
    this.view = view;
  }

  public Optional<KeyEntry> findByHash(String keyHash) {
    return Optional.ofNullable(currentIndex().byHash().get(keyHash));
  }

  /**
   * The index of the view's current snapshot. Built from whatever snapshot is current when asked (never
   * from a change notification, which may arrive after a newer one), so it can never go back in time.
   */
  private Index currentIndex() {
    Map<String, KeyEntry> snapshot = view.entries();
    Index current = index;
    if (current.snapshot() == snapshot) {
      return current;
    }
    Map<String, KeyEntry> byHash = new HashMap<>();
    snapshot.values().forEach(e -> byHash.put(e.keyHash(), e));
    Index rebuilt = new Index(snapshot, Map.copyOf(byHash));
    index = rebuilt;
    return rebuilt;
  }

  public Optional<KeyEntry> findById(String keyId) {
    return Optional.ofNullable(view.entries().get(keyId));
  }

  public Collection<KeyEntry> all() {
    return view.entries().values();
  }

  public void publish(KeyEntry entry) {
    view.publish(entry);
  }

  public void publishAll(Collection<KeyEntry> entries) {
    view.publishAll(entries);
  }
}
