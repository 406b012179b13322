package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.OutageProxy;
import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cluster profile with PostgreSQL behind a proxy the test closes (the machine's PostgreSQL is never
 * touched). While the database is down, a request the key's entity cannot admit gets 503 in the caller's
 * dialect with retry-after and the request id, the admin API answers 503 with retry-after; once the
 * database is back, every answered request (the refusal included) is in the ledger exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageOutageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "claude-sonnet-4-5-20250929";
  private static final String REQUEST_ID = "x-relay-request-id";

  private MockAnthropic mock;
  private OutageProxy dbProxy;
  private String database;
  private TestNode node;

  @BeforeAll
  void start() throws Exception {
    mock = new MockAnthropic();
    dbProxy = new OutageProxy("127.0.0.1", 5432, null);
    database = TestDatabases.create();
    String viaProxy = database.replace("127.0.0.1:5432/", "127.0.0.1:" + dbProxy.port() + "/");
    node = TestNode.postgresAndRedis(Files.createTempDirectory("relay-db-outage-"), viaProxy,
        "relay-db-outage-" + UUID.randomUUID() + ":", Map.of("relay.http.ask-timeout", "2s"));
    node.createConsoleAccount("outage-account", mock.baseUrl(), "sk-ant-api03-db-outage", 10);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (dbProxy != null) {
      dbProxy.close();
    }
    if (mock != null) {
      mock.close();
    }
    if (database != null) {
      TestDatabases.drop(database);
    }
  }

  @Test
  void aRefusalForWantOfTheJournalIs503WithRetryAfterAndLandsInTheLedgerLater() throws Exception {
    // A limit its entity checks (a daily cost), so each request asks the entity: a key without limits is
    // admitted on its node, and its usage waits for the journal in the node's spool.
    JsonNode key = node.admin("POST", "/admin/api/keys",
        JSON.readTree("{\"name\": \"outage-key\", \"dailyCostLimit\": 1000}"));
    String apiKey = key.get("key").asText();
    String token = node.login();
    // Answered request id → status, the ledger must end up with exactly these.
    Map<String, Integer> answered = new LinkedHashMap<>();
    HttpResponse<String> first = relay(apiKey);
    assertEquals(200, first.statusCode(), first::body);
    answered.put(first.headers().firstValue(REQUEST_ID).orElseThrow(), 200);

    HttpResponse<String> refused = null;
    dbProxy.down();
    try {
      // Entities still in memory answer without the journal until they have to write (a settlement, an
      // account's news, a budget share) or recover; then an account that does not answer makes a 503 "no
      // account", and a key's entity that does not answer makes the 503 "could not admit" this test waits
      // for. A budget share the node already holds admits requests for up to its life (2 s) first.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (refused == null && System.nanoTime() < deadline) {
        HttpResponse<String> r = relay(apiKey);
        String id = r.headers().firstValue(REQUEST_ID).orElse(null);
        assertNotNull(id, () -> "every answer names its request: " + r.statusCode() + " " + r.body());
        answered.put(id, r.statusCode());
        if (r.statusCode() == 200) {
          Thread.sleep(100);
          continue;
        }
        assertOutage(r);
        if (JSON.readTree(r.body()).get("error").get("message").asText().contains("could not admit")) {
          refused = r;
        }
      }
      assertNotNull(refused, "a request was refused for want of its key's entity while the database was down");

      RedisOutageTest.assertAdminOutage(node.send("GET", "/admin/api/usage/requests?keyId="
          + key.get("id").asText(), null, token));
    } finally {
      dbProxy.up();
    }

    String refusedId = refused.headers().firstValue(REQUEST_ID).orElseThrow();
    Map<String, JsonNode> ledger = awaitLedger(key.get("id").asText(), answered.size());
    assertEquals(answered.keySet(), ledger.keySet(), "every answered request is in the ledger, once");
    answered.forEach((id, status) -> assertEquals((int) status, ledger.get(id).get("status").asInt(), id));
    assertEquals("REFUSED", ledger.get(refusedId).get("outcome").asText());
    assertEquals(1, ledger.values().stream().filter(r -> r.get("requestId").asText().equals(refusedId)).count());
  }

  /** 503 overloaded_error in the Anthropic shape, with retry-after, no stack trace. */
  private static void assertOutage(HttpResponse<String> r) throws Exception {
    assertEquals(503, r.statusCode(), r::body);
    assertTrue(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow()) >= 1, "retry-after");
    JsonNode body = JSON.readTree(r.body());
    assertEquals("error", body.get("type").asText());
    assertEquals("overloaded_error", body.get("error").get("type").asText());
    assertFalse(body.get("error").get("message").asText().isBlank());
    assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "no stack trace to clients: " + r.body());
  }

  private HttpResponse<String> relay(String apiKey) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .header("x-api-key", apiKey)
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL + "\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello " + UUID.randomUUID() + "\"}]}"))
        .build();
    return node.http().send(req, HttpResponse.BodyHandlers.ofString());
  }

  /** The key's request log by request id, once it holds {@code expected} rows (the database is back by then). */
  private Map<String, JsonNode> awaitLedger(String keyId, int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    Map<String, JsonNode> rows = new HashMap<>();
    String last = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = node.send("GET", "/admin/api/usage/requests?keyId=" + keyId + "&limit=1000", null,
          node.login());
      last = r.statusCode() + " " + r.body();
      if (r.statusCode() == 200) {
        rows.clear();
        JsonNode data = JSON.readTree(r.body()).get("data");
        data.forEach(row -> rows.merge(row.get("requestId").asText(), row, (a, b) -> {
          throw new AssertionError("request " + row.get("requestId").asText() + " is in the ledger twice");
        }));
        if (data.size() >= expected) {
          return rows;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the ledger never held " + expected + " rows; last answer: " + last);
  }
}
