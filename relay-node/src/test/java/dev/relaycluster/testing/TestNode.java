package dev.relaycluster.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.relaycluster.node.RelayNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A relay node started in this JVM on free ports, with the admin client for tests. The same
 * settings a user gives through the environment are given here as config overrides.
 */
public final class TestNode extends AdminClient implements AutoCloseable {
  public static final String ADMIN_USER = AdminClient.ADMIN_USER;
  public static final String ADMIN_PASSWORD = AdminClient.ADMIN_PASSWORD;

  private final RelayNode node;

  private TestNode(RelayNode node) {
    super("http://127.0.0.1:" + node.port());
    this.node = node;
  }

  /** Starts on the embedded default (H2 in {@code dataDir}, in-process TTL store). */
  public static TestNode embedded(Path dataDir, Map<String, Object> extra) {
    Map<String, Object> cfg = base(dataDir);
    cfg.putAll(extra);
    return start(cfg);
  }

  /** Starts on PostgreSQL (the given database) and Redis (keys under a prefix of its own). */
  public static TestNode postgresAndRedis(Path dataDir, String jdbcUrl, String redisPrefix, Map<String, Object> extra) {
    Map<String, Object> cfg = base(dataDir);
    cfg.put("relay.db.url", jdbcUrl);
    cfg.put("relay.db.user", TestDatabases.USER);
    cfg.put("relay.db.password", "");
    cfg.put("relay.redis.host", "127.0.0.1");
    cfg.put("relay.redis.port", 6379);
    cfg.put("relay.redis.key-prefix", redisPrefix);
    cfg.put("relay.encryption-key", "an-encryption-key-for-tests-only-0123456789");
    cfg.putAll(extra);
    return start(cfg);
  }

  private static Map<String, Object> base(Path dataDir) {
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("relay.host", "127.0.0.1");
    cfg.put("relay.port", 0);
    cfg.put("relay.data-dir", dataDir.toString());
    cfg.put("relay.admin.username", ADMIN_USER);
    cfg.put("relay.admin.password", ADMIN_PASSWORD);
    cfg.put("relay.db.url", "");
    cfg.put("relay.redis.host", "");
    cfg.put("relay.encryption-key", "");
    cfg.put("pekko.remote.artery.canonical.port", 0);
    cfg.put("relay.upstream.response-timeout", "1500ms");
    // No balancer sits in front of a test node: closing stops listening at once instead of after the 5 s
    // a balancer is given to see "draining" (in-flight requests are still awaited). A test may set it back.
    cfg.put("relay.drain.balancer-grace", "0s");
    return cfg;
  }

  private static TestNode start(Map<String, Object> cfg) {
    Config config = ConfigFactory.parseMap(cfg).withFallback(ConfigFactory.load());
    return new TestNode(RelayNode.start(config));
  }

  public RelayNode node() {
    return node;
  }

  @Override
  public void close() {
    node.close();
  }
}
