package dev.relaycluster.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Short-lived shared state with expiry: sticky session bindings, admin sessions, login throttles.
 * Redis in a cluster; an in-process map on the embedded single node.
 */
public interface TtlStore extends AutoCloseable {
  CompletionStage<Optional<String>> get(String key);

  CompletionStage<Void> set(String key, String value, Duration ttl);

  /** Extends the key's expiry; false if it no longer exists. */
  CompletionStage<Boolean> expire(String key, Duration ttl);

  CompletionStage<Void> delete(String key);

  /** Increments a counter, starting its expiry when it is created; returns the new value. */
  CompletionStage<Long> increment(String key, Duration ttl);

  /** A round trip that proves the store answers. */
  CompletionStage<Void> ping();

  /** "memory" or "redis", for the health report. */
  String kind();

  @Override
  void close();
}
