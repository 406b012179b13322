package dev.relaycluster.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * Actor test kits for the tests that need the cluster provider without a node: on a free local port with the
 * node's own configuration, and, for the tests that route through sharding, a cluster of one that has joined
 * itself.
 */
public final class ClusterTestKits {
  /** The cluster provider on a free local port, then the node's own configuration. */
  public static final Config CONFIG = ConfigFactory.parseString("""
          pekko.actor.provider = cluster
          pekko.remote.artery.canonical.hostname = 127.0.0.1
          pekko.remote.artery.canonical.port = 0
          """)
      .withFallback(ConfigFactory.load());

  private ClusterTestKits() {
  }

  /** A system with the cluster provider that has not joined a cluster. */
  public static ActorTestKit create(String name) {
    return ActorTestKit.create(name, CONFIG);
  }

  /** A cluster of one: the system has asked to join itself (sharding's regions wait for that to finish). */
  public static ActorTestKit oneNodeCluster(String name) {
    ActorTestKit testKit = create(name);
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    return testKit;
  }
}
