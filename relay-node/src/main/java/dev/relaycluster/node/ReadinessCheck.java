package dev.relaycluster.node;

import dev.relaycluster.cluster.NodeDrain;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/** Pekko Management readiness check: not ready once the node drains, so Kubernetes stops sending it traffic. */
public final class ReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final NodeDrain drain;

  public ReadinessCheck(ActorSystem system) {
    this.drain = NodeDrain.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(!drain.draining());
  }
}
