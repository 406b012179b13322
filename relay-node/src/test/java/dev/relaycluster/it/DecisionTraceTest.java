package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropic.Scripted;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.RequestLineCapture;
import dev.relaycluster.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Why this account: the decision trace of a request that failed over, read back through the admin API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionTraceTest {
  private static final String SONNET = "claude-sonnet-4-5-20250929";

  private MockAnthropic mock;
  private TestNode node;
  private JsonNode key;

  @BeforeAll
  void start() throws Exception {
    mock = new MockAnthropic();
    // Every request's trace for the last two requests; those that did more than succeed first time for longer.
    node = TestNode.embedded(Files.createTempDirectory("relay-trace-"),
        Map.of("relay.trace.capacity", 2, "relay.trace.notable-capacity", 100));
    key = node.createKey("traced", 0);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    mock.close();
  }

  @Test
  void aFailedOverRequestShowsEachTryWithItsCandidatesAndTheEnd() throws Exception {
    String busyKey = "sk-busy-" + UUID.randomUUID();
    String calmKey = "sk-calm-" + UUID.randomUUID();
    String busy = node.createConsoleAccount("busy", mock.baseUrl(), busyKey, 1);
    String calm = node.createConsoleAccount("calm", mock.baseUrl(), calmKey, 2);
    String paused = node.createConsoleAccount("paused", mock.baseUrl(), "sk-paused-" + UUID.randomUUID(), 3);
    node.admin("PATCH", "/admin/api/accounts/" + paused,
        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("paused", true));
    mock.script(busyKey, Scripted.overloaded());
    try (RequestLineCapture lines = new RequestLineCapture()) {
      RelayCall r = RelayCall.call(node.baseUrl(), key.get("key").asText(), true, SONNET,
          UUID.randomUUID().toString());
      assertEquals(200, r.status(), r.body());

      // The short form of the same decisions, in the request's log line.
      Map<String, String> line = lines.await(r.requestId());
      assertEquals("session:" + busy + "=529 overloaded > session-rebound:" + calm + "=200", line.get("route"),
          line.toString());
      assertEquals("2", line.get("attempts"));
      assertEquals(calm, line.get("accountId"));

      JsonNode t = node.admin("GET", "/admin/api/requests/" + r.requestId() + "/trace", null);
      assertTrue(t.get("traceKept").asBoolean(), t.toString());
      JsonNode trace = t.get("trace");
      assertEquals("anthropic", trace.get("dialect").asText());
      assertEquals("claude", trace.get("pool").asText());
      assertEquals("traced", trace.get("key").get("name").asText());
      assertEquals("claude_code_header", trace.get("session").get("source").asText(), trace.toString());
      assertEquals(12, trace.get("session").get("hash").asText().length());
      assertEquals("admitted", trace.get("admission").asText());

      JsonNode first = trace.get("attempts").get(0);
      assertEquals(busy, first.get("accountId").asText(), first.toString());
      assertEquals("busy", first.get("accountName").asText());
      assertEquals("session", first.get("routedBy").asText());
      assertEquals("granted", first.get("lease").asText());
      assertEquals(529, first.get("upstreamStatus").asInt());
      assertEquals("overloaded", first.get("verdict").asText());
      assertEquals("failed over to the next account", first.get("then").asText());
      assertEquals(1, candidate(first, busy).get("rank").asInt());
      assertEquals(2, candidate(first, calm).get("rank").asInt());
      assertTrue(candidate(first, paused).get("why").asText().startsWith("not schedulable"), first.toString());

      JsonNode second = trace.get("attempts").get(1);
      assertEquals(calm, second.get("accountId").asText(), second.toString());
      assertTrue(second.get("routedBy").asText().startsWith("session (rebound"), second.toString());
      assertEquals(200, second.get("upstreamStatus").asInt());
      assertEquals("answered the client", second.get("then").asText());
      assertFalse(candidate(second, busy).has("rank"), "the failed account is out for the second try");
      assertTrue(candidate(second, busy).get("why").asText().contains("cooling until")
          || candidate(second, busy).get("why").asText().contains("already tried"), second.toString());

      JsonNode end = trace.get("end");
      assertEquals(200, end.get("status").asInt());
      assertEquals("COMPLETED", end.get("outcome").asText());
      assertEquals(2, end.get("attempts").asInt());
      assertEquals(calm, end.get("accountId").asText());

      // The ledger's side of the same request, once the projection has it.
      awaitRow(r.requestId());
      JsonNode withLedger = node.admin("GET", "/admin/api/requests/" + r.requestId() + "/trace", null);
      assertEquals(calm, withLedger.get("ledger").get("accountId").asText(), withLedger.toString());
      assertEquals(2, withLedger.get("ledger").get("attempts").asInt());
      assertEquals(line.get("route"), withLedger.get("ledger").get("route").asText(), "the ledger keeps the route");
      String path = "/admin/api/requests/" + r.requestId() + "/trace";
      HttpResponse<String> raw = node.send("GET", path, null, node.login());
      assertEquals(java.util.List.of(), dev.relaycluster.openapi.AdminApiDocument.get().answerProblems("GET",
          "/admin/api/requests/{id}/trace",
          raw.statusCode(), raw.headers().firstValue("content-type").orElse(""), raw.body()),
          "the answer is as the admin API's document describes it");

      String token = node.login();
      HttpResponse<String> unknown = node.send("GET", "/admin/api/requests/no-such-request/trace", null, token);
      assertEquals(404, unknown.statusCode(), unknown.body());
      HttpResponse<String> anonymous = node.send("GET", "/admin/api/requests/" + r.requestId() + "/trace", null,
          null);
      assertEquals(401, anonymous.statusCode(), "traces are for admins");
    } finally {
      for (String id : new String[] {busy, calm, paused}) {
        node.admin("DELETE", "/admin/api/accounts/" + id, null);
      }
    }
  }

  @Test
  void aPlainSuccessIsKeptForTheLastRequestsOnlyAndAFailureLonger() throws Exception {
    String credential = "sk-steady-" + UUID.randomUUID();
    String steady = node.createConsoleAccount("steady", mock.baseUrl(), credential, 1);
    try {
      // An error upstream passes on to the client (a 400 does not cool the account), then three plain successes.
      mock.script(credential, Scripted.error(400, "{\"type\":\"error\",\"error\":{\"type\":"
          + "\"invalid_request_error\",\"message\":\"messages: at least one message is required\"}}", ""));
      String key = this.key.get("key").asText();
      RelayCall failed = RelayCall.call(node.baseUrl(), key, true, SONNET, UUID.randomUUID().toString());
      assertEquals(400, failed.status(), failed.body());
      java.util.List<String> plain = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        RelayCall r = RelayCall.call(node.baseUrl(), key, true, SONNET, UUID.randomUUID().toString());
        assertEquals(200, r.status(), r.body());
        plain.add(r.requestId());
      }
      awaitRow(plain.get(0));

      JsonNode oldest = node.admin("GET", "/admin/api/requests/" + plain.get(0) + "/trace", null);
      assertFalse(oldest.get("traceKept").asBoolean(), "three requests later, a plain success's trace is gone");
      assertTrue(oldest.get("ledger").get("route").asText().endsWith(":" + steady + "=200"),
          "its ledger row still shows the route: " + oldest);
      for (String id : plain.subList(1, 3)) {
        JsonNode t = node.admin("GET", "/admin/api/requests/" + id + "/trace", null);
        assertTrue(t.get("traceKept").asBoolean(), "one of the last two requests: " + t);
        assertEquals(200, t.get("trace").get("end").get("status").asInt());
      }
      JsonNode failure = node.admin("GET", "/admin/api/requests/" + failed.requestId() + "/trace", null);
      assertTrue(failure.get("traceKept").asBoolean(), "the failure is kept longer: " + failure);
      assertEquals(400, failure.get("trace").get("end").get("status").asInt(), failure.toString());
      assertEquals(steady, failure.get("trace").get("attempts").get(0).get("accountId").asText());
    } finally {
      node.admin("DELETE", "/admin/api/accounts/" + steady, null);
    }
  }

  /** Waits until the request log has the request's row. */
  private void awaitRow(String requestId) throws Exception {
    node.awaitRequests(key.get("id").asText(), rows -> {
      for (JsonNode row : rows) {
        if (row.get("requestId").asText().equals(requestId)) {
          return true;
        }
      }
      return false;
    });
  }

  private static JsonNode candidate(JsonNode attempt, String accountId) {
    for (JsonNode c : attempt.get("candidates")) {
      if (c.get("accountId").asText().equals(accountId)) {
        return c;
      }
    }
    throw new AssertionError("no candidate " + accountId + " in " + attempt);
  }
}
