package dev.relaycluster.node;

import dev.relaycluster.cluster.NodeDrain;
import dev.relaycluster.config.RelaySettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node joins its cluster and leaves it: the seed and shutdown-phase settings, joining (static seeds,
 * itself, or Kubernetes bootstrap), waiting until it is up, and draining on SIGTERM before its shards hand over.
 */
final class ClusterMembership {
  private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);

  private ClusterMembership() {}

  /** Seed nodes and shutdown phase timeouts, which follow from the relay settings. */
  static Config clusterConfig(RelaySettings settings) {
    long grace = settings.drain().balancerGrace().toMillis();
    long deadline = settings.drain().deadline().toMillis();
    return ConfigFactory.empty()
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(settings.cluster().seedNodes()))
        .withValue("pekko.coordinated-shutdown.phases.before-service-unbind.timeout",
            ConfigValueFactory.fromAnyRef((grace + 5_000) + "ms"))
        .withValue("pekko.coordinated-shutdown.phases.service-requests-done.timeout",
            ConfigValueFactory.fromAnyRef((deadline + 15_000) + "ms"));
  }

  static void joinCluster(ActorSystem<?> system, RelaySettings.Cluster cluster) {
    if (cluster.management() || cluster.kubernetesBootstrap()) {
      PekkoManagement.get(Adapter.toClassic(system)).start();
    }
    if (cluster.kubernetesBootstrap()) {
      ClusterBootstrap.get(Adapter.toClassic(system)).start();
    } else if (cluster.joinsItself()) {
      Cluster self = Cluster.get(system);
      self.manager().tell(Join.create(self.selfMember().address()));
    }
  }

  /**
   * Drains on coordinated shutdown (SIGTERM): report draining so balancers stop sending; after their
   * grace, close the listener; wait for in-flight requests to finish and settle, up to the deadline;
   * then the cluster phases hand this node's shards over and leave.
   */
  static void drainOnShutdown(ActorSystem<?> system, ServerBinding binding, RelaySettings.Drain drain) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    NodeDrain state = NodeDrain.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "relay-start-draining", () -> {
      state.startDraining();
      log.info("draining: {} requests in flight; closing the listener in {} ms", state.inFlight(),
          drain.balancerGrace().toMillis());
      return org.apache.pekko.pattern.Patterns.after(drain.balancerGrace(), system.classicSystem().scheduler(),
          system.executionContext(), () -> java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance()));
    });
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "relay-unbind", () -> binding.unbind());
    shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "relay-in-flight-done", () ->
        state.awaitIdle(drain.deadline()).thenCompose(drained -> {
          if (!drained) {
            log.warn("drain deadline reached with {} requests still in flight", state.inFlight());
          }
          return binding.terminate(Duration.ofSeconds(5)).thenApply(t -> Done.getInstance());
        }));
    shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "close-upstream-pools",
        () -> Http.get(system).shutdownAllConnectionPools().thenApply(v -> Done.getInstance()));
  }

  static void waitUntilUp(ActorSystem<?> system, Duration timeout) throws InterruptedException {
    Cluster cluster = Cluster.get(system);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (cluster.selfMember().status() != MemberStatus.up()
        && cluster.selfMember().status() != MemberStatus.weaklyUp()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("this node did not join its cluster within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(20);
    }
  }
}
