package dev.relaycluster.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.pattern.CircuitBreaker;
import org.apache.pekko.pattern.CircuitBreakerOpenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TTL store behind a circuit breaker (Pekko's {@link CircuitBreaker}): after {@code maxFailures}
 * failed or timed-out calls in a row, calls fail at once for {@code resetTimeout}; then one call is let
 * through, and its success closes the circuit again. So an unreachable Redis costs each caller nothing
 * but the failure: sticky routing routes afresh and admin calls answer 503 without waiting a command
 * timeout each. Every failure reaches callers as a {@link StorageUnavailableException}.
 */
public final class GuardedTtlStore implements TtlStore {
  private static final Logger log = LoggerFactory.getLogger(GuardedTtlStore.class);

  private final TtlStore store;
  private final CircuitBreaker breaker;

  public GuardedTtlStore(TtlStore store, Scheduler scheduler, int maxFailures, Duration callTimeout,
      Duration resetTimeout) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("the TTL store's circuit needs max-failures of at least 1");
    }
    this.store = store;
    this.breaker = CircuitBreaker.create(scheduler, maxFailures, callTimeout, resetTimeout)
        .addOnOpenListener(() -> log.warn("the {} TTL store failed {} times in a row: failing fast for {} "
            + "(sticky sessions route afresh, admin calls answer 503)", store.kind(), maxFailures, resetTimeout))
        .addOnHalfOpenListener(() -> log.info("trying the {} TTL store again", store.kind()))
        .addOnCloseListener(() -> log.info("the {} TTL store answers again", store.kind()));
  }

  /** Whether calls fail fast right now (the circuit is open). */
  public boolean failingFast() {
    return breaker.isOpen();
  }

  @Override
  public CompletionStage<Optional<String>> get(String key) {
    return guarded(() -> store.get(key));
  }

  @Override
  public CompletionStage<Void> set(String key, String value, Duration ttl) {
    return guarded(() -> store.set(key, value, ttl));
  }

  @Override
  public CompletionStage<Boolean> expire(String key, Duration ttl) {
    return guarded(() -> store.expire(key, ttl));
  }

  @Override
  public CompletionStage<Void> delete(String key) {
    return guarded(() -> store.delete(key));
  }

  @Override
  public CompletionStage<Long> increment(String key, Duration ttl) {
    return guarded(() -> store.increment(key, ttl));
  }

  @Override
  public CompletionStage<Void> ping() {
    return guarded(store::ping);
  }

  @Override
  public String kind() {
    return store.kind();
  }

  @Override
  public void close() {
    store.close();
  }

  private <T> CompletionStage<T> guarded(Supplier<CompletionStage<T>> call) {
    CompletableFuture<T> out = new CompletableFuture<>();
    breaker.<T>callWithCircuitBreakerCS(() -> {
      try {
        return call.get();
      } catch (RuntimeException e) {
        // A call that throws instead of failing its stage counts as a failure like any other.
        return CompletableFuture.failedFuture(e);
      }
    }).whenComplete((value, failure) -> {
      if (failure == null) {
        out.complete(value);
      } else {
        out.completeExceptionally(unavailable(failure));
      }
    });
    return out;
  }

  private StorageUnavailableException unavailable(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof StorageUnavailableException e) {
      return e;
    }
    String why = cause instanceof CircuitBreakerOpenException
        ? "failing fast after repeated failures"
        : name(cause.getClass()) + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    return new StorageUnavailableException("the " + store.kind() + " TTL store is unavailable (" + why + ")", cause);
  }

  /** A class's simple name; an anonymous class (the breaker's own timeout) goes by its superclass's. */
  private static String name(Class<?> type) {
    Class<?> c = type;
    while (c.getSimpleName().isEmpty() && c.getSuperclass() != null) {
      c = c.getSuperclass();
    }
    return c.getSimpleName();
  }
}
