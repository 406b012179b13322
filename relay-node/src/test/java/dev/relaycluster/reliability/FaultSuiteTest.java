package dev.relaycluster.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropic.Scripted;
import dev.relaycluster.testing.MockGemini;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Faults as a team's relay meets them, in every dialect, with the figures written for RELIABILITY.md: per
 * round, two accounts of a pool refuse in a random way before their first byte (429 with and without a reset,
 * 529, 5xx, 401, a stall after the headers, a quota error) and a third is healthy: every request must be
 * answered whole by failover; then an account that breaks after bytes reached the client (a cut stream, a
 * clean end before the final event): the client must get the dialect's error event and no failover. Each
 * request is ledgered exactly once: rows = requests, no request id twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultSuiteTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Requests per pool: 12 in CI, more in the long run (FAULT_ROUNDS, bench/reliability.sh). */
  private static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("FAULT_ROUNDS", "12"));

  private MockAnthropic anthropic;
  private MockOpenAi openai;
  private MockGemini gemini;
  private TestNode node;
  private final Random random = new Random(17);

  @BeforeAll
  void start() throws Exception {
    anthropic = new MockAnthropic();
    openai = new MockOpenAi();
    gemini = MockGemini.start();
    // Every request is to meet the faulty accounts first and fail over; with the pace test on, the node would
    // soon (rightly) steer new conversations past accounts that fail every time (SlowAccountTest covers that).
    node = TestNode.embedded(Files.createTempDirectory("relay-faults-"), Map.of(
        "relay.upstream.first-byte-timeout", "2s", "relay.upstream.max-account-attempts", 3,
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

  /** One pool under test: how to make an account, inject a fault, send a request and judge its answer. */
  private interface Pool {
    String account(String name, String credential, int priority) throws Exception;

    /** Injects a random fault before the first byte; returns its name. */
    String fault(String credential);

    void heal(String credential);

    HttpResponse<String> request(String key, boolean stream) throws Exception;

    /** A whole, successful answer in the dialect. */
    boolean whole(HttpResponse<String> r, boolean stream);
  }

  private String create(ObjectNode body) throws Exception {
    return node.admin("POST", "/admin/api/accounts", body).get("id").asText();
  }

  private HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return node.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  private Pool claude() {
    return new Pool() {
      public String account(String name, String credential, int priority) throws Exception {
        return node.createConsoleAccount(name, anthropic.baseUrl(), credential, priority);
      }

      public String fault(String credential) {
        long reset = System.currentTimeMillis() / 1000 + 3600;
        Map<String, Scripted> faults = Map.of("529", Scripted.overloaded(), "500", Scripted.serverError(),
            "401", Scripted.unauthorized(), "429-reset", Scripted.rateLimited(reset, null),
            "429-bare", Scripted.error(429, MockAnthropic.RATE_LIMIT_BODY, ""), "stall", Scripted.stallAfterHeaders());
        String name = pick(new ArrayList<>(new java.util.TreeSet<>(faults.keySet())));
        anthropic.always(credential, faults.get(name));
        return name;
      }

      public void heal(String credential) {
        anthropic.always(credential, null);
      }

      public HttpResponse<String> request(String key, boolean stream) throws Exception {
        // A conversation of its own each time, so no sticky binding skips the failing accounts.
        return post("/api/v1/messages", Map.of("x-api-key", key, "anthropic-version", "2023-06-01"),
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":256,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello " + UUID.randomUUID() + "\"}]}");
      }

      public boolean whole(HttpResponse<String> r, boolean stream) {
        return r.statusCode() == 200 && (stream ? r.body().contains("event: message_stop")
            : r.body().equals(MockAnthropic.MESSAGE));
      }
    };
  }

  private Pool codex() {
    return new Pool() {
      public String account(String name, String credential, int priority) throws Exception {
        openai.acceptAccessToken(credential, "acct-" + credential);
        return create(JSON.createObjectNode().put("name", name).put("platform", "openai").put("type", "codex-oauth")
            .put("baseUrl", openai.codexBaseUrl()).put("accessToken", credential)
            .put("chatgptAccountId", "acct-" + credential).put("priority", priority));
      }

      public String fault(String credential) {
        int status = pick(List.of(429, 500, 502, 503));
        openai.failWith(credential, status);
        return Integer.toString(status);
      }

      public void heal(String credential) {
        openai.failWith(credential, 0);
      }

      public HttpResponse<String> request(String key, boolean stream) throws Exception {
        return post("/openai/v1/responses", Map.of("authorization", "Bearer " + key), "{\"model\":\"gpt-5-codex\","
            + "\"stream\":" + stream + ",\"store\":false,\"input\":[{\"type\":\"message\",\"role\":\"user\","
            + "\"content\":[{\"type\":\"input_text\",\"text\":\"hi " + UUID.randomUUID() + "\"}]}]}");
      }

      public boolean whole(HttpResponse<String> r, boolean stream) {
        return r.statusCode() == 200 && (stream ? r.body().contains("response.completed")
            : r.body().contains("\"status\":\"completed\""));
      }
    };
  }

  private Pool gemini() {
    return new Pool() {
      public String account(String name, String credential, int priority) throws Exception {
        gemini.acceptApiKey(credential);
        return create(JSON.createObjectNode().put("name", name).put("platform", "gemini").put("type", "gemini-api")
            .put("baseUrl", gemini.baseUrl()).put("apiKey", credential).put("priority", priority));
      }

      public String fault(String credential) {
        String scenario = pick(List.of("mock-429", "mock-429-daily", "mock-503", "mock-quota-exhausted"));
        gemini.failWith(credential, scenario);
        return scenario;
      }

      public void heal(String credential) {
        gemini.failWith(credential, null);
      }

      public HttpResponse<String> request(String key, boolean stream) throws Exception {
        String method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
        return post("/gemini/v1beta/models/gemini-2.5-pro:" + method, Map.of("x-goog-api-key", key),
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi " + UUID.randomUUID() + "\"}]}]}");
      }

      public boolean whole(HttpResponse<String> r, boolean stream) {
        return r.statusCode() == 200 && r.body().contains("\"finishReason\"");
      }
    };
  }

  @Test
  void everyDialectFailsOverEveryFaultBeforeTheFirstByteAndLedgersEachRequestOnce() throws Exception {
    List<String> report = new ArrayList<>();
    report.add("| pool | requests | faults injected (kinds) | answered whole | failed over | ledger rows | "
        + "duplicates | missing |");
    report.add("|---|---|---|---|---|---|---|---|");
    Map<String, Pool> pools = new java.util.LinkedHashMap<>();
    pools.put("claude", claude());
    pools.put("openai", codex());
    pools.put("gemini", gemini());
    for (Map.Entry<String, Pool> e : pools.entrySet()) {
      report.add(run(e.getKey(), e.getValue()));
    }
    Reliability.write("faults", "Faults before the first byte", String.join("\n", report));
  }

  private String run(String name, Pool pool) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    List<String> creds = List.of(name + "-a-" + suffix, name + "-b-" + suffix, name + "-c-" + suffix);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < creds.size(); i++) {
      ids.add(pool.account(name + "-" + i, creds.get(i), i + 1));
    }
    JsonNode key = node.createKey("faults-" + name + "-" + suffix, 0);
    Set<String> kinds = new java.util.TreeSet<>();
    int whole = 0;
    int failedOver = 0;
    try {
      for (int round = 0; round < ROUNDS; round++) {
        kinds.add(pool.fault(creds.get(0)));
        kinds.add(pool.fault(creds.get(1)));
        boolean stream = round % 2 == 0;
        HttpResponse<String> r = pool.request(key.get("key").asText(), stream);
        assertTrue(pool.whole(r, stream), name + " round " + round + " (" + kinds + "): " + r.statusCode() + " "
            + r.body());
        whole++;
        pool.heal(creds.get(0));
        pool.heal(creds.get(1));
        for (String id : ids.subList(0, 2)) {
          node.admin("POST", "/admin/api/accounts/" + id + "/reset", null);
        }
      }
      JsonNode rows = node.awaitRequests(key.get("id").asText(), x -> x.size() >= ROUNDS);
      Set<String> requestIds = new HashSet<>();
      for (JsonNode row : rows) {
        requestIds.add(row.get("requestId").asText());
        assertEquals(ids.get(2), row.get("accountId").asText(), row.toString());
        failedOver += row.get("attempts").asInt() > 1 ? 1 : 0;
      }
      int duplicates = rows.size() - requestIds.size();
      assertEquals(ROUNDS, rows.size(), "one ledger row per request");
      assertEquals(0, duplicates);
      assertEquals(ROUNDS, failedOver, "every request was failed over");
      return "| " + name + " | " + ROUNDS + " | " + (2 * ROUNDS) + " (" + String.join(", ", kinds) + ") | " + whole
          + " | " + failedOver + " | " + rows.size() + " | " + duplicates + " | " + (ROUNDS - rows.size()) + " |";
    } finally {
      for (String id : ids) {
        node.admin("DELETE", "/admin/api/accounts/" + id, null);
      }
    }
  }

  @Test
  void aBreakAfterTheFirstBytesEndsWithTheDialectsErrorEventAndIsLedgeredOnce() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String cred = "cut-" + suffix;
    String id = node.createConsoleAccount("cut", anthropic.baseUrl(), cred, 1);
    JsonNode key = node.createKey("faults-cut-" + suffix, 0);
    int cut = 0;
    try {
      for (int i = 0; i < ROUNDS; i++) {
        if (i % 2 == 0) {
          anthropic.script(cred, Scripted.streamCut());
        }
        HttpResponse<String> r = claude().request(key.get("key").asText(), true);
        if (i % 2 == 0) {
          assertEquals(200, r.statusCode());
          assertTrue(r.body().startsWith("event: message_start") && r.body().contains("event: error\ndata: "),
              r.body());
          cut++;
        }
        node.admin("POST", "/admin/api/accounts/" + id + "/reset", null);
      }
      Function<JsonNode, Boolean> done = rows -> rows.size() >= ROUNDS;
      JsonNode rows = node.awaitRequests(key.get("id").asText(), done::apply);
      Set<String> requestIds = new HashSet<>();
      int failed = 0;
      for (JsonNode row : rows) {
        requestIds.add(row.get("requestId").asText());
        failed += row.get("outcome").asText().equals("UPSTREAM_FAILED") ? 1 : 0;
      }
      assertEquals(ROUNDS, rows.size());
      assertEquals(ROUNDS, requestIds.size());
      assertTrue(failed >= cut, "every cut stream is ledgered as failed: " + failed + " of " + cut);
      Reliability.write("cuts", "Breaks after the first byte", "| requests | cut after bytes reached the client | "
          + "ended with the dialect's error event | ledgered UPSTREAM_FAILED | ledger rows | duplicates |\n"
          + "|---|---|---|---|---|---|\n| " + ROUNDS + " (claude, streamed) | " + cut + " | " + cut + " | " + failed
          + " | " + rows.size() + " | " + (rows.size() - requestIds.size()) + " |");
    } finally {
      node.admin("DELETE", "/admin/api/accounts/" + id, null);
    }
  }
}
