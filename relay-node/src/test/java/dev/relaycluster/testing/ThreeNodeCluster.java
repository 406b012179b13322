package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Three relay nodes in three JVM processes on loopback ports, sharing a fresh PostgreSQL database and
 * Redis, joined through a static seed list, with a mock Anthropic upstream. Each node can be
 * restarted (SIGTERM), killed (SIGKILL) and started again on the same ports.
 */
public final class ThreeNodeCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<NodeProcess> nodes = new ArrayList<>();
  private final String database;
  private final MockAnthropic mock;
  private final Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private ThreeNodeCluster(String database, MockAnthropic mock, Path dir) {
    this.database = database;
    this.mock = mock;
    this.dir = dir;
  }

  public static ThreeNodeCluster start(String name) throws Exception {
    Path dir = Path.of("target", "cluster-tests", name + "-" + UUID.randomUUID().toString().substring(0, 8))
        .toAbsolutePath();
    Files.createDirectories(dir);
    ThreeNodeCluster cluster = new ThreeNodeCluster(TestDatabases.create(), new MockAnthropic(), dir);
    try {
      int[] http = {NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort()};
      int[] remoting = {NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort()};
      List<String> seeds = new ArrayList<>();
      for (int p : remoting) {
        seeds.add("pekko://relay@127.0.0.1:" + p);
      }
      String prefix = "relay-cluster-test-" + UUID.randomUUID() + ":";
      for (int i = 0; i < 3; i++) {
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("CLUSTER_HOST", "127.0.0.1");
        env.put("CLUSTER_SEED_NODES", String.join(",", seeds));
        env.put("RELAY_DB_URL", cluster.database);
        env.put("RELAY_DB_USER", TestDatabases.USER);
        env.put("REDIS_HOST", "127.0.0.1");
        env.put("REDIS_KEY_PREFIX", prefix);
        env.put("ENCRYPTION_KEY", "cluster-test-encryption-key-0123456789abcdef");
        env.put("ADMIN_USERNAME", AdminClient.ADMIN_USER);
        env.put("ADMIN_PASSWORD", AdminClient.ADMIN_PASSWORD);
        env.put("RELAY_DATA_DIR", dir.resolve("node-" + (i + 1)).toString());
        env.put("RELAY_DRAIN_BALANCER_GRACE", "1s");
        env.put("RELAY_SBR_STABLE_AFTER", "2s");
        env.put("RELAY_UPSTREAM_RESPONSE_TIMEOUT", "10s");
        cluster.nodes.add(new NodeProcess(env, http[i], remoting[i], dir.resolve("node-" + (i + 1) + ".log")));
      }
      for (NodeProcess n : cluster.nodes) {
        n.start();
      }
      for (int i = 0; i < 3; i++) {
        cluster.awaitHealthy(i, 3, Duration.ofSeconds(90));
      }
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  public NodeProcess node(int index) {
    return nodes.get(index);
  }

  public List<Integer> httpPorts() {
    return nodes.stream().map(NodeProcess::httpPort).toList();
  }

  public AdminClient admin(int index) {
    return new AdminClient(nodes.get(index).baseUrl());
  }

  public MockAnthropic mock() {
    return mock;
  }

  public Path dir() {
    return dir;
  }

  /** Waits until the node answers /health with 200 and sees {@code members} members Up. */
  public void awaitHealthy(int index, int members, Duration timeout) throws Exception {
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
      } catch (java.io.IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("node " + (index + 1) + " not healthy with " + members + " members; last: " + last
        + "\nlog tail: " + tail(nodes.get(index).log()));
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

  /** SIGTERM, wait for the node to drain and exit, start it again and wait until the cluster is whole. */
  public void restart(int index) throws Exception {
    nodes.get(index).terminate(120);
    nodes.get(index).start();
    awaitHealthy(index, 3, Duration.ofSeconds(90));
  }

  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (Exception e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess n : nodes) {
      if (n.alive()) {
        n.kill9();
      }
    }
    mock.close();
    TestDatabases.drop(database);
  }
}
