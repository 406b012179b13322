package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.TestNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Admission without a hop to the key's entity, through HTTP on one node with a mock Anthropic upstream: a
 * key without limits is admitted on the node (its entity holds no lease for the request) and its usage is
 * recorded once; a key limited by concurrency only, hammered, never has more requests upstream than its limit;
 * a key with a cost limit is admitted on the node's budget share (no lease per request), which goes back once
 * idle; a key with a rate window, hammered, is served exactly its window's requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeySharesRelayTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockAnthropic mock;
  private TestNode node;

  @BeforeAll
  void start() throws Exception {
    mock = new MockAnthropic();
    node = TestNode.embedded(Files.createTempDirectory("relay-shares-"), Map.of());
    node.createConsoleAccount("account", mock.baseUrl(), "sk-ant-api03-shares", 10);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (mock != null) {
      mock.close();
    }
  }

  private JsonNode createKey(String options) throws Exception {
    ObjectNode body = (ObjectNode) JSON.readTree(options);
    body.put("name", "key-" + UUID.randomUUID());
    return node.admin("POST", "/admin/api/keys", body);
  }

  private CompletableFuture<HttpResponse<String>> send(String key, String model) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .header("anthropic-version", "2023-06-01")
        .header("x-api-key", key)
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
        .build();
    return node.http().sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode usage(String keyId) throws Exception {
    return node.admin("GET", "/admin/api/keys/" + keyId, null).get("usage");
  }

  @Test
  void aKeyWithoutLimitsIsAdmittedOnTheNodeAndItsUsageRecordedOnce() throws Exception {
    JsonNode created = createKey("{}");
    String id = created.get("id").asText();
    String model = "mock-slow";
    int before = mock.received().size();
    CompletableFuture<HttpResponse<String>> call = send(created.get("key").asText(), model);
    // Once the request is upstream (its stream lasts about two seconds), the key's entity holds no lease for it.
    for (int i = 0; i < 200 && mock.received().size() == before && !call.isDone(); i++) {
      Thread.sleep(10);
    }
    assertTrue(mock.received().size() > before, "the request went upstream");
    assertEquals(0, usage(id).get("inFlight").asInt(), "admitted without a lease on the key's entity");
    HttpResponse<String> answer = call.join();
    assertEquals(200, answer.statusCode(), answer.body());
    String requestId = answer.headers().firstValue("x-relay-request-id").orElseThrow();

    JsonNode rows = node.awaitRequests(id, data -> data.size() >= 1);
    assertEquals(1, rows.size(), rows.toString());
    assertEquals(requestId, rows.get(0).get("requestId").asText());
    assertEquals("COMPLETED", rows.get(0).get("outcome").asText());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (usage(id).get("requests").asLong() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(1, usage(id).get("requests").asLong(), "the key's entity counted it once");
    assertTrue(usage(id).get("tokens").asLong() > 0, "with its tokens");
  }

  @Test
  void aKeyLimitedByConcurrencyNeverHasMoreThanItsLimitUpstream() throws Exception {
    JsonNode created = createKey("{\"concurrencyLimit\": 2}");
    String key = created.get("key").asText();
    String model = "mock-paced-shares-" + UUID.randomUUID();
    int ok = 0;
    for (int round = 0; round < 4; round++) {
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(send(key, model));
      }
      for (CompletableFuture<HttpResponse<String>> c : calls) {
        HttpResponse<String> r = c.join();
        assertTrue(r.statusCode() == 200 || r.statusCode() == 429, r.statusCode() + " " + r.body());
        if (r.statusCode() == 200) {
          assertTrue(r.body().endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), r.body());
          ok++;
        }
      }
    }
    assertTrue(ok >= 4, "every round served requests: " + ok);
    assertTrue(mock.maxConcurrent(model) <= 2, "upstream saw " + mock.maxConcurrent(model) + " at once");
    assertEquals(2, mock.maxConcurrent(model), "the limit was used");
  }

  @Test
  void aKeyWithACostLimitIsAdmittedOnTheNodesShareWhichGoesBackOnceIdle() throws Exception {
    JsonNode created = createKey("{\"dailyCostLimit\": 5}");
    String id = created.get("id").asText();
    int before = mock.received().size();
    CompletableFuture<HttpResponse<String>> call = send(created.get("key").asText(), "mock-slow");
    for (int i = 0; i < 200 && mock.received().size() == before && !call.isDone(); i++) {
      Thread.sleep(10);
    }
    assertTrue(mock.received().size() > before, "the request went upstream");
    JsonNode during = usage(id);
    assertEquals(0, during.get("inFlight").asInt(), "admitted without a lease on the key's entity");
    assertTrue(new BigDecimal(during.get("reservedInFlight").asText()).signum() > 0, "the node's share is reserved");
    HttpResponse<String> answer = call.join();
    assertEquals(200, answer.statusCode(), answer.body());

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonNode after = usage(id);
    while ((after.get("requests").asLong() < 1 || new BigDecimal(after.get("reservedInFlight").asText()).signum() != 0)
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
      after = usage(id);
    }
    assertEquals(1, after.get("requests").asLong(), "recorded once");
    assertTrue(new BigDecimal(after.get("costToday").asText()).signum() > 0, "its cost counts toward the limit");
    assertEquals(0, new BigDecimal(after.get("reservedInFlight").asText()).signum(), "the idle share went back");
  }

  @Test
  void aKeyWithARateWindowIsServedExactlyItsWindowsRequests() throws Exception {
    JsonNode created = createKey("{\"rateLimit\": {\"windowMinutes\": 60, \"requests\": 5}}");
    String key = created.get("key").asText();
    String model = "mock-paced-window-" + UUID.randomUUID();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(send(key, model));
    }
    int ok = 0;
    int refused = 0;
    for (CompletableFuture<HttpResponse<String>> c : calls) {
      HttpResponse<String> r = c.join();
      assertTrue(r.statusCode() == 200 || r.statusCode() == 429, r.statusCode() + " " + r.body());
      ok += r.statusCode() == 200 ? 1 : 0;
      refused += r.statusCode() == 429 ? 1 : 0;
    }
    assertEquals(5, ok, "the window's five");
    assertEquals(7, refused);
    assertEquals(429, send(key, model).join().statusCode(), "still none left once every share went back");
    JsonNode window = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    do {
      Thread.sleep(100);
      window = usage(created.get("id").asText()).get("window");
    } while (window.get("requests").asLong() != 5 && System.nanoTime() < deadline);
    assertEquals(5, window.get("requests").asLong(), window.toString());
  }
}
