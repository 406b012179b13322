package dev.relaycluster.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The circuit breaker around a TTL store, over a store that fails, hangs or answers as the test says. */
class GuardedTtlStoreTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("GuardedTtlStoreTest");
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  /** A store whose get fails, never answers, or answers "v"; counts the calls that reach it. */
  private static final class ScriptedStore implements TtlStore {
    enum Mode { FAIL, HANG, ANSWER }

    volatile Mode mode = Mode.FAIL;
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public CompletionStage<Optional<String>> get(String key) {
      calls.incrementAndGet();
      return switch (mode) {
        case FAIL -> CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
        case HANG -> new CompletableFuture<>();
        case ANSWER -> CompletableFuture.completedFuture(Optional.of("v"));
      };
    }

    @Override
    public CompletionStage<Void> set(String key, String value, Duration ttl) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Boolean> expire(String key, Duration ttl) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> delete(String key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Long> increment(String key, Duration ttl) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> ping() {
      return get("ping").thenApply(v -> null);
    }

    @Override
    public String kind() {
      return "scripted";
    }

    @Override
    public void close() {}
  }

  private static GuardedTtlStore guarded(ScriptedStore store, Duration callTimeout, Duration resetTimeout) {
    return new GuardedTtlStore(store, testKit.system().classicSystem().scheduler(), 3, callTimeout, resetTimeout);
  }

  private static Throwable failure(CompletionStage<?> stage) throws Exception {
    try {
      stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  /** The breaker counts a failure just after its caller sees it: wait (bounded) until the third one is counted. */
  private static void awaitOpen(GuardedTtlStore guarded) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!guarded.failingFast() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(guarded.failingFast(), "the circuit opened");
  }

  @Test
  void afterThreeFailuresCallsFailFastWithoutReachingTheStore() throws Exception {
    ScriptedStore store = new ScriptedStore();
    GuardedTtlStore guarded = guarded(store, Duration.ofSeconds(2), Duration.ofMinutes(1));
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(StorageUnavailableException.class, failure(guarded.get("k")));
    }
    awaitOpen(guarded);
    for (int i = 0; i < 10; i++) {
      Throwable fast = failure(guarded.get("k"));
      assertInstanceOf(StorageUnavailableException.class, fast);
      assertFalse(fast.getMessage().contains("connection refused"), fast.getMessage());
    }
    assertEquals(3, store.calls.get(), "no call reached the store while the circuit was open");
  }

  @Test
  void aHungStoreCountsAsFailingAfterTheCallTimeout() throws Exception {
    ScriptedStore store = new ScriptedStore();
    store.mode = ScriptedStore.Mode.HANG;
    GuardedTtlStore guarded = guarded(store, Duration.ofMillis(200), Duration.ofMinutes(1));
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(StorageUnavailableException.class, failure(guarded.get("k")));
    }
    awaitOpen(guarded);
    assertInstanceOf(StorageUnavailableException.class, failure(guarded.ping()));
    assertEquals(3, store.calls.get());
  }

  @Test
  void afterTheResetTimeoutOneSuccessClosesTheCircuit() throws Exception {
    ScriptedStore store = new ScriptedStore();
    GuardedTtlStore guarded = guarded(store, Duration.ofSeconds(2), Duration.ofMillis(300));
    for (int i = 0; i < 3; i++) {
      failure(guarded.get("k"));
    }
    awaitOpen(guarded);
    store.mode = ScriptedStore.Mode.ANSWER;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Optional<String> answer = Optional.empty();
    while (answer.isEmpty() && System.nanoTime() < deadline) {
      try {
        answer = guarded.get("k").toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        assertInstanceOf(StorageUnavailableException.class, e.getCause());
        Thread.sleep(50);
      }
    }
    assertEquals(Optional.of("v"), answer);
    assertFalse(guarded.failingFast());
    int before = store.calls.get();
    assertEquals(Optional.of("v"), guarded.get("k").toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals(before + 1, store.calls.get());
  }
}
