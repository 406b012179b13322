package dev.relaycluster.apikey;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The bounded list of request ids a key's entity remembers, so that a settlement sent twice is counted
 * once. Every usage event appends to it and every settlement looks it up, on the key's one actor, so the
 * list keeps the ids' hash codes in an array of their own: a lookup scans 2 KB of ints instead of
 * visiting 512 strings spread over the heap. Immutable; it serializes as a plain list of ids.
 */
final class RecentRequestIds extends AbstractList<String> implements RandomAccess {
  private final String[] ids;
  private final int[] hashes;

  private RecentRequestIds(String[] ids, int[] hashes) {
    this.ids = ids;
    this.hashes = hashes;
  }

  /** {@code ids} with {@code id} added at the end, keeping the newest {@code max}; {@code ids} is not changed. */
  static List<String> append(List<String> ids, String id, int max) {
    return appendAll(ids, List.of(id), max);
  }

  /**
   * {@code ids} with {@code added} appended in order, keeping the newest {@code max}: the same list as appending them
   * one by one, made with one copy (a usage batch event holds up to 500 requests); {@code ids} is not changed.
   */
  static List<String> appendAll(List<String> ids, List<String> added, int max) {
    int fromAdded = Math.max(0, added.size() - max);
    int take = added.size() - fromAdded;
    int keep = Math.min(ids.size(), max - take);
    String[] nextIds = new String[keep + take];
    int[] nextHashes = new int[keep + take];
    int from = ids.size() - keep;
    if (ids instanceof RecentRequestIds recent) {
      System.arraycopy(recent.ids, from, nextIds, 0, keep);
      System.arraycopy(recent.hashes, from, nextHashes, 0, keep);
    } else {
      for (int i = 0; i < keep; i++) {
        nextIds[i] = ids.get(from + i);
        nextHashes[i] = nextIds[i].hashCode();
      }
    }
    for (int i = 0; i < take; i++) {
      String id = added.get(fromAdded + i);
      nextIds[keep + i] = id;
      nextHashes[keep + i] = id.hashCode();
    }
    return new RecentRequestIds(nextIds, nextHashes);
  }

  /** Whether {@code id} is in {@code ids}, newest first (a repeated settlement is usually a recent one). */
  static boolean contains(List<String> ids, String id) {
    if (ids instanceof RecentRequestIds recent) {
      int hash = id.hashCode();
      for (int i = recent.hashes.length - 1; i >= 0; i--) {
        if (recent.hashes[i] == hash && recent.ids[i].equals(id)) {
          return true;
        }
      }
      return false;
    }
    return ids.contains(id);
  }

  @Override
  public String get(int index) {
    return ids[index];
  }

  @Override
  public int size() {
    return ids.length;
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof String s && contains(this, s);
  }
}
