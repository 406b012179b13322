package dev.relaycluster.session;

import dev.relaycluster.store.TtlStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** A TTL store that passes every call to another, for overriding one call. */
class DelegatingStore implements TtlStore {
  private final TtlStore inner;

  DelegatingStore(TtlStore inner) {
    this.inner = inner;
  }

  @Override
  public CompletionStage<Optional<String>> get(String key) {
    return inner.get(key);
  }

  @Override
  public CompletionStage<Void> set(String key, String value, Duration ttl) {
    return inner.set(key, value, ttl);
  }

  @Override
  public CompletionStage<Boolean> expire(String key, Duration ttl) {
    return inner.expire(key, ttl);
  }

  @Override
  public CompletionStage<Void> delete(String key) {
    return inner.delete(key);
  }

  @Override
  public CompletionStage<Long> increment(String key, Duration ttl) {
    return inner.increment(key, ttl);
  }

  @Override
  public CompletionStage<Void> ping() {
    return inner.ping();
  }

  @Override
  public String kind() {
    return inner.kind();
  }

  @Override
  public void close() {
    inner.close();
  }
}
