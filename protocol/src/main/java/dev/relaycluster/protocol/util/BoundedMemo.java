package dev.relaycluster.protocol.util;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Results of a pure function kept by argument, for arguments that repeat (a few upstream URIs, a few model
 * names). At most {@code capacity} are kept; past that, further arguments are computed on every call, so
 * arguments that never repeat cannot grow it. A computation that throws keeps nothing. Safe for any thread;
 * two threads may compute the same result once each.
 */
public final class BoundedMemo<K, V> {
    private final int capacity;
    private final Function<K, V> compute;
    private final ConcurrentHashMap<K, V> kept = new ConcurrentHashMap<>();

    /** {@code compute} must not return null; wrap a possibly missing result in an Optional. */
    public BoundedMemo(int capacity, Function<K, V> compute) {
        this.capacity = capacity;
        this.compute = compute;
    }

    public V get(K key) {
        V known = kept.get(key);
        if (known != null) {
            return known;
        }
        V fresh = compute.apply(key);
        if (kept.size() < capacity) {
            kept.putIfAbsent(key, fresh);
        }
        return fresh;
    }

    /** How many results are kept. */
    public int size() {
        return kept.size();
    }
}
