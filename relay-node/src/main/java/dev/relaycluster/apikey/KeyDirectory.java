package dev.relaycluster.apikey;

import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.protocol.apikey.ApiKeyFormat;
import dev.relaycluster.protocol.util.Hashing;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hash → key lookups on the request path, from the node-local replica of every key. Fed by each
 * {@link ApiKeyEntity} when its definition changes, and rebuilt from the journal at start-up.
 *
 * <p>Keys imported from claude-relay-service keep that relay's hash, {@code sha256(plainKey + salt)} with its
 * old ENCRYPTION_KEY as the salt ({@link KeyEntry#legacySalt}, sealed): a plain key the relay's own hash does not
 * find is hashed again with each distinct legacy salt (there is one per import source, so a handful at most).
 */
public final class KeyDirectory {
  /** The hash index and the snapshot it was built from; rebuilt when the snapshot is replaced. */
  private record Index(Map<String, KeyEntry> snapshot, Map<String, KeyEntry> byHash, List<Salt> salts) {}

  /** A legacy salt as stored (sealed) and opened. */
  private record Salt(String sealed, String plain) {}

  private final ReplicatedView<KeyEntry> view;
  /** Opens a sealed legacy salt; null: imported keys are not looked up by their legacy hash. */
  private final UnaryOperator<String> saltOpener;
  private final Map<String, String> openedSalts = new ConcurrentHashMap<>();
  private volatile Index index = new Index(Map.of(), Map.of(), List.of());

  public KeyDirectory(ReplicatedView<KeyEntry> view) {
    this(view, null);
  }

  /** {@code saltOpener} opens the sealed legacy salts of imported keys (null: no legacy lookups). */
  public KeyDirectory(ReplicatedView<KeyEntry> view, UnaryOperator<String> saltOpener) {
    this.view = view;
    this.saltOpener = saltOpener;
  }

  /**
   * The key a client sent, by its plain text: the relay's own hash of a well-formed key first, then, for keys
   * imported from claude-relay-service, the hash salted with each legacy salt.
   */
  public Optional<KeyEntry> find(String plainKey) {
    if (plainKey == null) {
      return Optional.empty();
    }
    Index current = currentIndex();
    if (ApiKeyFormat.isWellFormed(plainKey)) {
      KeyEntry own = current.byHash().get(ApiKeyFormat.hash(plainKey));
      if (own != null && own.legacySalt() == null) {
        return Optional.of(own);
      }
    }
    // claude-relay-service accepts keys of 10 to 512 characters (its prefix is configurable).
    if (plainKey.length() < 10 || plainKey.length() > 512) {
      return Optional.empty();
    }
    for (Salt salt : current.salts()) {
      KeyEntry legacy = current.byHash().get(Hashing.sha256Hex(plainKey + salt.plain()));
      if (legacy != null && salt.sealed().equals(legacy.legacySalt())) {
        return Optional.of(legacy);
      }
    }
    return Optional.empty();
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
    Index rebuilt = new Index(snapshot, Map.copyOf(byHash), salts(snapshot.values()));
    index = rebuilt;
    return rebuilt;
  }

  /** The distinct legacy salts of the imported keys, opened (each once per node); one that cannot be is left out. */
  private List<Salt> salts(Collection<KeyEntry> entries) {
    if (saltOpener == null) {
      return List.of();
    }
    java.util.Set<String> sealed = new java.util.LinkedHashSet<>();
    entries.forEach(e -> {
      if (e.legacySalt() != null) {
        sealed.add(e.legacySalt());
      }
    });
    List<Salt> out = new java.util.ArrayList<>();
    for (String s : sealed) {
      try {
        out.add(new Salt(s, openedSalts.computeIfAbsent(s, saltOpener)));
      } catch (RuntimeException e) {
        // sealed with another node secret: such keys cannot be found, the others can
      }
    }
    return List.copyOf(out);
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
