package dev.relaycluster.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * The actor-system config of the entity tests that run an entity in {@code EventSourcedBehaviorTestKit}:
 * the cluster provider on a free local port (the entities write Distributed Data views, which need it), the
 * persistence test kit's in-memory journal and snapshot store instead of the node's JDBC plug-ins, then the
 * node's own configuration.
 */
public final class EntityTestKitConfig {
  /** The config to pass to {@code ActorTestKit.create(name, CONFIG)}. */
  public static final Config CONFIG = ConfigFactory.parseString("""
          pekko.actor.provider = cluster
          pekko.remote.artery.canonical.hostname = 127.0.0.1
          pekko.remote.artery.canonical.port = 0
          pekko.persistence.journal.auto-start-journals = []
          pekko.persistence.snapshot-store.auto-start-snapshot-stores = []
          """)
      .withFallback(EventSourcedBehaviorTestKit.config())
      .withFallback(ConfigFactory.load());

  private EntityTestKitConfig() {
  }
}
