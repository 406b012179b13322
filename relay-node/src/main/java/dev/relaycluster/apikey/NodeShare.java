package dev.relaycluster.apikey;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One key's share on one node (see {@link KeyShares}): the slots its entity granted this node, free or
 * taken by a request, the key's limit as the node's replica last said, and whether an ask for more is out.
 * Free slots are a stack: a request takes the one freed last, and the one returned first is the one that
 * sat unused longest. Every method answers the slots the
 * caller must now release to the entity. Safe for any thread (each method holds the share's lock).
 */
final class NodeShare {
  /** After an ask that got nothing, how long before asking again. */
  static final long REFUSED_PAUSE_MILLIS = 200;

  private record Free(String slot, long since) {}

  /** Newest first. */
  private final ArrayDeque<Free> free = new ArrayDeque<>();
  private int inUse;
  private int limit;
  private boolean growing;
  /** Completed once the ask for more slots that is out has been answered (and its slots are free here). */
  private CompletableFuture<Void> growth;
  private long askAgainAt;

  /** The key's concurrency limit on the replica now, 0 when it no longer shares slots. */
  synchronized List<String> limit(int limit) {
    this.limit = Math.max(0, limit);
    return drop(ShareSizing.toReturn(this.limit, inUse, free.size(), 0));
  }

  /** A free slot for a request, or null when none is free. */
  synchronized String take() {
    Free f = free.pollFirst();
    if (f == null) {
      return null;
    }
    inUse++;
    return f.slot();
  }

  /** A request ended: its slot is free again (or returned, when the share is now too big for the limit). */
  synchronized List<String> giveBack(String slot, long now) {
    inUse = Math.max(0, inUse - 1);
    free.addFirst(new Free(slot, now));
    return drop(ShareSizing.toReturn(limit, inUse, free.size(), 0));
  }

  /** The periodic check: free slots that sat unused for {@code idleMillis} beyond what the share needs. */
  synchronized List<String> idle(long now, long idleMillis) {
    int idleFree = 0;
    for (Iterator<Free> it = free.descendingIterator(); it.hasNext() && now - it.next().since() >= idleMillis; ) {
      idleFree++;
    }
    return drop(ShareSizing.toReturn(limit, inUse, free.size(), idleFree));
  }

  /** How many slots to ask for now; when more than 0 an ask is out until {@link #granted} or {@link #failed}. */
  synchronized int startGrowing(long now) {
    if (growing || now < askAgainAt) {
      return 0;
    }
    int n = ShareSizing.toAsk(limit, inUse, inUse + free.size());
    growing = n > 0;
    if (growing) {
      growth = new CompletableFuture<>();
    }
    return n;
  }

  /** While an ask for more slots is out: what completes once it has been answered; else null. */
  synchronized CompletableFuture<Void> growth() {
    return growing ? growth : null;
  }

  /**
   * The ask that is out has been answered: its future, taken off the share (still growing, so no other ask
   * starts meanwhile), for the caller to complete after {@link #granted} or {@link #failed} and outside the
   * share's lock (its waiters then take the slots it brought). Null when none is out.
   */
  synchronized CompletableFuture<Void> answered() {
    CompletableFuture<Void> done = growth;
    growth = null;
    return done;
  }

  /** The entity granted these slots: they join the free ones, as far as the limit and the margin allow. */
  synchronized List<String> granted(List<String> slots, long now) {
    growing = false;
    askAgainAt = slots.isEmpty() ? now + REFUSED_PAUSE_MILLIS : 0;
    for (String slot : slots) {
      free.addFirst(new Free(slot, now));
    }
    return drop(ShareSizing.toReturn(limit, inUse, free.size(), 0));
  }

  synchronized void failed(long now) {
    growing = false;
    askAgainAt = now + REFUSED_PAUSE_MILLIS;
  }

  synchronized int inUse() {
    return inUse;
  }

  synchronized int free() {
    return free.size();
  }

  /** Takes the {@code n} free slots that sat unused longest. */
  private List<String> drop(int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n && !free.isEmpty(); i++) {
      out.add(free.pollLast().slot());
    }
    return out;
  }
}
