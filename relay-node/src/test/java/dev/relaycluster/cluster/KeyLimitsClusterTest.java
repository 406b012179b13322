package dev.relaycluster.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.AdminClient;
import dev.relaycluster.testing.ThreeNodeCluster;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A key's concurrency and cost limits hammered through three nodes in three processes at once: the
 * upstream never sees more of the key's requests at once than its limit, and its spending never passes
 * its cost limit by more than one request's estimate, however the requests spread over the nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyLimitsClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final int MAX_TOKENS = 4096;

  private ThreeNodeCluster cluster;
  private AdminClient admin;

  @BeforeAll
  void start() throws Exception {
    cluster = ThreeNodeCluster.start("key-limits");
    admin = cluster.admin(0);
    admin.createConsoleAccount("pool", cluster.mock().baseUrl(), "sk-ant-key-limits", 10);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String body(String model) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":" + MAX_TOKENS + ",\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  private CompletableFuture<HttpResponse<String>> send(int node, String key, String model) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.node(node).baseUrl() + "/api/v1/messages"))
        .timeout(Duration.ofSeconds(60))
        .header("content-type", "application/json")
        .header("anthropic-version", "2023-06-01")
        .header("x-api-key", key)
        .header("user-agent", "claude-cli/2.0.14 (external, cli)")
        .POST(HttpRequest.BodyPublishers.ofString(body(model)))
        .build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until every node knows the key (its holder endpoint answers 200 there). */
  private void awaitKnownEverywhere(String key) throws Exception {
    for (int node = 0; node < 3; node++) {
      int status = 0;
      for (int i = 0; i < 100 && status != 200; i++) {
        status = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.node(node).baseUrl() + "/api/v1/key-usage"))
            .header("x-api-key", key).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        if (status != 200) {
          Thread.sleep(50);
        }
      }
      assertEquals(200, status, "key known on node " + (node + 1));
    }
  }

  private JsonNode createKey(String options) throws Exception {
    JsonNode body = JSON.readTree(options);
    ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("name", "cluster-" + UUID.randomUUID());
    JsonNode created = admin.admin("POST", "/admin/api/keys", body);
    awaitKnownEverywhere(created.get("key").asText());
    return created;
  }

  /** Sends {@code n} requests at once, spread over the three nodes; returns their statuses. */
  private List<Integer> wave(String key, String model, int n) {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(send(i % 3, key, model));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> c : calls) {
      HttpResponse<String> r = c.join();
      if (r.statusCode() == 200) {
        assertTrue(r.body().endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), r.body());
      }
      statuses.add(r.statusCode());
    }
    return statuses;
  }

  @Test
  void theConcurrencyLimitHoldsThroughEveryNodeAtOnce() throws Exception {
    String model = "mock-paced-concurrency-" + UUID.randomUUID();
    String key = createKey("{\"concurrencyLimit\": 2}").get("key").asText();
    int ok = 0;
    int limited = 0;
    for (int round = 0; round < 4; round++) {
      for (int status : wave(key, model, 15)) {
        ok += status == 200 ? 1 : 0;
        limited += status == 429 ? 1 : 0;
      }
    }
    assertEquals(60, ok + limited, "every request was either served or refused with 429");
    assertTrue(ok >= 2 * 4, "each wave used the two slots: " + ok);
    assertTrue(cluster.mock().maxConcurrent(model) <= 2,
        "upstream saw " + cluster.mock().maxConcurrent(model) + " of the key's requests at once");
  }

  @Test
  void theCostLimitIsNeverPassedByMoreThanOneEstimate() throws Exception {
    String model = "mock-paced-cost-" + UUID.randomUUID();
    long limit = 200_000;
    JsonNode created = createKey("{\"totalCostLimit\": 0.2}");
    String key = created.get("key").asText();
    String id = created.get("id").asText();
    // The model is unknown to the price table: estimated at $3/$15 per million tokens in/out.
    long estimate = (body(model).length() + 3) / 4 * 3 + MAX_TOKENS * 15L;

    int served = 0;
    int refused = 0;
    int idleRounds = 0;
    for (int round = 0; round < 16; round++) {
      List<Integer> statuses = wave(key, model, 12);
      int servedNow = (int) statuses.stream().filter(s -> s == 200).count();
      served += servedNow;
      refused += (int) statuses.stream().filter(s -> s == 402).count();
      assertEquals(12, statuses.stream().filter(s -> s == 200 || s == 402).count(), statuses.toString());
      idleRounds = servedNow == 0 ? idleRounds + 1 : 0;
      if (idleRounds == 2) {
        break;
      }
      // Let the served requests settle, so the next wave is judged by real cost rather than reservations.
      Thread.sleep(300);
    }
    assertTrue(served >= 3, "served " + served);
    assertTrue(refused > 0, "the limit was reached");

    // Every served request is in the key's totals exactly once; the limit held within one estimate.
    JsonNode view = null;
    for (int i = 0; i < 100; i++) {
      view = cluster.admin(1).admin("GET", "/admin/api/keys/" + id, null);
      if (view.get("usage").get("requests").asLong() >= served + refused) {
        break;
      }
      Thread.sleep(100);
    }
    long spent = micros(view.get("usage").get("costTotal"));
    JsonNode rows = cluster.admin(2).awaitRequests(id, data -> data.size() >= 1);
    long maxRequestCost = 0;
    long sumOfRows = 0;
    for (int i = 0; i < 100 && rows.size() < served + refused; i++) {
      Thread.sleep(100);
      rows = cluster.admin(2).admin("GET", "/admin/api/usage/requests?keyId=" + id + "&limit=1000", null).get("data");
    }
    int completed = 0;
    for (JsonNode row : rows) {
      if (row.get("outcome").asText().equals("COMPLETED")) {
        completed++;
        sumOfRows += row.get("costMicros").asLong();
        maxRequestCost = Math.max(maxRequestCost, row.get("costMicros").asLong());
      }
    }
    System.out.printf("cost limit through three nodes: %d served, %d refused, spent %d µ$ of %d (estimate %d,"
        + " largest request %d)%n", served, refused, spent, limit, estimate, maxRequestCost);
    assertEquals(served, completed, "one ledger row per served request");
    assertEquals(sumOfRows, spent, "the key's total is the sum of its requests");
    assertTrue(maxRequestCost <= estimate, "a request's real cost " + maxRequestCost + " fits its estimate " + estimate);
    assertTrue(spent <= limit + estimate, "spent " + spent + " µ$ against a limit of " + limit + " + one estimate "
        + estimate);
    assertTrue(spent >= limit - estimate, "the budget was used: " + spent);
  }

  private static long micros(JsonNode usd) {
    return new BigDecimal(usd.asText()).movePointRight(6).longValueExact();
  }
}
