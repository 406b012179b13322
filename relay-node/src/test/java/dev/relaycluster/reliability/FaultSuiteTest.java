package dev.relaycluster.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockFault;
import dev.relaycluster.testing.MockFaults;
import dev.relaycluster.testing.MockGemini;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Faults as a team's relay meets them, in every client dialect (Anthropic Messages, OpenAI Responses, OpenAI Chat
 * Completions, Gemini), with the figures written for RELIABILITY.md. Before the first byte: per round, two
 * accounts of a pool refuse (429 with and without a reset, 529, 5xx, 401, a quota error, a reset before any
 * header, garbage instead of HTTP, a stall after the headers, an in-stream error as the first event, garbage
 * instead of the event stream, and for a whole answer a body that is garbage, cut or ends in an error) and a third
 * is healthy: every request must be answered whole by failover. After bytes reached the client (a stream cut by a
 * reset, a clean end before the final event, an in-stream error after output, a stall): the client gets the
 * dialect's error event and no failover. A huge or slow answer arrives whole. Each request is ledgered exactly
 * once: rows = requests, no request id twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultSuiteTest {
  /** Requests per pool: 12 in CI, more in the long run (FAULT_ROUNDS, bench/reliability.sh). */
  private static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("FAULT_ROUNDS", "12"));
  /** The faults after bytes reached the client, played in turn. */
  private static final List<MockFault> AFTER_OUTPUT = List.of(MockFault.CUT_RESET, MockFault.CUT_CLEAN,
      MockFault.ERROR_AFTER_OUTPUT, MockFault.STALL_AFTER_OUTPUT);

  private MockAnthropic anthropic;
  private MockOpenAi openai;
  private MockGemini gemini;
  private TestNode node;

  @BeforeAll
  void start() throws Exception {
    anthropic = new MockAnthropic();
    openai = new MockOpenAi();
    gemini = MockGemini.start();
    // Every request is to meet the faulty accounts first and fail over; with the pace test on, the node would
    // soon (rightly) steer new conversations past accounts that fail every time (SlowAccountTest covers that).
    // A stalled stream is cut after 3 s of silence instead of 5 minutes.
    node = TestNode.embedded(Files.createTempDirectory("relay-faults-"), Map.of(
        "relay.upstream.first-byte-timeout", "2s", "relay.upstream.idle-timeout", "3s",
        "relay.upstream.max-account-attempts", 3,
        "relay.accounts.pace.error-rate", "0", "relay.accounts.pace.slow-first-byte", "0"));
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    anthropic.close();
    openai.close();
    gemini.close();
  }

  private List<FaultPool> pools() {
    return List.of(FaultPools.claude(node, anthropic), FaultPools.codex(node, openai), FaultPools.chat(node, openai),
        FaultPools.gemini(node, gemini));
  }

  /** Accounts of one pool for one test, deleted afterwards. */
  private record Accounts(List<String> credentials, List<String> ids, JsonNode key) {}

  private Accounts accounts(FaultPool pool, String test, int n) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    List<String> creds = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      creds.add(test + "-" + (char) ('a' + i) + "-" + suffix);
      ids.add(pool.account(test + "-" + i, creds.get(i), i + 1));
    }
    return new Accounts(creds, ids, node.createKey(test + "-" + suffix, 0));
  }

  private void delete(Accounts a) throws Exception {
    for (String id : a.ids()) {
      node.admin("DELETE", "/admin/api/accounts/" + id, null);
    }
    // The next pool's test must not meet these accounts in a replica that has not heard of the deletion yet.
    Thread.sleep(300);
  }

  private void reset(String accountId) throws Exception {
    node.admin("POST", "/admin/api/accounts/" + accountId + "/reset", null);
  }

  private JsonNode ledger(Accounts a, int requests) throws Exception {
    JsonNode rows = node.awaitRequests(a.key().get("id").asText(), x -> x.size() >= requests);
    Set<String> ids = new HashSet<>();
    rows.forEach(row -> ids.add(row.get("requestId").asText()));
    assertEquals(requests, rows.size(), "one ledger row per request: " + rows);
    assertEquals(requests, ids.size(), "no request ledgered twice");
    return rows;
  }

  @Test
  void everyDialectFailsOverEveryFaultBeforeTheFirstByteAndLedgersEachRequestOnce() throws Exception {
    List<String> report = new ArrayList<>();
    report.add("| pool | requests | faults injected (kinds) | answered whole | failed over | ledger rows | "
        + "duplicates | missing |");
    report.add("|---|---|---|---|---|---|---|---|");
    for (FaultPool pool : pools()) {
      report.add(beforeTheFirstByte(pool));
    }
    Reliability.write("faults", "Faults before the first byte", String.join("\n", report));
  }

  private String beforeTheFirstByte(FaultPool pool) throws Exception {
    Accounts a = accounts(pool, "faults", 3);
    Set<String> kinds = new TreeSet<>();
    Map<Boolean, Integer> next = new HashMap<>();
    int whole = 0;
    try {
      for (int round = 0; round < ROUNDS; round++) {
        boolean stream = round % 2 == 0;
        // Each kind in turn, so that a dozen rounds meet them all.
        List<String> refusals = pool.refusals(stream);
        for (int i = 0; i < 2; i++) {
          String kind = refusals.get(next.merge(stream, 1, Integer::sum) % refusals.size());
          pool.refuse(a.credentials().get(i), kind);
          kinds.add(kind);
        }
        HttpResponse<String> r = pool.request(a.key().get("key").asText(), stream);
        assertTrue(pool.whole(r, stream), pool.name() + " round " + round + " (" + kinds + "): " + r.statusCode()
            + " " + r.body());
        whole++;
        for (int i = 0; i < 2; i++) {
          pool.heal(a.credentials().get(i));
          reset(a.ids().get(i));
        }
      }
      JsonNode rows = ledger(a, ROUNDS);
      int failedOver = 0;
      for (JsonNode row : rows) {
        assertEquals(a.ids().get(2), row.get("accountId").asText(), row.toString());
        assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
        failedOver += row.get("attempts").asInt() > 1 ? 1 : 0;
      }
      assertEquals(ROUNDS, failedOver, "every request was failed over");
      return "| " + pool.name() + " | " + ROUNDS + " | " + (2 * ROUNDS) + " (" + String.join(", ", kinds) + ") | "
          + whole + " | " + failedOver + " | " + rows.size() + " | 0 | " + (ROUNDS - rows.size()) + " |";
    } finally {
      delete(a);
    }
  }

  @Test
  void aBreakAfterTheFirstBytesEndsWithTheDialectsErrorEventAndIsLedgeredOnce() throws Exception {
    List<String> report = new ArrayList<>();
    report.add("| requests | cut after bytes reached the client | ended with the dialect's error event | ledgered "
        + "UPSTREAM_FAILED | ledger rows | duplicates |");
    report.add("|---|---|---|---|---|---|");
    for (FaultPool pool : pools()) {
      report.add(afterTheFirstByte(pool));
    }
    Reliability.write("cuts", "Breaks after the first byte", String.join("\n", report));
  }

  private String afterTheFirstByte(FaultPool pool) throws Exception {
    // The faulty account first, a healthy one behind it that must not be tried once bytes went out.
    Accounts a = accounts(pool, "cut", 2);
    String cred = a.credentials().get(0);
    Map<String, MockFault> faulted = new HashMap<>();
    Set<String> kinds = new TreeSet<>();
    int errorEvents = 0;
    try {
      for (int i = 0; i < ROUNDS; i++) {
        MockFault fault = i % 2 == 0 ? AFTER_OUTPUT.get(i / 2 % AFTER_OUTPUT.size()) : null;
        pool.fault(cred, fault);
        HttpResponse<String> r = pool.request(a.key().get("key").asText(), true);
        String requestId = r.headers().firstValue("x-relay-request-id").orElseThrow();
        if (fault != null) {
          assertEquals(200, r.statusCode(), pool.name() + " " + fault + ": " + r.body());
          assertTrue(pool.endsInError(r.body()), pool.name() + " " + fault + ": " + r.body());
          faulted.put(requestId, fault);
          kinds.add(FaultPools.label(fault));
          errorEvents++;
        } else {
          assertTrue(pool.whole(r, true), pool.name() + ": " + r.body());
        }
        pool.heal(cred);
        reset(a.ids().get(0));
      }
      JsonNode rows = ledger(a, ROUNDS);
      int failed = 0;
      for (JsonNode row : rows) {
        MockFault fault = faulted.get(row.get("requestId").asText());
        String outcome = row.get("outcome").asText();
        assertEquals(fault != null ? "UPSTREAM_FAILED" : "COMPLETED", outcome, fault + ": " + row);
        assertEquals(a.ids().get(0), row.get("accountId").asText(), "no failover once bytes went out: " + row);
        assertEquals(1, row.get("attempts").asInt(), row.toString());
        failed += outcome.equals("UPSTREAM_FAILED") ? 1 : 0;
      }
      assertEquals(faulted.size(), failed);
      return "| " + ROUNDS + " (" + pool.name() + ", streamed: " + String.join(", ", kinds) + ") | " + faulted.size()
          + " | " + errorEvents + " | " + failed + " | " + rows.size() + " | 0 |";
    } finally {
      delete(a);
    }
  }

  @Test
  void hugeAndSlowAnswersArriveWholeAndAreLedgeredOnce() throws Exception {
    List<String> report = new ArrayList<>();
    report.add("| pool | huge stream (events, bytes) | huge whole answer (bytes) | slow stream (one event per "
        + MockFaults.SLOW_GAP_MILLIS + " ms) | slow whole answer | ledger rows | completed | duplicates |");
    report.add("|---|---|---|---|---|---|---|---|");
    for (FaultPool pool : pools()) {
      Accounts a = accounts(pool, "long", 1);
      String cred = a.credentials().get(0);
      List<String> cells = new ArrayList<>();
      try {
        for (MockFault fault : List.of(MockFault.HUGE, MockFault.SLOW)) {
          for (boolean stream : List.of(true, false)) {
            pool.fault(cred, fault);
            HttpResponse<String> r = pool.request(a.key().get("key").asText(), stream);
            String what = pool.name() + " " + fault + (stream ? " streamed" : " whole") + ": " + r.statusCode();
            assertTrue(pool.whole(r, stream), what + " " + r.body().substring(Math.max(0, r.body().length() - 500)));
            if (fault == MockFault.HUGE) {
              assertTrue(r.body().contains(MockFaults.HUGE_END), what);
              assertTrue(r.body().length() > (stream ? MockFaults.HUGE_EVENTS * 60 : 100_000), what);
              cells.add((stream ? MockFaults.HUGE_EVENTS + ", " : "") + r.body().length() + " whole");
            } else {
              cells.add("whole");
            }
          }
        }
        JsonNode rows = ledger(a, 4);
        for (JsonNode row : rows) {
          assertEquals("COMPLETED", row.get("outcome").asText(), row.toString());
          assertEquals(1, row.get("attempts").asInt(), row.toString());
        }
        report.add("| " + pool.name() + " | " + String.join(" | ", cells) + " | " + rows.size() + " | "
            + rows.size() + " | 0 |");
      } finally {
        pool.heal(cred);
        delete(a);
      }
    }
    report.add("");
    report.add("The codex backend always streams: its whole answer is added up from the huge stream of "
        + MockFaults.HUGE_EVENTS + " events.");
    Reliability.write("long-answers", "Huge and slow answers", String.join("\n", report));
  }

  /** Item 1 for the two OpenAI dialects: a clean chunked end before the final event is a cut answer. */
  private JsonNode cleanEndBeforeTheFinalEvent(FaultPool pool) throws Exception {
    Accounts a = accounts(pool, "clean-end", 1);
    try {
      pool.fault(a.credentials().get(0), MockFault.CUT_CLEAN);
      HttpResponse<String> r = pool.request(a.key().get("key").asText(), true);
      assertEquals(200, r.statusCode());
      assertTrue(pool.endsInError(r.body()), r.body());
      assertTrue(r.body().contains("upstream ended the stream before its final event"), r.body());
      assertFalse(pool.whole(r, true));
      JsonNode row = ledger(a, 1).get(0);
      assertEquals("UPSTREAM_FAILED", row.get("outcome").asText(), row.toString());
      return row;
    } finally {
      pool.heal(a.credentials().get(0));
      delete(a);
    }
  }

  @Test
  void aResponsesStreamThatEndsCleanlyBeforeResponseCompletedEndsWithResponseFailed() throws Exception {
    cleanEndBeforeTheFinalEvent(FaultPools.codex(node, openai));
  }

  @Test
  void aChatStreamThatEndsCleanlyBeforeDoneEndsWithAnErrorChunk() throws Exception {
    cleanEndBeforeTheFinalEvent(FaultPools.chat(node, openai));
  }
}
