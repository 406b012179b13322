package dev.relaycluster.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.AdminClient;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.NodeProcess;
import dev.relaycluster.testing.OutageProxy;
import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.ThreeNodeCluster;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Three relay nodes in three JVM processes on the cluster profile, like {@link ThreeNodeCluster}, but reaching
 * PostgreSQL and Redis through an {@link OutageProxy} each, so a test can make either unreachable for every
 * node at once without touching the machine's servers. The test itself reads the database directly.
 */
final class OutageCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<NodeProcess> nodes = new ArrayList<>();
  private final String database;
  private final MockAnthropic mock;
  private final OutageProxy postgres;
  private final OutageProxy redis;
  private final String redisPrefix = "relay-outage-suite-" + UUID.randomUUID() + ":";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final Path dir;

  private OutageCluster(Path dir, String database, MockAnthropic mock, OutageProxy postgres, OutageProxy redis) {
    this.dir = dir;
    this.database = database;
    this.mock = mock;
    this.postgres = postgres;
    this.redis = redis;
  }

  static OutageCluster start(String name) throws Exception {
    Path dir = Path.of("target", "cluster-tests", name + "-" + UUID.randomUUID().toString().substring(0, 8))
        .toAbsolutePath();
    Files.createDirectories(dir);
    OutageCluster cluster = new OutageCluster(dir, TestDatabases.create(), new MockAnthropic(),
        new OutageProxy("127.0.0.1", 5432, null), new OutageProxy("127.0.0.1", 6379, null));
    try {
      String viaProxy = cluster.database.replace("127.0.0.1:5432/", "127.0.0.1:" + cluster.postgres.port() + "/");
      int[] http = {NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort()};
      int[] remoting = {NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort()};
      List<String> seeds = new ArrayList<>();
      for (int p : remoting) {
        seeds.add("pekko://relay@127.0.0.1:" + p);
      }
      for (int i = 0; i < 3; i++) {
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("CLUSTER_HOST", "127.0.0.1");
        env.put("CLUSTER_SEED_NODES", String.join(",", seeds));
        env.put("RELAY_DB_URL", viaProxy);
        env.put("RELAY_DB_USER", TestDatabases.USER);
        env.put("REDIS_HOST", "127.0.0.1");
        env.put("REDIS_PORT", Integer.toString(cluster.redis.port()));
        env.put("REDIS_KEY_PREFIX", cluster.redisPrefix);
        env.put("ENCRYPTION_KEY", "cluster-test-encryption-key-0123456789abcdef");
        env.put("ADMIN_USERNAME", AdminClient.ADMIN_USER);
        env.put("ADMIN_PASSWORD", AdminClient.ADMIN_PASSWORD);
        env.put("RELAY_DATA_DIR", dir.resolve("node-" + (i + 1)).toString());
        // As the other cluster tests: a node that died is downed within seconds, not the production 10 s.
        env.put("RELAY_SBR_STABLE_AFTER", "2s");
        env.put("RELAY_DRAIN_BALANCER_GRACE", "1s");
        cluster.nodes.add(new NodeProcess(env, http[i], remoting[i], dir.resolve("node-" + (i + 1) + ".log")));
      }
      for (NodeProcess n : cluster.nodes) {
        n.start();
      }
      for (int i = 0; i < 3; i++) {
        cluster.awaitHealthy(i, 3, Duration.ofSeconds(120));
      }
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  NodeProcess node(int index) {
    return nodes.get(index);
  }

  List<String> baseUrls() {
    return nodes.stream().map(NodeProcess::baseUrl).toList();
  }

  AdminClient admin(int index) {
    return new AdminClient(nodes.get(index).baseUrl());
  }

  MockAnthropic mock() {
    return mock;
  }

  OutageProxy postgres() {
    return postgres;
  }

  OutageProxy redis() {
    return redis;
  }

  /** Where the nodes keep their data and logs. */
  Path dir() {
    return dir;
  }

  /** The JDBC URL of the cluster's database, direct (not through the proxy). */
  String databaseUrl() {
    return database;
  }

  /** Waits until the node answers /health with 200 and sees {@code members} members Up and reachable. */
  void awaitHealthy(int index, int members, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(nodes.get(index).baseUrl() + "/health"))
            .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
        last = r.body();
        if (r.statusCode() == 200 && upMembers(JSON.readTree(r.body())) == members) {
          return;
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("node " + (index + 1) + " not healthy with " + members + " members; last: " + last
        + "\nlog tail: " + ThreeNodeCluster.tail(nodes.get(index).log()));
  }

  private static int upMembers(JsonNode health) {
    int up = 0;
    for (JsonNode m : health.get("cluster").get("members")) {
      if ("Up".equals(m.get("status").asText()) && m.get("reachable").asBoolean()) {
        up++;
      }
    }
    return up;
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess n : nodes) {
      if (n.alive()) {
        n.kill9();
      }
    }
    mock.close();
    postgres.close();
    redis.close();
    try (RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
         StatefulRedisConnection<String, String> connection = client.connect()) {
      List<String> keys = connection.sync().keys(redisPrefix + "*");
      if (!keys.isEmpty()) {
        connection.sync().del(keys.toArray(String[]::new));
      }
    } catch (RuntimeException e) {
      System.err.println("could not clean the test's Redis keys: " + e.getMessage());
    }
    TestDatabases.drop(database);
  }
}
