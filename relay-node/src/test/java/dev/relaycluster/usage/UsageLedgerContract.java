package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.apikey.ApiKeyEntity;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The usage ledger end to end on a real node: requests through the relay to the mock upstream (real SSE
 * and JSON answers), then every view through the admin API. Subclasses choose the storage.
 */
abstract class UsageLedgerContract {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ZoneId ZONE = ZoneId.of("America/New_York");
  static final String SONNET = "claude-sonnet-4-5-20250929";
  /** MockAnthropic.STREAM at the bundled claude-sonnet-4-5-20250929 price (see FixturePricingTest). */
  static final long STREAM_COST = 26_205;
  /** MockAnthropic.MESSAGE: 100 x $3 + 20 x $15 per million. */
  static final long MESSAGE_COST = 600;

  abstract TestNode start(Path dataDir, Map<String, Object> extra) throws Exception;

  Map<String, Object> settings(Path overrideFile) {
    Map<String, Object> extra = new HashMap<>();
    extra.put("relay.ledger.zone", ZONE.getId());
    extra.put("relay.pricing.file", overrideFile.toString());
    extra.put("relay.pricing.reload-interval", "200ms");
    extra.put("relay.ledger.request-log-retention", "3d");
    extra.put("relay.ledger.retention-interval", "1s");
    return extra;
  }

  /** An override file that changes nothing the tests use. */
  static Path neutralOverride(Path dir) throws Exception {
    Path f = dir.resolve("prices.json");
    Files.writeString(f, "{\"acme-coder-1\": {\"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 4e-06}}");
    return f;
  }

  /** State built by {@link #recordTraffic}. */
  record Traffic(String account, String keyA, String keyB, long since, List<String> requestIds) {}

  Traffic recordTraffic(TestNode node, MockAnthropic mock) throws Exception {
    long since = System.currentTimeMillis();
    String account = node.createConsoleAccount("ledger-" + UUID.randomUUID(), mock.baseUrl(), "sk-ant-api03-ledger", 10);
    JsonNode a = node.createKey("ledger-a", 0);
    JsonNode b = node.createKey("ledger-b", 0);
    List<String> ids = new ArrayList<>();
    for (RelayCall r : List.of(
        RelayCall.call(node.baseUrl(), a.get("key").asText(), true, SONNET, null),
        RelayCall.call(node.baseUrl(), a.get("key").asText(), true, SONNET, null),
        RelayCall.call(node.baseUrl(), a.get("key").asText(), false, SONNET, null),
        RelayCall.call(node.baseUrl(), b.get("key").asText(), true, SONNET, null),
        RelayCall.call(node.baseUrl(), b.get("key").asText(), false, "mock-429", null))) {
      assertTrue(r.status() == 200 || r.status() == 429, r.toString());
      ids.add(r.requestId());
    }
    Traffic t = new Traffic(account, a.get("id").asText(), b.get("id").asText(), since, ids);
    awaitJson(node, "/admin/api/usage/requests?limit=100&accountId=" + account, n -> n.get("data").size() == 5);
    return t;
  }

  void checkRequestLog(TestNode node, Traffic t) throws Exception {
    JsonNode rows = get(node, "/admin/api/usage/requests?limit=100&accountId=" + t.account).get("data");
    Map<String, JsonNode> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.get("requestId").asText(), r));
    JsonNode stream = byId.get(t.requestIds.get(0));
    assertEquals(t.keyA, stream.get("keyId").asText());
    assertEquals("claude", stream.get("pool").asText());
    assertEquals(SONNET, stream.get("servedModel").asText());
    assertEquals("anthropic", stream.get("clientDialect").asText(), "Messages in, Messages upstream");
    assertEquals("anthropic", stream.get("upstreamDialect").asText());
    assertTrue(stream.get("stream").asBoolean());
    assertEquals(1200, stream.get("inputTokens").asLong());
    assertEquals(57, stream.get("outputTokens").asLong());
    assertEquals(20000, stream.get("cacheReadTokens").asLong());
    assertEquals(1000, stream.get("cacheWrite5mTokens").asLong());
    assertEquals(2000, stream.get("cacheWrite1hTokens").asLong());
    assertEquals(3600, stream.get("inputCostMicros").asLong());
    assertEquals(855, stream.get("outputCostMicros").asLong());
    assertEquals(15750, stream.get("cacheWriteCostMicros").asLong());
    assertEquals(6000, stream.get("cacheReadCostMicros").asLong());
    assertEquals(STREAM_COST, stream.get("costMicros").asLong());
    assertEquals(STREAM_COST, stream.get("ratedCostMicros").asLong());
    assertEquals("0.026205", stream.get("costUsd").asText());
    assertEquals(get(node, "/admin/api/usage/prices").get("version").asText(), stream.get("priceVersion").asText());
    assertFalse(stream.get("priceFallback").asBoolean());
    assertTrue(stream.get("complete").asBoolean());
    assertEquals(200, stream.get("status").asInt());
    assertEquals(1, stream.get("attempts").asInt());
    long headers = stream.get("upstreamLatencyMs").asLong();
    assertTrue(headers >= 0 && stream.get("firstByteMs").asLong() >= headers, stream.toString());
    assertEquals(MESSAGE_COST, byId.get(t.requestIds.get(2)).get("costMicros").asLong());
    JsonNode refused = byId.get(t.requestIds.get(4));
    assertEquals(429, refused.get("status").asInt());
    assertEquals("UPSTREAM_ERROR", refused.get("outcome").asText());
    assertTrue(refused.get("priceFallback").asBoolean(), "mock-429 is not in the table");

    assertEquals(2, get(node, "/admin/api/usage/requests?keyId=" + t.keyB).get("data").size());
    assertEquals(1, get(node, "/admin/api/usage/requests?status=429&accountId=" + t.account).get("data").size());
    assertEquals(1, get(node, "/admin/api/usage/requests?model=mock-429&keyId=" + t.keyB).get("data").size());
    assertEquals(0, get(node, "/admin/api/usage/requests?keyId=" + t.keyA + "&from=" + (t.since - 3_600_000)
        + "&to=" + t.since).get("data").size());
    JsonNode first = get(node, "/admin/api/usage/requests?limit=2&accountId=" + t.account);
    assertEquals(2, first.get("data").size());
    assertEquals(2, first.get("nextOffset").asInt());
    JsonNode last = get(node, "/admin/api/usage/requests?limit=2&offset=4&accountId=" + t.account);
    assertEquals(1, last.get("data").size());
    assertTrue(last.get("nextOffset").isNull());
  }

  void checkAggregates(TestNode node, Traffic t) throws Exception {
    String range = "&from=" + t.since + "&to=" + (System.currentTimeMillis() + 86_400_000L);
    // Buckets start at or before 'since'; ask from the start of the month so that every bucket is in.
    String all = "&from=" + LocalDate.now(ZONE).minusMonths(1).withDayOfMonth(1) + "&to=2100-01-01";
    Map<String, JsonNode> keys = totalsBy(get(node, "/admin/api/usage/aggregates?period=month&by=key" + all));
    JsonNode a = keys.get(t.keyA);
    assertEquals(3, a.get("requests").asLong());
    assertEquals(2 * STREAM_COST + MESSAGE_COST, a.get("costMicros").asLong());
    assertEquals(2 * 1200 + 100, a.get("inputTokens").asLong());
    assertEquals(2 * 2000, a.get("cacheWrite1hTokens").asLong());
    JsonNode b = keys.get(t.keyB);
    assertEquals(2, b.get("requests").asLong());
    assertEquals(STREAM_COST, b.get("costMicros").asLong());
    assertEquals(1, b.get("errors").asLong());
    assertEquals(1, b.get("coolingErrors").asLong());
    // Hours add up to days, days to months.
    for (String period : List.of("hour", "day")) {
      Map<String, JsonNode> sums = totalsBy(get(node, "/admin/api/usage/aggregates?by=key&period=" + period + all));
      assertEquals(a, sums.get(t.keyA), period);
      assertEquals(b, sums.get(t.keyB), period);
    }
    Map<String, JsonNode> models = totalsBy(get(node, "/admin/api/usage/aggregates?period=day&by=model" + range
        .replace("from=" + t.since, "from=" + LocalDate.now(ZONE).minusDays(1))));
    assertTrue(models.get(SONNET).get("requests").asLong() >= 4);
    assertEquals(1, get(node, "/admin/api/usage/aggregates?period=month&by=account&value=" + t.account + all)
        .get("data").size());

    JsonNode accounts = get(node, "/admin/api/usage/accounts?from=" + LocalDate.now(ZONE).minusDays(1)
        + "&to=2100-01-01").get("data");
    JsonNode mine = null;
    for (JsonNode s : accounts) {
      if (s.get("accountId").asText().equals(t.account)) {
        mine = s;
      }
    }
    assertEquals(5, mine.get("totals").get("requests").asLong());
    assertEquals(1, mine.get("totals").get("coolingErrors").asLong());
    assertEquals(0.2, mine.get("errorRate").asDouble(), 1e-9);
    assertEquals(3 * STREAM_COST + MESSAGE_COST, mine.get("totals").get("costMicros").asLong());

    JsonNode dash = get(node, "/admin/api/usage/dashboard");
    assertEquals(ZONE.getId(), dash.get("zone").asText());
    JsonNode today = dash.get("today");
    assertTrue(today.get("totals").get("requests").asLong() >= 5);
    assertTrue(today.get("activeAccounts").asLong() >= 1);
    assertTrue(today.get("topKeys").size() >= 2);
    assertTrue(dash.get("month").get("totals").get("costMicros").asLong()
        >= today.get("totals").get("costMicros").asLong());
  }

  /** The CSV of the request log and of aggregates parses back to the JSON numbers. */
  void checkCsv(TestNode node, Traffic t) throws Exception {
    List<Map<String, String>> csv = parseCsv(getText(node,
        "/admin/api/usage/requests.csv?accountId=" + t.account));
    assertEquals(5, csv.size());
    JsonNode rows = get(node, "/admin/api/usage/requests?limit=100&accountId=" + t.account).get("data");
    for (int i = 0; i < rows.size(); i++) {
      JsonNode j = rows.get(i);
      Map<String, String> c = csv.get(i);
      assertEquals(j.get("requestId").asText(), c.get("request_id"));
      assertEquals(j.get("costMicros").asLong(), Long.parseLong(c.get("cost_micros")));
      assertEquals(j.get("costUsd").asText(), c.get("cost_usd"));
      assertEquals(j.get("ratedCostMicros").asLong(), Long.parseLong(c.get("rated_cost_micros")));
      assertEquals(j.get("inputTokens").asLong(), Long.parseLong(c.get("input_tokens")));
      assertEquals(j.get("cacheWrite1hTokens").asLong(), Long.parseLong(c.get("cache_write_1h_tokens")));
      assertEquals(j.get("status").asInt(), Integer.parseInt(c.get("status")));
      assertEquals(j.get("clientDialect").asText(), c.get("client_dialect"));
      assertEquals(j.get("upstreamDialect").asText(), c.get("upstream_dialect"));
    }
    String q = "?period=day&by=key&from=" + LocalDate.now(ZONE).minusDays(1) + "&to=2100-01-01";
    JsonNode agg = get(node, "/admin/api/usage/aggregates" + q).get("data");
    List<Map<String, String>> aggCsv = parseCsv(getText(node, "/admin/api/usage/aggregates" + q + "&format=csv"));
    assertEquals(agg.size(), aggCsv.size());
    for (int i = 0; i < agg.size(); i++) {
      assertEquals(agg.get(i).get("value").asText(), aggCsv.get(i).get("value"));
      assertEquals(agg.get(i).get("totals").get("costMicros").asLong(), Long.parseLong(aggCsv.get(i).get("cost_micros")));
      assertEquals(agg.get(i).get("totals").get("requests").asLong(), Long.parseLong(aggCsv.get(i).get("requests")));
    }
  }

  void checkBadParameters(TestNode node) throws Exception {
    for (String path : List.of("/admin/api/usage/requests?status=abc", "/admin/api/usage/requests?from=yesterday",
        "/admin/api/usage/requests?limit=0", "/admin/api/usage/requests?from=2026-02-01&to=2026-01-01",
        "/admin/api/usage/aggregates?period=week", "/admin/api/usage/aggregates?by=color",
        "/admin/api/usage/requests?format=xml")) {
      HttpResponse<String> r = node.send("GET", path, null, node.login());
      assertEquals(400, r.statusCode(), path + " " + r.body());
      assertEquals("invalid_request_error", JSON.readTree(r.body()).get("error").get("type").asText(), path);
    }
    for (String body : List.of("{\"from\":\"2026-02-01\"}", "{\"from\":\"x\",\"to\":\"y\"}", "[]",
        "{\"from\":\"2000-01-01\",\"to\":\"2000-02-01\"}")) {
      HttpResponse<String> r = node.send("POST", "/admin/api/usage/reprice", JSON.readTree(body), node.login());
      assertEquals(400, r.statusCode(), body + " " + r.body());
    }
  }

  /**
   * Duplicate settles (the same request id twice on its key, and once more through another key's entity,
   * which the entity cannot see) count once; events from a zone's yesterday evening and night fall on two
   * days; an event older than the retention is in the aggregates only.
   */
  void checkExactlyOnceZoneAndRetention(TestNode node) throws Exception {
    String c = node.createKey("ledger-c", 0).get("id").asText();
    String d = node.createKey("ledger-d", 0).get("id").asText();
    long now = System.currentTimeMillis();
    UsageRecord dup = record("dup-" + UUID.randomUUID(), c, now - 600_000, 1000);
    settle(node, c, dup);
    settle(node, c, dup);
    settle(node, d, dup);
    long midnight = LocalDate.now(ZONE).minusDays(1).atStartOfDay(ZONE).toInstant().toEpochMilli();
    settle(node, c, record("late-" + UUID.randomUUID(), c, midnight - 1_800_000, 10));
    settle(node, c, record("early-" + UUID.randomUUID(), c, midnight + 1_800_000, 20));
    settle(node, c, record("ancient-" + UUID.randomUUID(), c, now - Duration.ofDays(200).toMillis(), 40));
    String expiring = "expiring-" + UUID.randomUUID();
    settle(node, c, record(expiring, c, now - Duration.ofDays(3).toMillis() + 15_000, 80));
    awaitJson(node, "/admin/api/usage/requests?keyId=" + c, n -> contains(n, expiring));
    // Sentinels behind the duplicates in both keys' tags: once they are in, so is everything before them.
    String sc = "sentinel-" + UUID.randomUUID();
    String sd = "sentinel-" + UUID.randomUUID();
    settle(node, c, record(sc, c, now - 600_000, 0));
    settle(node, d, record(sd, d, now - 600_000, 0));
    awaitJson(node, "/admin/api/usage/requests?keyId=" + c, n -> contains(n, sc));
    awaitJson(node, "/admin/api/usage/requests?keyId=" + d, n -> contains(n, sd));

    // Logged while inside the retention, deleted by the retention job once it is past it.
    awaitJson(node, "/admin/api/usage/requests?keyId=" + c, n -> !contains(n, expiring));
    JsonNode cRows = get(node, "/admin/api/usage/requests?keyId=" + c + "&limit=100").get("data");
    assertEquals(4, cRows.size(), "dup once, late, early, sentinel; the ancient one is past retention: " + cRows);
    assertEquals(1, get(node, "/admin/api/usage/requests?keyId=" + d).get("data").size(), "only d's sentinel");
    String allTime = "&from=0&to=4102444800000";
    Map<String, JsonNode> months = totalsBy(get(node, "/admin/api/usage/aggregates?period=month&by=key&value=" + c
        + allTime));
    assertEquals(6, months.get(c).get("requests").asLong(), "dup counted once, expired ones kept in aggregates");
    assertEquals(1000 + 10 + 20 + 40 + 80, months.get(c).get("costMicros").asLong());

    long dayBefore = LocalDate.now(ZONE).minusDays(2).atStartOfDay(ZONE).toInstant().toEpochMilli();
    JsonNode days = get(node, "/admin/api/usage/aggregates?period=day&by=key&value=" + c + "&from="
        + dayBefore + "&to=" + (midnight + 1)).get("data");
    assertEquals(2, days.size(), days.toString());
    assertEquals(dayBefore, days.get(0).get("bucketStart").asLong());
    assertEquals(10, days.get(0).get("totals").get("costMicros").asLong());
    assertEquals(midnight, days.get(1).get("bucketStart").asLong());
    assertEquals(20, days.get(1).get("totals").get("costMicros").asLong());
    assertTrue(days.get(1).get("bucket").asText().startsWith(LocalDate.now(ZONE).minusDays(1) + "T00:00"));
  }

  /** Every view, as the admin API shows it, for comparing before and after a rebuild or restart. */
  Map<String, JsonNode> snapshot(TestNode node) throws Exception {
    Map<String, JsonNode> out = new TreeMap<>();
    out.put("requests", get(node, "/admin/api/usage/requests?limit=1000").get("data"));
    for (String period : List.of("hour", "day", "month")) {
      for (String by : List.of("key", "account", "model")) {
        out.put(period + "/" + by, get(node, "/admin/api/usage/aggregates?period=" + period + "&by=" + by
            + "&from=0&to=4102444800000").get("data"));
      }
    }
    return out;
  }

  void checkRebuild(TestNode node) throws Exception {
    Map<String, JsonNode> before = snapshot(node);
    HttpResponse<String> r = node.send("POST", "/admin/api/usage/rebuild", null, node.login());
    assertEquals(202, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).get("requestLogRowsDeleted").asLong() > 0);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Map<String, JsonNode> after = snapshot(node);
    while (!after.equals(before) && System.nanoTime() < deadline) {
      Thread.sleep(300);
      after = snapshot(node);
    }
    assertEquals(before, after, "the rebuilt views equal the live ones");
  }

  void checkReprice(TestNode node, Traffic t, Path overrideFile, long to) throws Exception {
    String oldVersion = get(node, "/admin/api/usage/prices").get("version").asText();
    // Input of claude-sonnet-4-5-20250929 doubled to $6 per million, everything else as bundled.
    Files.writeString(overrideFile, "{\"" + SONNET + "\": {\"litellm_provider\": \"anthropic\","
        + "\"input_cost_per_token\": 6e-06, \"output_cost_per_token\": 1.5e-05,"
        + "\"cache_creation_input_token_cost\": 3.75e-06, \"cache_creation_input_token_cost_above_1hr\": 6e-06,"
        + "\"cache_read_input_token_cost\": 3e-07}}");
    ObjectNode period = JSON.createObjectNode().put("from", Instant.ofEpochMilli(t.since).toString())
        .put("to", Instant.ofEpochMilli(to).toString());
    JsonNode result = node.admin("POST", "/admin/api/usage/reprice", period);
    String newVersion = result.get("priceVersion").asText();
    assertNotEquals(oldVersion, newVersion);
    // Streams: 1200 x 6 = 7200 instead of 3600 -> 29805; the message: 100 x 6 + 300 = 900.
    long streamCost = STREAM_COST + 3600;
    assertEquals(5, result.get("requestsScanned").asLong(), result.toString());
    assertEquals(4, result.get("requestsRepriced").asLong());
    assertEquals(1, result.get("requestsUnchanged").asLong());
    assertEquals(3 * STREAM_COST + MESSAGE_COST, result.get("oldCostMicros").asLong());
    assertEquals(3 * streamCost + 900, result.get("newCostMicros").asLong());
    JsonNode model = result.get("byModel").get(0);
    assertEquals(SONNET, model.get("model").asText());
    assertEquals(4, model.get("requestsRepriced").asLong());

    JsonNode row = get(node, "/admin/api/usage/requests?keyId=" + t.keyA + "&limit=100").get("data");
    for (JsonNode r : row) {
      assertEquals(newVersion, r.get("priceVersion").asText());
      assertEquals(r.get("stream").asBoolean() ? streamCost : 900, r.get("costMicros").asLong());
      assertEquals(r.get("stream").asBoolean() ? 7200 : 600, r.get("inputCostMicros").asLong());
    }
    String all = "&from=0&to=4102444800000";
    for (String period2 : List.of("hour", "day", "month")) {
      assertEquals(2 * streamCost + 900, totalsBy(get(node, "/admin/api/usage/aggregates?by=key&period=" + period2
          + "&value=" + t.keyA + all)).get(t.keyA).get("costMicros").asLong(), period2);
    }
    JsonNode again = node.admin("POST", "/admin/api/usage/reprice", period);
    assertEquals(0, again.get("requestsRepriced").asLong(), "a second re-pricing changes nothing");
    // New requests are priced with the new table.
    JsonNode key = node.createKey("ledger-after", 0);
    RelayCall r = RelayCall.call(node.baseUrl(), key.get("key").asText(), true, SONNET, null);
    assertEquals(200, r.status());
    JsonNode after = awaitJson(node, "/admin/api/usage/requests?keyId=" + key.get("id").asText(),
        n -> n.get("data").size() == 1).get("data").get(0);
    assertEquals(newVersion, after.get("priceVersion").asText());
    assertEquals(streamCost, after.get("costMicros").asLong());
  }

  // ---- helpers

  static boolean contains(JsonNode page, String requestId) {
    for (JsonNode r : page.get("data")) {
      if (r.get("requestId").asText().equals(requestId)) {
        return true;
      }
    }
    return false;
  }

  static UsageRecord record(String requestId, String keyId, long startedAt, long costMicros) {
    return new UsageRecord(requestId, keyId, null, "claude", "messages", "acme-coder-1", null, false,
        10, 0, 0, 0, 0, costMicros, 0, 0, 0, costMicros, costMicros, "test", true, 200, RequestOutcome.COMPLETED,
        null, startedAt, 5, 4, 1, null, "test-agent", null, null, 3, 1.0, 1.0);
  }

  static void settle(TestNode node, String keyId, UsageRecord usage) {
    Done done = ClusterSharding.get(node.node().system())
        .entityRefFor(ApiKeyEntity.ENTITY_TYPE_KEY, keyId)
        .<Done>ask(reply -> new ApiKeyEntity.Settle("lease-" + UUID.randomUUID(), usage, reply), Duration.ofSeconds(10))
        .toCompletableFuture().join();
    assertEquals(Done.getInstance(), done);
  }

  /** Per dimension value, the sum of every bucket's totals (as JSON objects). */
  static Map<String, JsonNode> totalsBy(JsonNode page) {
    Map<String, ObjectNode> sums = new TreeMap<>();
    for (JsonNode row : page.get("data")) {
      ObjectNode sum = sums.computeIfAbsent(row.get("value").asText(), k -> JSON.createObjectNode());
      row.get("totals").fields().forEachRemaining(e -> {
        if (e.getValue().isNumber()) {
          sum.put(e.getKey(), sum.path(e.getKey()).asLong(0) + e.getValue().asLong());
        }
      });
    }
    return new TreeMap<>(sums);
  }

  static JsonNode get(TestNode node, String path) throws Exception {
    return node.admin("GET", path, null);
  }

  static String getText(TestNode node, String path) throws Exception {
    HttpResponse<String> r = node.send("GET", path, null, node.login());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/csv"));
    return r.body();
  }

  static JsonNode awaitJson(TestNode node, String path, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = get(node, path);
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(150);
    }
    throw new AssertionError(path + " never matched; last: " + last);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A small RFC 4180 reader: quoted fields with doubled quotes, CRLF rows; rows as header → value. */
  static List<Map<String, String>> parseCsv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          field.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        field.append(ch);
      }
    }
    List<String> header = rows.get(0);
    List<Map<String, String>> out = new ArrayList<>();
    for (List<String> r : rows.subList(1, rows.size())) {
      assertEquals(header.size(), r.size(), "every CSV row has every column");
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        m.put(header.get(i), r.get(i));
      }
      out.add(m);
    }
    return out;
  }
}
