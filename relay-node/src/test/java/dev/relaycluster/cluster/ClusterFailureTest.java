package dev.relaycluster.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.testing.AdminClient;
import dev.relaycluster.testing.Nginx;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.ThreeNodeCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Nodes leaving a working cluster: one after another by SIGTERM under streaming load behind nginx
 * (no stream fails), and one by kill -9 with streams in flight elsewhere (they finish, their usage is
 * recorded exactly once, and the dead node's leases come back).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailureTest {
  private ThreeNodeCluster cluster;

  @BeforeAll
  void start() throws Exception {
    assertTrue(Nginx.installed(), "nginx from the OS packages is needed (.ci/run installs it)");
    cluster = ThreeNodeCluster.start("failure");
    AdminClient admin = cluster.admin(0);
    admin.createConsoleAccount("a", cluster.mock().baseUrl(), "sk-ant-failure-A", 10);
    admin.createConsoleAccount("b", cluster.mock().baseUrl(), "sk-ant-failure-B", 10);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void rollingRestartUnderStreamingLoadFailsNoStream() throws Exception {
    try (Nginx lb = Nginx.start(cluster.dir().resolve("nginx"), cluster.httpPorts())) {
      AdminClient admin = new AdminClient(lb.baseUrl());
      JsonNode key = admin.createKey("rolling", 0);
      String plain = key.get("key").asText();
      List<String> warmUps = new ArrayList<>();
      for (int node = 0; node < 3; node++) {
        warmUps.add(awaitAccepted(cluster.node(node).baseUrl(), plain).requestId());
      }
      // A second key with a concurrency limit of 2, hammered by four clients: the limit must hold while
      // the key's entity moves from node to node.
      String limited = admin.createKey("rolling-limited", 2).get("key").asText();
      for (int node = 0; node < 3; node++) {
        awaitAccepted(cluster.node(node).baseUrl(), limited);
      }
      AtomicBoolean running = new AtomicBoolean(true);
      ConcurrentLinkedQueue<RelayCall> results = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<RelayCall> limitedResults = new ConcurrentLinkedQueue<>();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        Thread t = new Thread(() -> {
          while (running.get()) {
            RelayCall r = RelayCall.call(lb.baseUrl(), limited, true, "mock-paced-limited", null);
            limitedResults.add(r);
            if (r.status() == 429) {
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                return;
              }
            }
          }
        }, "limited-" + c);
        t.start();
        clients.add(t);
      }
      for (int c = 0; c < 4; c++) {
        String session = UUID.randomUUID().toString();
        Thread t = new Thread(() -> {
          while (running.get()) {
            results.add(RelayCall.call(lb.baseUrl(), plain, true, "mock-paced", session));
          }
        }, "load-" + c);
        t.start();
        clients.add(t);
      }
      Thread.sleep(2000);
      for (int node = 0; node < 3; node++) {
        cluster.restart(node);
        Thread.sleep(1000);
      }
      running.set(false);
      for (Thread t : clients) {
        t.join(60_000);
      }

      assertTrue(cluster.mock().maxConcurrent("mock-paced-limited") <= 2,
          "the key limited to 2 had " + cluster.mock().maxConcurrent("mock-paced-limited") + " streams at once");
      assertTrue(limitedResults.stream().anyMatch(RelayCall::completeStream));
      assertTrue(limitedResults.stream().allMatch(r -> r.completeStream() || r.status() == 429),
          () -> "limited key: only whole streams or 429s, got " + limitedResults.stream()
              .filter(r -> !r.completeStream() && r.status() != 429).findFirst().orElse(null));
      List<RelayCall> failed = results.stream().filter(r -> !r.completeStream()).toList();
      assertTrue(failed.isEmpty(), () -> failed.size() + " of " + results.size() + " streams failed, e.g. " + failed.get(0));
      assertTrue(results.size() >= 30, "the load ran throughout: " + results.size() + " streams");

      // Usage of every stream recorded exactly once: the key's own count and the request log agree with the clients.
      // A request a node could not admit in time during its restart is answered 503 and ledgered as a refusal;
      // the balancer then retries it on another node (proxy_next_upstream http_503), so the client never sees
      // that id. Such rows may be in the log beside the clients' ids, and nothing else may.
      Set<String> ids = new HashSet<>(warmUps);
      results.forEach(r -> ids.add(r.requestId()));
      assertEquals(results.size() + warmUps.size(), ids.size());
      String keyId = key.get("id").asText();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      long requests = -1;
      while (System.nanoTime() < deadline) {
        requests = admin.admin("GET", "/admin/api/keys/" + keyId, null).get("requests").asLong();
        if (requests >= ids.size()) {
          break;
        }
        Thread.sleep(250);
      }
      long counted = requests;
      JsonNode rows = admin.awaitRequests(keyId, r -> r.size() >= counted);
      Set<String> logged = new HashSet<>();
      rows.forEach(r -> logged.add(r.get("requestId").asText()));
      assertEquals(rows.size(), logged.size(), "one row per request");
      assertTrue(logged.containsAll(ids), "every stream a client got is in the request log");
      for (JsonNode row : rows) {
        if (!ids.contains(row.get("requestId").asText())) {
          assertEquals(503, row.get("status").asInt(), "a row no client saw is a refusal a balancer retried: " + row);
          assertEquals("REFUSED", row.get("outcome").asText(), row.toString());
        }
      }
      assertEquals(logged.size(), admin.admin("GET", "/admin/api/keys/" + keyId, null).get("requests").asLong(),
          "the key's entity counted each request once");
    }
  }

  @Test
  @Order(2)
  void killNineOfANodeLetsStreamsElsewhereFinishKeepsUsageExactAndFreesItsLeases() throws Exception {
    AdminClient admin = cluster.admin(0);
    JsonNode key = admin.createKey("survives-kill", 3);
    String plain = key.get("key").asText();
    List<String> completed = new ArrayList<>();
    for (int node = 0; node < 3; node++) {
      completed.add(awaitAccepted(cluster.node(node).baseUrl(), plain).requestId());
    }

    CompletableFuture<RelayCall> viaNode1 = RelayCall.send(cluster.node(0).baseUrl(), plain, true, "mock-slow", null);
    CompletableFuture<RelayCall> viaNode2 = RelayCall.send(cluster.node(1).baseUrl(), plain, true, "mock-slow", null);
    CompletableFuture<RelayCall> viaNode3 = RelayCall.send(cluster.node(2).baseUrl(), plain, true, "mock-slow", null);
    Thread.sleep(600);
    cluster.node(2).kill9();

    RelayCall one = viaNode1.join();
    RelayCall two = viaNode2.join();
    assertTrue(one.completeStream(), "stream through node 1 finished: " + one);
    assertTrue(two.completeStream(), "stream through node 2 finished: " + two);
    assertTrue(!viaNode3.join().completeStream(), "the stream through the killed node could not finish");

    // The dead node's lease on the key comes back: three streams at once are admitted again.
    long killedAt = System.nanoTime();
    List<RelayCall> admittedAgain = null;
    while (System.nanoTime() - killedAt < Duration.ofSeconds(45).toNanos()) {
      List<CompletableFuture<RelayCall>> probe = List.of(
          RelayCall.send(cluster.node(0).baseUrl(), plain, true, "mock-paced", null),
          RelayCall.send(cluster.node(1).baseUrl(), plain, true, "mock-paced", null),
          RelayCall.send(cluster.node(0).baseUrl(), plain, true, "mock-paced", null));
      List<RelayCall> answers = probe.stream().map(CompletableFuture::join).toList();
      // Every admitted request is recorded, whatever its answer; admitted answers carry their request id.
      answers.stream().filter(r -> r.requestId() != null).forEach(r -> completed.add(r.requestId()));
      if (answers.stream().allMatch(RelayCall::completeStream)) {
        admittedAgain = answers;
        break;
      }
      Thread.sleep(500);
    }
    assertTrue(admittedAgain != null, "the killed node's lease was never released");
    long seconds = (System.nanoTime() - killedAt) / 1_000_000_000;
    assertTrue(seconds < 45, "leases came back after " + seconds + " s");

    completed.add(one.requestId());
    completed.add(two.requestId());
    int expected = completed.size();
    String keyId = key.get("id").asText();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long requests = -1;
    while (System.nanoTime() < deadline) {
      requests = admin.admin("GET", "/admin/api/keys/" + keyId, null).get("requests").asLong();
      if (requests >= expected) {
        break;
      }
      Thread.sleep(250);
    }
    assertEquals(expected, requests, "every admitted request counted once, none twice");
    JsonNode rows = admin.awaitRequests(keyId, r -> r.size() >= expected);
    Set<String> logged = new HashSet<>();
    rows.forEach(r -> logged.add(r.get("requestId").asText()));
    assertEquals(new HashSet<>(completed), logged);
  }

  /** Calls until the node accepts the key (refusals are not admitted, so only the answered call is recorded). */
  private static RelayCall awaitAccepted(String baseUrl, String key) throws Exception {
    for (int i = 0; i < 200; i++) {
      RelayCall call = RelayCall.call(baseUrl, key, false, "claude-sonnet-4-5", null);
      if (call.status() == 200) {
        return call;
      }
      Thread.sleep(25);
    }
    throw new AssertionError(baseUrl + " never accepted the key");
  }
}
