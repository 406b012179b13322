package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.OutageProxy;
import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.TestNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cluster profile with Redis behind a proxy the test breaks (the machine's Redis is never touched):
 * hung (every byte held) and stopped (connections refused). Relay requests keep succeeding through the
 * scheduler, the store's circuit opens after a few failures so that later requests do not reach Redis at
 * all, the admin API answers 503 with retry-after, and once Redis answers again bindings made meanwhile
 * are written and admin sessions from before still work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "claude-sonnet-4-5-20250929";
  private static final String ACCOUNT_KEY = "sk-ant-api03-redis-outage";
  private static final int MAX_FAILURES = 3;

  private final String prefix = "relay-redis-outage-" + UUID.randomUUID() + ":";
  private MockAnthropic mock;
  private OutageProxy redisProxy;
  private String database;
  private TestNode node;
  private RedisClient redisClient;
  private StatefulRedisConnection<String, String> redis;
  private String apiKey;

  @BeforeAll
  void start() throws Exception {
    mock = new MockAnthropic();
    redisProxy = new OutageProxy("127.0.0.1", 6379, prefix + "session:");
    database = TestDatabases.create();
    node = TestNode.postgresAndRedis(Files.createTempDirectory("relay-redis-outage-"), database, prefix, Map.of(
        "relay.redis.port", redisProxy.port(),
        "relay.redis.command-timeout", "2s",
        "relay.redis.circuit.max-failures", MAX_FAILURES,
        "relay.redis.circuit.reset-timeout", "3s"));
    node.createConsoleAccount("outage-account", mock.baseUrl(), ACCOUNT_KEY, 10);
    apiKey = node.createKey("outage-key", 0).get("key").asText();
    redisClient = RedisClient.create("redis://127.0.0.1:6379");
    redis = redisClient.connect();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (redis != null) {
      List<String> keys = redis.sync().keys(prefix + "*");
      if (!keys.isEmpty()) {
        redis.sync().del(keys.toArray(String[]::new));
      }
      redis.close();
      redisClient.shutdown();
    }
    if (redisProxy != null) {
      redisProxy.close();
    }
    if (mock != null) {
      mock.close();
    }
    if (database != null) {
      TestDatabases.drop(database);
    }
  }

  @Test
  void aHungRedisOpensTheCircuitAndRequestsGoOnWithoutIt() throws Exception {
    awaitHealthy();
    String token = node.login();
    int sessions = 20;
    List<String> sessionIds = new ArrayList<>();
    int callsBefore = mock.calls(ACCOUNT_KEY);
    int markersBefore = redisProxy.markersSent();
    redisProxy.stall();
    try {
      for (int i = 0; i < sessions; i++) {
        String session = UUID.randomUUID().toString();
        sessionIds.add(session);
        HttpResponse<String> r = relay(session);
        assertEquals(200, r.statusCode(), r::body);
        assertEquals(MockAnthropic.MESSAGE_TEXT, JSON.readTree(r.body()).get("content").get(0).get("text").asText());
      }
      assertEquals(sessions, mock.calls(ACCOUNT_KEY) - callsBefore, "every request reached upstream");
      // Each new session reads (and writes) its binding; without the circuit all 20 would have waited on Redis.
      int reached = redisProxy.markersSent() - markersBefore;
      assertTrue(reached <= 2 * MAX_FAILURES + 2,
          "after " + MAX_FAILURES + " failures the store fails fast; session commands that reached Redis: " + reached);

      assertAdminOutage(node.send("GET", "/admin/api/keys", null, token));
      HttpResponse<String> health = node.send("GET", "/health", null, null);
      assertEquals(503, health.statusCode(), health::body);
      assertFalse(JSON.readTree(health.body()).get("ttlStore").get("ok").asBoolean());
    } finally {
      redisProxy.resume();
    }

    awaitHealthy();
    // Sessions routed while the store failed fast kept their account here; their next request writes it.
    Set<String> before = new HashSet<>(redis.sync().keys(prefix + "session:*"));
    for (String session : sessionIds.subList(10, 13)) {
      assertEquals(200, relay(session).statusCode());
    }
    Set<String> written = awaitNewKeys(before, 3);
    assertEquals(3, written.size(), "the three sessions' bindings were written once Redis answered: " + written);
    assertEquals(200, node.send("GET", "/admin/api/keys", null, token).statusCode());
  }

  @Test
  void aStoppedRedisRefusesAdminCallsWith503AndRelaysOn() throws Exception {
    awaitHealthy();
    String token = node.login();
    int callsBefore = mock.calls(ACCOUNT_KEY);
    redisProxy.down();
    try {
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> r = relay(UUID.randomUUID().toString());
        assertEquals(200, r.statusCode(), r::body);
      }
      assertEquals(10, mock.calls(ACCOUNT_KEY) - callsBefore);
      assertAdminOutage(node.send("GET", "/admin/api/accounts", null, token));
      assertAdminOutage(node.post("/admin/api/login", JSON.createObjectNode()
          .put("username", TestNode.ADMIN_USER).put("password", TestNode.ADMIN_PASSWORD), null));
    } finally {
      redisProxy.up();
    }
    awaitHealthy();
    // The admin session from before the outage is still there. /health asks Redis itself, while admin calls
    // go through the store's breaker, which can still fail fast for the rest of its 3 s after Redis answers.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    HttpResponse<String> after = node.send("GET", "/admin/api/accounts", null, token);
    while (after.statusCode() == 503 && System.nanoTime() < deadline) {
      Thread.sleep(250);
      after = node.send("GET", "/admin/api/accounts", null, token);
    }
    assertEquals(200, after.statusCode(), after::body);
  }

  private HttpResponse<String> relay(String session) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .header("x-api-key", apiKey)
        .header("x-claude-code-session-id", session)
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL + "\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
        .build();
    return node.http().send(req, HttpResponse.BodyHandlers.ofString());
  }

  /** 503 overloaded_error with retry-after and a request id, no internals. */
  static void assertAdminOutage(HttpResponse<String> r) throws Exception {
    assertEquals(503, r.statusCode(), r::body);
    assertTrue(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow()) >= 1);
    assertFalse(r.headers().firstValue("x-relay-request-id").orElse("").isBlank(), "a request id");
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertEquals("overloaded_error", error.get("type").asText());
    assertFalse(r.body().contains("Exception") || r.body().contains("\tat ") || r.body().contains("lettuce"),
        "no internals in the answer: " + r.body());
  }

  private void awaitHealthy() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = node.send("GET", "/health", null, null);
      if (last.statusCode() == 200) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the node never became healthy again: " + (last == null ? "" : last.body()));
  }

  private Set<String> awaitNewKeys(Set<String> before, int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Set<String> added = Set.of();
    while (System.nanoTime() < deadline) {
      added = new HashSet<>(redis.sync().keys(prefix + "session:*"));
      added.removeAll(before);
      if (added.size() >= expected) {
        return added;
      }
      Thread.sleep(100);
    }
    return added;
  }
}
