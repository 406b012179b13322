package dev.relaycluster.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.AdminClient;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.ThreeNodeCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three nodes in three processes act as one relay: limits are exact whichever nodes requests come
 * through, sessions stick across nodes, and directory changes reach every node promptly (usually within a second).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "claude-sonnet-4-5-20250929";

  private ThreeNodeCluster cluster;
  private String accountA;
  private String accountB;

  @BeforeAll
  void start() throws Exception {
    cluster = ThreeNodeCluster.start("cluster");
    accountA = cluster.admin(0).createConsoleAccount("a", cluster.mock().baseUrl(), "sk-ant-cluster-A", 10);
    accountB = cluster.admin(1).createConsoleAccount("b", cluster.mock().baseUrl(), "sk-ant-cluster-B", 10);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private String url(int node) {
    return cluster.node(node).baseUrl();
  }

  @Test
  void everyNodeShowsTheWholeClusterAndWhereAccountsLive() throws Exception {
    for (int i = 0; i < 3; i++) {
      cluster.awaitHealthy(i, 3, java.time.Duration.ofSeconds(5));
    }
    JsonNode view = cluster.admin(2).admin("GET", "/admin/api/cluster", null);
    assertEquals(3, view.get("members").size());
    Set<String> members = new HashSet<>();
    view.get("members").forEach(m -> members.add(m.get("address").asText()));
    assertTrue(view.get("accounts").size() >= 2);
    for (JsonNode a : view.get("accounts")) {
      assertNotNull(a.get("node").textValue(), a.toString());
      assertTrue(members.contains(a.get("node").asText()), a + " lives on a member");
    }
    // Shard statistics per entity type: the accounts just asked are awake, on the nodes the answer named.
    Set<String> types = new HashSet<>();
    long awakeAccounts = 0;
    for (JsonNode e : view.get("entities")) {
      types.add(e.get("type").asText());
      for (JsonNode n : e.get("nodes")) {
        assertTrue(members.contains(n.get("node").asText()), n + " is a member");
        if (e.get("type").asText().equals("account")) {
          awakeAccounts += n.get("entities").asLong();
        }
      }
    }
    assertEquals(Set.of("account", "key", "session"), types, view.toString());
    assertTrue(awakeAccounts >= view.get("accounts").size(), view.toString());
    // An account's health history is read from its journal on PostgreSQL as on the embedded default.
    String anAccount = view.get("accounts").get(0).get("id").asText();
    assertTrue(cluster.admin(1).admin("GET", "/admin/api/accounts/" + anAccount + "/history", null)
        .get("data").isArray());
  }

  @Test
  void aKeysConcurrencyLimitHoldsAcrossAllNodesAtOnce() throws Exception {
    String key = cluster.admin(0).createKey("limited", 3).get("key").asText();
    awaitAccepted(key, 1);
    awaitAccepted(key, 2);
    List<CompletableFuture<RelayCall>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(RelayCall.send(url(i % 3), key, true, "mock-slow", null));
    }
    int ok = 0;
    int limited = 0;
    for (CompletableFuture<RelayCall> c : calls) {
      RelayCall r = c.join();
      if (r.status() == 200) {
        assertTrue(r.completeStream(), r.body());
        ok++;
      } else if (r.status() == 429) {
        limited++;
      } else {
        System.err.println("unexpected answer: " + r);
      }
    }
    assertEquals(3, ok, "exactly the limit is admitted, wherever requests arrive");
    assertEquals(9, limited);
    assertEquals(200, RelayCall.call(url(1), key, false, MODEL, null).status(), "the leases came back");
  }

  @Test
  void anAccountsConcurrencyLimitHoldsAcrossAllNodesAtOnce() throws Exception {
    AdminClient admin = cluster.admin(0);
    admin.admin("PATCH", "/admin/api/accounts/" + accountA, JSON.createObjectNode().put("paused", true));
    admin.admin("PATCH", "/admin/api/accounts/" + accountB, JSON.createObjectNode().put("paused", true));
    String narrow = admin.admin("POST", "/admin/api/accounts", JSON.createObjectNode().put("name", "narrow")
        .put("type", "claude-console").put("baseUrl", cluster.mock().baseUrl()).put("apiKey", "sk-ant-narrow")
        .put("maxConcurrency", 2)).get("id").asText();
    try {
      String key = admin.createKey("unlimited", 0).get("key").asText();
      for (int node = 0; node < 3; node++) {
        awaitAccountsVisible(node, narrow);
      }
      List<CompletableFuture<RelayCall>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(RelayCall.send(url(i % 3), key, true, "mock-slow", null));
      }
      int ok = 0;
      int unavailable = 0;
      for (CompletableFuture<RelayCall> c : calls) {
        RelayCall r = c.join();
        ok += r.status() == 200 ? 1 : 0;
        unavailable += r.status() == 503 ? 1 : 0;
      }
      assertEquals(2, ok, "the account never serves more than its limit");
      assertEquals(6, unavailable);
    } finally {
      admin.admin("DELETE", "/admin/api/accounts/" + narrow, null);
      admin.admin("PATCH", "/admin/api/accounts/" + accountA, JSON.createObjectNode().put("paused", false));
      admin.admin("PATCH", "/admin/api/accounts/" + accountB, JSON.createObjectNode().put("paused", false));
    }
  }

  private static final long PROPAGATION_BOUND_MS = 2_500;

  @Test
  void aSessionLandsOnOneAccountWhicheverNodeItComesThrough() throws Exception {
    String key = cluster.admin(2).createKey("sticky", 0).get("key").asText();
    for (int node = 0; node < 3; node++) {
      awaitAccepted(key, node);
    }
    for (int s = 0; s < 3; s++) {
      String session = UUID.randomUUID().toString();
      cluster.mock().clear();
      for (int node : new int[] {0, 2, 1, 2, 0, 1}) {
        assertEquals(200, RelayCall.call(url(node), key, false, MODEL, session).status());
      }
      List<MockAnthropic.Received> seen = cluster.mock().received();
      assertEquals(6, seen.size());
      assertEquals(1, seen.stream().map(r -> r.header("x-api-key")).distinct().count(),
          "session " + session + " stayed on one account");
    }
  }

  @Test
  void anyNodeShowsTheDecisionTraceOfARequestAnotherNodeServed() throws Exception {
    String key = cluster.admin(1).createKey("traced", 0).get("key").asText();
    awaitAccepted(key, 1);
    RelayCall served = RelayCall.call(url(1), key, false, MODEL, UUID.randomUUID().toString());
    assertEquals(200, served.status());
    for (int node : new int[] {0, 2}) {
      JsonNode t = cluster.admin(node).admin("GET", "/admin/api/requests/" + served.requestId() + "/trace", null);
      assertTrue(t.get("traceKept").asBoolean(), t.toString());
      assertEquals(cluster.admin(1).admin("GET", "/admin/api/requests/" + served.requestId() + "/trace", null)
          .get("trace").get("node").asText(), t.get("trace").get("node").asText(), "the serving node's trace");
      assertEquals("session", t.get("trace").get("attempts").get(0).get("routedBy").asText(), t.toString());
      assertEquals(200, t.get("trace").get("end").get("status").asInt(), t.toString());
    }
  }

  /**
   * A change is written to every node directly, and gossiped every 500 ms for a node the direct write
   * missed. Usually under a second here; the bound leaves room for a loaded CI machine, where three node
   * JVMs and the tests share two cores (1.6 s has been seen), while still failing a change that only a
   * restart or the slow default gossip would spread.
   */
  @Test
  void keysAndAccountChangesReachEveryNodePromptly() throws Exception {
    JsonNode created = cluster.admin(0).createKey("propagating", 0);
    long createdAt = System.nanoTime();
    String key = created.get("key").asText();
    for (int node : new int[] {1, 2}) {
      long ms = awaitStatus(key, node, s -> s != 401, createdAt);
      assertTrue(ms < PROPAGATION_BOUND_MS, "key accepted on node " + (node + 1) + " after " + ms + " ms");
    }

    cluster.admin(1).admin("DELETE", "/admin/api/keys/" + created.get("id").asText(), null);
    long revokedAt = System.nanoTime();
    for (int node : new int[] {0, 2}) {
      long ms = awaitStatus(key, node, s -> s == 401, revokedAt);
      assertTrue(ms < PROPAGATION_BOUND_MS, "revoked key refused on node " + (node + 1) + " after " + ms + " ms");
    }

    AdminClient admin2 = cluster.admin(2);
    admin2.admin("PATCH", "/admin/api/accounts/" + accountA, JSON.createObjectNode().put("paused", true));
    long pausedAt = System.nanoTime();
    try {
      for (int node : new int[] {0, 1}) {
        AdminClient a = cluster.admin(node);
        long ms;
        while (true) {
          ms = (System.nanoTime() - pausedAt) / 1_000_000;
          JsonNode accounts = a.admin("GET", "/admin/api/accounts", null).get("data");
          boolean paused = false;
          for (JsonNode acc : accounts) {
            paused |= acc.get("id").asText().equals(accountA) && acc.get("status").asText().equals("paused");
          }
          if (paused || ms > 5000) {
            break;
          }
          Thread.sleep(20);
        }
        assertTrue(ms < PROPAGATION_BOUND_MS, "pause seen on node " + (node + 1) + " after " + ms + " ms");
      }
      String probe = cluster.admin(0).createKey("probe", 0).get("key").asText();
      awaitAccepted(probe, 1);
      cluster.mock().clear();
      for (int i = 0; i < 6; i++) {
        RelayCall r = RelayCall.call(url(i % 2), probe, false, MODEL, null);
        assertEquals(200, r.status(), "through node " + (i % 2 + 1) + ": " + r);
      }
      assertTrue(cluster.mock().received().stream().noneMatch(r -> "sk-ant-cluster-A".equals(r.header("x-api-key"))),
          "a paused account is chosen nowhere");
    } finally {
      admin2.admin("PATCH", "/admin/api/accounts/" + accountA, JSON.createObjectNode().put("paused", false));
    }
  }

  private void awaitAccepted(String key, int node) throws Exception {
    awaitStatus(key, node, s -> s == 200, System.nanoTime());
  }

  private void awaitAccountsVisible(int node, String accountId) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (cluster.admin(node).admin("GET", "/admin/api/accounts", null).toString().contains(accountId)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("account never visible on node " + (node + 1));
  }

  /** Milliseconds from {@code since} until a call through the node answers with a status the test accepts. */
  private long awaitStatus(String key, int node, java.util.function.IntPredicate wanted, long since) throws Exception {
    for (int i = 0; i < 500; i++) {
      int status = RelayCall.call(url(node), key, false, MODEL, null).status();
      if (wanted.test(status)) {
        return (System.nanoTime() - since) / 1_000_000;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("node " + (node + 1) + " never answered as expected");
  }
}
