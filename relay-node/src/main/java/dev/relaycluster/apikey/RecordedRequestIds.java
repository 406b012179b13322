package dev.relaycluster.apikey;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The request ids a key's entity has written usage for since it started, the newest {@code capacity} of
 * them; in memory only, owned by the entity's actor. The state's own list (512 ids, in every snapshot)
 * covers restarts; this covers a burst: when thousands of streams end at once, a settlement can wait in
 * the entity's stash longer than its sender's ask timeout and come again after far more than 512 others
 * were written, and must still be counted once.
 */
final class RecordedRequestIds {
  private final int capacity;
  private final Set<String> ids = new LinkedHashSet<>();

  RecordedRequestIds(int capacity) {
    this.capacity = capacity;
  }

  boolean contains(String id) {
    return ids.contains(id);
  }

  void addAll(Collection<String> written) {
    for (String id : written) {
      ids.add(id);
    }
    var oldest = ids.iterator();
    while (ids.size() > capacity && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }
}
