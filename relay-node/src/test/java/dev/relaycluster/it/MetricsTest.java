package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.metrics.PrometheusSamples;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropic.Scripted;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /metrics} of an embedded node after a run of relayed requests against a mock Anthropic API: two
 * successes (whole and streamed), a failover (the first account answers 529, the second serves), a stream cut
 * by upstream, a refusal by the key's model rule, and two calls turned away before the relay's flow (an unknown
 * key, a body that is not JSON). The scrape holds those counts by label, and the shards and entities the node
 * hosts; the token guards it; OpenMetrics comes when asked; every relayed answer tells the relay's own time, and
 * every answer of the node (relayed, turned away, admin, health, metrics, UI, 404) carries one request id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SONNET = "claude-sonnet-4-5-20250929";
  private static final String TOKEN = "metrics-token-for-tests-0123456789";
  private static final Pattern MILLIS = Pattern.compile("\\d+\\.\\d\\d");

  private MockAnthropic mock;
  private TestNode node;
  private String keyId;
  private String key;
  private String restrictedKey;
  private String first;
  private String second;

  @BeforeAll
  void start() throws Exception {
    mock = new MockAnthropic();
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("relay.upstream.first-byte-timeout", "2s");
    cfg.put("relay.metrics.token", TOKEN);
    node = TestNode.embedded(Files.createTempDirectory("relay-metrics-"), cfg);
    JsonNode created = node.createKey("metrics-test", 0);
    keyId = created.get("id").asText();
    key = created.get("key").asText();
    restrictedKey = node.admin("POST", "/admin/api/keys", JSON.createObjectNode().put("name", "no-sonnet")
        .set("blockedModels", JSON.createArrayNode().add("claude-sonnet-*"))).get("key").asText();
    first = "sk-first-" + UUID.randomUUID();
    second = "sk-second-" + UUID.randomUUID();
    node.createConsoleAccount("first", mock.baseUrl(), first, 1);
    node.createConsoleAccount("second", mock.baseUrl(), second, 2);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    mock.close();
  }

  private HttpResponse<String> relay(String apiKey, boolean stream) throws Exception {
    return node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .header("anthropic-version", "2023-06-01")
        .header("x-api-key", apiKey)
        .header("x-claude-code-session-id", UUID.randomUUID().toString())
        .POST(HttpRequest.BodyPublishers.ofString(RelayCall.body(stream, SONNET))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> metrics(String authorization, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/metrics"))
        .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("authorization", authorization);
    }
    if (accept != null) {
      b.header("accept", accept);
    }
    return node.http().send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private PrometheusSamples scrape() throws Exception {
    HttpResponse<String> r = metrics("Bearer " + TOKEN, null);
    assertEquals(200, r.statusCode(), r.body());
    return PrometheusSamples.parse(r.body());
  }

  /** The relay's own time on an answer: a number of milliseconds, also as Server-Timing. */
  private static void assertOverhead(HttpResponse<String> r) {
    String overhead = r.headers().firstValue("x-relay-overhead-ms").orElse(null);
    assertTrue(overhead != null && MILLIS.matcher(overhead).matches(), "x-relay-overhead-ms: " + overhead);
    assertTrue(Double.parseDouble(overhead) >= 0);
    assertEquals("relay;dur=" + overhead, r.headers().firstValue("server-timing").orElse(null));
    assertOneRequestId(r);
  }

  /** Exactly one request id on an answer, whichever part of the node gave it. */
  private static void assertOneRequestId(HttpResponse<String> r) {
    java.util.List<String> ids = r.headers().allValues("x-relay-request-id");
    assertEquals(1, ids.size(), r.uri() + " " + r.statusCode() + ": every answer names its request, once: " + ids);
    assertEquals(7, UUID.fromString(ids.get(0)).version(), "a time-ordered id: " + ids);
  }

  @Test
  void aRunOfRequestsIsCountedByLabels() throws Exception {
    HttpResponse<String> whole = relay(key, false);
    assertEquals(200, whole.statusCode(), whole.body());
    assertOverhead(whole);

    HttpResponse<String> streamed = relay(key, true);
    assertEquals(200, streamed.statusCode(), streamed.body());
    assertTrue(streamed.body().endsWith("data: {\"type\":\"message_stop\"}\n\n"), streamed.body());
    assertOverhead(streamed);

    // The first account is overloaded: the request moves to the second one before any byte reached the client.
    mock.script(first, Scripted.overloaded());
    HttpResponse<String> failedOver = relay(key, false);
    assertEquals(200, failedOver.statusCode(), failedOver.body());
    assertEquals(3, mock.calls(first), "the first account served the first two and refused the third");
    assertEquals(1, mock.calls(second));

    // Whichever account takes it, its stream breaks off after message_start.
    mock.script(first, Scripted.streamCut());
    mock.script(second, Scripted.streamCut());
    HttpResponse<String> cut = relay(key, true);
    assertEquals(200, cut.statusCode());
    assertTrue(cut.body().contains("event: error"), cut.body());

    HttpResponse<String> refused = relay(restrictedKey, false);
    assertEquals(403, refused.statusCode(), refused.body());
    assertOverhead(refused);

    // A key the relay does not know, a body that is not JSON: neither reaches the relay's flow; both are counted
    // as rejected, and both answers still name a request.
    HttpResponse<String> unknown = relay("cr_" + "0".repeat(64), false);
    assertEquals(401, unknown.statusCode(), unknown.body());
    assertOneRequestId(unknown);
    HttpResponse<String> unreadable = node.http().send(HttpRequest.newBuilder(
            URI.create(node.baseUrl() + "/api/v1/messages"))
        .header("content-type", "application/json").header("x-api-key", key)
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\": oops")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, unreadable.statusCode(), unreadable.body());
    assertOneRequestId(unreadable);

    Map<String, String> served = Map.of("pool", "claude", "dialect", "anthropic", "platform", "claude-console");
    // Usage settles as the answer ends, and a request leaves the in-flight count once its record landed.
    // The shard meters are refreshed every 15 s: wait for a refresh that saw the run's entities (the node placed
    // its 100 session shards at start, each with a placeholder entity: a run's session is one more).
    int sessionShards = 100;
    PrometheusSamples s = awaitScrape(x -> x.sum("relay_requests_total", Map.of()) >= 7
        && x.sum("relay_requests_in_flight", Map.of()) == 0 && x.has("relay_projection_lag_events")
        && x.sum("relay_entities", Map.of("type", "Session")) > sessionShards, Duration.ofSeconds(30));
    assertEquals(3, s.sum("relay_requests_total", with(served, "status", "2xx", "outcome", "completed")));
    assertEquals(1, s.sum("relay_requests_total", with(served, "status", "2xx", "outcome", "upstream_failed")));
    assertEquals(1, s.sum("relay_requests_total", Map.of("pool", "claude", "dialect", "anthropic",
        "platform", "none", "status", "4xx", "outcome", "refused")));
    assertEquals(2, s.sum("relay_requests_total", Map.of("pool", "claude", "dialect", "anthropic",
        "platform", "none", "status", "4xx", "outcome", "rejected")));
    assertEquals(7, s.sum("relay_requests_total", Map.of()));
    assertEquals(1, s.sum("relay_failovers_total", Map.of("pool", "claude", "cause", "overloaded")));
    assertEquals(1, s.sum("relay_failovers_total", Map.of()));

    // Latencies: every answer that reached the client had a first byte; every upstream try its headers.
    Map<String, String> claude = Map.of("pool", "claude", "dialect", "anthropic");
    assertEquals(4, s.sum("relay_request_ttfb_seconds_count", claude));
    assertEquals(5, s.sum("relay_upstream_latency_seconds_count", Map.of("pool", "claude",
        "platform", "claude-console")));
    assertEquals(5, s.sum("relay_overhead_seconds_count", claude));
    assertEquals(0, s.sum("relay_streams_open", Map.of("pool", "claude")));
    assertEquals(0, s.sum("relay_requests_in_flight", Map.of()));
    // The usage landed through the key's journal, and the accounts were created through theirs: both timed.
    assertTrue(s.sum("relay_journal_write_seconds_count", Map.of("entity", "apikey")) >= 1);
    assertTrue(s.sum("relay_journal_write_seconds_count", Map.of("entity", "account")) >= 1);

    // Tokens and cost match the ledger of the key.
    JsonNode rows = node.awaitRequests(keyId, data -> data.size() >= 4);
    long input = 0;
    long output = 0;
    long cacheRead = 0;
    long cost = 0;
    for (JsonNode row : rows) {
      input += row.get("inputTokens").asLong();
      output += row.get("outputTokens").asLong();
      cacheRead += row.get("cacheReadTokens").asLong();
      cost += row.get("costMicros").asLong();
    }
    Map<String, String> sonnet = Map.of("pool", "claude", "model", SONNET);
    assertTrue(input > 0 && cost > 0);
    assertEquals(input, (long) s.sum("relay_tokens_total", with(sonnet, "kind", "input")));
    assertEquals(output, (long) s.sum("relay_tokens_total", with(sonnet, "kind", "output")));
    assertEquals(cacheRead, (long) s.sum("relay_tokens_total", with(sonnet, "kind", "cache_read")));
    assertEquals(cost, (long) s.sum("relay_cost_micros_total", sonnet));

    // The node's own state: accounts from the pool replica, the cluster, the JVM.
    assertEquals(2, s.sum("relay_accounts", Map.of("pool", "claude")));
    assertEquals(1, s.sum("relay_cluster_members", Map.of("status", "up")));
    // This node hosts every shard of the one-node cluster: each entity type's shards and running entities, at
    // most as many entities as the run made (two keys, two accounts, a session per relayed request, and the
    // placeholders); every session shard was placed at start.
    assertEquals(sessionShards, s.sum("relay_shards", Map.of("type", "Session")), "every session shard placed");
    Map<String, Integer> made = Map.of("ApiKey", 2, "Account", 2, "Session", 6 + sessionShards);
    made.forEach((type, most) -> {
      double shards = s.sum("relay_shards", Map.of("type", type));
      double entities = s.sum("relay_entities", Map.of("type", type));
      assertTrue(shards >= 1 && shards <= entities && entities <= most,
          type + ": " + shards + " shards, " + entities + " entities");
    });
    assertTrue(s.has("jvm_memory_used_bytes") && s.has("jvm_threads_live_threads") && s.has("process_uptime_seconds"));
    assertTrue(s.has("relay_usage_backlog_records"));
    assertEquals(4, s.all().stream().filter(x -> x.name().equals("relay_projection_lag_events")).count(),
        "the projection's lag is counted per usage tag: " + s.all().stream()
            .filter(x -> x.name().equals("relay_projection_lag_events")).toList());

    // Every relay metric the Grafana dashboard charts is one the node exposes.
    String dashboard = Files.readString(Path.of(System.getProperty("user.dir")).getParent()
        .resolve("deploy/grafana/relay-dashboard.json"));
    Matcher names = Pattern.compile("relay_[a-z_]+").matcher(dashboard);
    int charted = 0;
    while (names.find()) {
      charted++;
      assertTrue(s.has(names.group()), "the dashboard charts " + names.group() + ", which the node does not expose");
    }
    assertTrue(charted > 20, "the dashboard charts the relay's metrics");
  }

  private PrometheusSamples awaitScrape(java.util.function.Predicate<PrometheusSamples> until, Duration within)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    PrometheusSamples last = scrape();
    while (!until.test(last) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      last = scrape();
    }
    return last;
  }

  private static Map<String, String> with(Map<String, String> base, String... more) {
    Map<String, String> out = new HashMap<>(base);
    for (int i = 0; i < more.length; i += 2) {
      out.put(more[i], more[i + 1]);
    }
    return out;
  }

  @Test
  void everyAnswerNamesItsRequest() throws Exception {
    String token = node.login();
    HttpResponse<String> keys = node.send("GET", "/admin/api/keys", null, token);
    assertEquals(200, keys.statusCode(), keys.body());
    assertOneRequestId(keys);
    HttpResponse<String> anonymous = node.send("GET", "/admin/api/keys", null, null);
    assertEquals(401, anonymous.statusCode());
    assertOneRequestId(anonymous);
    for (String path : new String[] {"/health", "/admin/", "/no/such/path"}) {
      HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET()
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(r.statusCode() < 400 || path.startsWith("/no/"), path + ": " + r.statusCode());
      assertOneRequestId(r);
    }
    assertOneRequestId(metrics("Bearer " + TOKEN, null));
    assertOneRequestId(metrics(null, null));
  }

  @Test
  void theMetricsNeedTheToken() throws Exception {
    for (String authorization : new String[] {null, "Bearer wrong-token", "Basic " + TOKEN, "Bearer " + TOKEN + "x"}) {
      HttpResponse<String> r = metrics(authorization, null);
      assertEquals(401, r.statusCode(), String.valueOf(authorization));
      JsonNode error = JSON.readTree(r.body());
      assertEquals("authentication_error", error.path("error").path("type").asText(), r.body());
      assertTrue(!r.body().contains(TOKEN), "the answer does not echo the token");
    }
    HttpResponse<String> ok = metrics("bearer " + TOKEN, null);
    assertEquals(200, ok.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8",
        ok.headers().firstValue("content-type").orElse("").toLowerCase(java.util.Locale.ROOT));
    assertTrue(ok.body().contains("# TYPE relay_cluster_members gauge"), ok.body());
  }

  @Test
  void openMetricsWhenAsked() throws Exception {
    HttpResponse<String> r = metrics("Bearer " + TOKEN, "application/openmetrics-text; version=1.0.0");
    assertEquals(200, r.statusCode());
    String type = r.headers().firstValue("content-type").orElse("");
    assertTrue(type.startsWith("application/openmetrics-text"), type);
    assertTrue(r.body().endsWith("# EOF\n"), "an OpenMetrics exposition ends with # EOF");
    assertTrue(PrometheusSamples.parse(r.body()).has("relay_cluster_members"));
  }
}
