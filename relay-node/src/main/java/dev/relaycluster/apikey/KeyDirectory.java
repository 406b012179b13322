package dev.relaycluster.apikey;

import dev.relaycluster.node.ReplicatedView;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hash → key lookups on the request path, from the node-local replica of every key. Fed by each
 * {@link ApiKeyEntity} when its definition changes, and rebuilt from the journal at start-up.
 */
public final class KeyDirectory {
  private final ReplicatedView<KeyEntry> view;
  private volatile Map<String, KeyEntry> byHash = Map.of();

  public KeyDirectory(ReplicatedView<KeyEntry> view) {
    this.view = view;
    view.onChange(entries -> {
      Map<String, KeyEntry> index = new HashMap<>();
      entries.values().forEach(e -> index.put(e.keyHash(), e));
      byHash = Map.copyOf(index);
    });
  }

  public Optional<KeyEntry> findByHash(String keyHash) {
    return Optional.ofNullable(byHash.get(keyHash));
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
