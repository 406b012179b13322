package dev.relaycluster.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The node's drain state, one per actor system: whether it still takes new relay requests, and how
 * many relayed requests are still in flight (counted until their usage is settled). Read by the
 * routes, the health endpoint and the readiness check; driven by coordinated shutdown.
 */
public final class NodeDrain implements Extension {
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile CompletableFuture<Void> idle = CompletableFuture.completedFuture(null);

  public static final ExtensionId<NodeDrain> ID = new ExtensionId<>() {
    @Override
    public NodeDrain createExtension(ActorSystem<?> system) {
      return new NodeDrain();
    }
  };

  public static NodeDrain get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public boolean draining() {
    return draining.get();
  }

  public void startDraining() {
    draining.set(true);
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** A relayed request begins; pair with exactly one {@link #finished()}. */
  public synchronized void started() {
    if (inFlight.getAndIncrement() == 0) {
      idle = new CompletableFuture<>();
    }
  }

  public synchronized void finished() {
    if (inFlight.decrementAndGet() == 0) {
      idle.complete(null);
    }
  }

  /** Completes when no request is in flight, or when the deadline passes; true if it drained fully. */
  public CompletionStage<Boolean> awaitIdle(Duration deadline) {
    CompletableFuture<Void> current;
    synchronized (this) {
      current = idle;
    }
    return current.thenApply(v -> true)
        .completeOnTimeout(false, deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
