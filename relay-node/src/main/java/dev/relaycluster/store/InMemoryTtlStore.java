package dev.relaycluster.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** The embedded default's TTL store: a concurrent map whose entries expire; swept every 30 s. */
public final class InMemoryTtlStore implements TtlStore {
  private record Entry(String value, long expiresAtMillis) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final LongSupplier clock;
  private final ScheduledExecutorService sweeper;

  public InMemoryTtlStore() {
    this(System::currentTimeMillis);
  }

  public InMemoryTtlStore(LongSupplier clock) {
    this.clock = clock;
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ttl-store-sweeper");
      t.setDaemon(true);
      return t;
    });
    sweeper.scheduleWithFixedDelay(this::sweep, 30, 30, TimeUnit.SECONDS);
  }

  private Entry live(String key) {
    Entry e = entries.get(key);
    if (e != null && e.expiresAtMillis() <= clock.getAsLong()) {
      entries.remove(key, e);
      return null;
    }
    return e;
  }

  @Override
  public CompletionStage<Optional<String>> get(String key) {
    Entry e = live(key);
    return CompletableFuture.completedFuture(Optional.ofNullable(e).map(Entry::value));
  }

  @Override
  public CompletionStage<Void> set(String key, String value, Duration ttl) {
    entries.put(key, new Entry(value, clock.getAsLong() + ttl.toMillis()));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Boolean> expire(String key, Duration ttl) {
    long now = clock.getAsLong();
    Entry updated = entries.computeIfPresent(key, (k, e) ->
        e.expiresAtMillis() <= now ? null : new Entry(e.value(), now + ttl.toMillis()));
    return CompletableFuture.completedFuture(updated != null);
  }

  @Override
  public CompletionStage<Void> delete(String key) {
    entries.remove(key);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Long> increment(String key, Duration ttl) {
    long now = clock.getAsLong();
    Entry e = entries.compute(key, (k, old) -> {
      if (old == null || old.expiresAtMillis() <= now) {
        return new Entry("1", now + ttl.toMillis());
      }
      return new Entry(Long.toString(Long.parseLong(old.value()) + 1), old.expiresAtMillis());
    });
    return CompletableFuture.completedFuture(Long.parseLong(e.value()));
  }

  @Override
  public CompletionStage<Void> ping() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String kind() {
    return "memory";
  }

  private void sweep() {
    long now = clock.getAsLong();
    entries.entrySet().removeIf(e -> e.getValue().expiresAtMillis() <= now);
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
