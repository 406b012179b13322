package dev.relaycluster.session;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * This node's copy of the session bindings its requests were routed by: session entity id → the bound
 * account and when the session's entity last confirmed it ({@link CachedBinding}). Filled from the
 * entity's answers so that the next requests of a conversation need no hop to it while the binding stays
 * fit and fresh. Bounded: past {@code capacity} the least recently used bindings are dropped (a dropped
 * one only costs one ask). Thread-safe without a global lock: the map is split into stripes by session,
 * each locked on its own. One per actor system ({@link #get}), shared by the node's HTTP and WebSocket
 * routes.
 */
public final class BindingCache implements Extension {
  /** Bindings a node keeps by default: a few MB, far more conversations than a node serves at once. */
  public static final int DEFAULT_CAPACITY = 100_000;
  private static final int STRIPES = 64;

  public static final ExtensionId<BindingCache> ID = new ExtensionId<>() {
    @Override
    public BindingCache createExtension(ActorSystem<?> system) {
      return new BindingCache(DEFAULT_CAPACITY);
    }
  };

  public static BindingCache get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final Stripe[] stripes;

  /**
   * A cache of at most {@code capacity} bindings. A small one (under 1,024) is a single exact LRU; a large
   * one is split into stripes of {@code capacity / 64} each, so it holds at most {@code capacity}.
   */
  public BindingCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    int n = capacity >= 1024 ? STRIPES : 1;
    stripes = new Stripe[n];
    for (int i = 0; i < n; i++) {
      stripes[i] = new Stripe(capacity / n);
    }
  }

  /** The binding of a session as last confirmed here, or null; counts as a use for the eviction order. */
  public CachedBinding get(String sessionId) {
    Stripe s = stripe(sessionId);
    synchronized (s) {
      return s.get(sessionId);
    }
  }

  /** The session's entity answered that the session is bound to {@code accountId}, at {@code now}. */
  public void confirmed(String sessionId, String accountId, long now) {
    Stripe s = stripe(sessionId);
    synchronized (s) {
      s.put(sessionId, new CachedBinding(accountId, now));
    }
  }

  /** Forgets a session's binding (it is no longer fit, or its entity had no account). */
  public void drop(String sessionId) {
    Stripe s = stripe(sessionId);
    synchronized (s) {
      s.remove(sessionId);
    }
  }

  /** How many bindings are kept now. */
  public int size() {
    int total = 0;
    for (Stripe s : stripes) {
      synchronized (s) {
        total += s.size();
      }
    }
    return total;
  }

  private Stripe stripe(String sessionId) {
    int h = sessionId.hashCode();
    h ^= h >>> 16;
    return stripes[(h & 0x7fffffff) % stripes.length];
  }

  /** One stripe: a map in access order that drops its eldest entry past its share of the capacity. */
  private static final class Stripe extends LinkedHashMap<String, CachedBinding> {
    private static final long serialVersionUID = 1L;
    private final int max;

    Stripe(int max) {
      super(16, 0.75f, true);
      this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CachedBinding> eldest) {
      return size() > max;
    }
  }
}
