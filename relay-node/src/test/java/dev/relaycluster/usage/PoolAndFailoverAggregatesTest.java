package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool dimension of the usage aggregates (each request counted under the pool that served it), and the
 * failovers counted in every aggregate row (requests that needed more than one account).
 */
class PoolAndFailoverAggregatesTest {
  private static final String SONNET = "claude-sonnet-4-5-20250929";

  private static UsageRecord record(String pool, int status) {
    return record(pool, status, 1);
  }

  private static UsageRecord record(String pool, int status, int attempts) {
    return new UsageRecord("r-" + UUID.randomUUID(), "key-1", "acct-1", pool, "/v1/messages", SONNET, SONNET, false,
        100, 20, 0, 0, 0, 300, 300, 0, 0, 600, 600, "v1", false, status,
        status == 200 ? RequestOutcome.COMPLETED : RequestOutcome.UPSTREAM_ERROR, null, 1_796_256_000_000L, 40, 30,
        attempts, null, "ua", "claude-code", "2.0", 10, 1.0, 1.0);
  }

  @Test
  void aRequestServedOnASecondTryIsAFailover() {
    assertEquals(0, UsageTotals.of(record("claude", 200, 1)).failovers());
    assertEquals(1, UsageTotals.of(record("claude", 200, 2)).failovers());
    assertEquals(1, UsageTotals.of(record("claude", 429, 3)).failovers());
    assertEquals(2, UsageTotals.of(record("claude", 200, 2)).plus(UsageTotals.of(record("claude", 529, 2))).failovers());
    assertEquals(0, UsageTotals.costChange(5, 5).failovers(), "re-pricing changes no count");
  }

  @Test
  void theValueIsThePoolAndAMissingPoolIsNamed() {
    assertEquals(Optional.of(Dimension.POOL), Dimension.parse("pool"));
    assertEquals("pool", Dimension.POOL.wireName());
    assertEquals("openai", Dimension.POOL.of(record("openai", 200)));
    assertEquals(AggregateTable.NO_POOL, Dimension.POOL.of(record(null, 200)));
    assertEquals(AggregateTable.NO_POOL, Dimension.POOL.of(record(" ", 200)));
  }

  @Test
  void everyPeriodGetsAPoolRow() {
    AggregateWriter writer = new AggregateWriter(dev.relaycluster.store.SqlDialect.H2, ZoneId.of("UTC"));
    var changes = writer.changes();
    writer.collect(changes, record("gemini", 200), UsageTotals.of(record("gemini", 200)));
    writer.collect(changes, record("gemini", 529), UsageTotals.of(record("gemini", 529)));
    var pools = changes.entrySet().stream().filter(e -> e.getKey().dimension() == Dimension.POOL).toList();
    assertEquals(Period.values().length, pools.size(), pools.toString());
    for (var e : pools) {
      assertEquals("gemini", e.getKey().value());
      assertEquals(2, e.getValue().requests());
      assertEquals(1, e.getValue().errors());
    }
  }

  @Test
  void relayedRequestsAreInThePoolAggregatesWithTheirFailovers(@TempDir Path dir) throws Exception {
    try (MockAnthropic mock = new MockAnthropic(); TestNode node = TestNode.embedded(dir, Map.of())) {
      node.createConsoleAccount("pool-a-" + UUID.randomUUID(), mock.baseUrl(), "sk-ant-api03-pool-a", 10);
      node.createConsoleAccount("pool-b-" + UUID.randomUUID(), mock.baseUrl(), "sk-ant-api03-pool-b", 10);
      JsonNode key = node.createKey("pool-key", 0);
      String plain = key.get("key").asText();
      assertEquals(200, RelayCall.call(node.baseUrl(), plain, false, SONNET, null).status());
      assertEquals(200, RelayCall.call(node.baseUrl(), plain, true, SONNET, null).status());
      // The mock refuses this model with 429 on every account: the first account's refusal sends the request to
      // the second before any byte reached the client.
      assertEquals(429, RelayCall.call(node.baseUrl(), plain, false, "mock-429", null).status());
      JsonNode log = node.awaitRequests(key.get("id").asText(), rows -> rows.size() == 3);
      long retried = 0;
      for (JsonNode r : log) {
        retried += r.get("attempts").asInt() > 1 ? 1 : 0;
      }
      assertEquals(1, retried, "one request went to a second account: " + log);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      JsonNode rows;
      do {
        rows = node.admin("GET", "/admin/api/usage/aggregates?period=month&by=pool", null).get("data");
        if (rows.size() == 1 && rows.get(0).get("totals").get("requests").asLong() == 3) {
          break;
        }
        Thread.sleep(150);
      } while (System.nanoTime() < deadline);
      assertEquals(1, rows.size(), rows.toString());
      assertEquals("pool", rows.get(0).get("dimension").asText());
      assertEquals("claude", rows.get(0).get("value").asText());
      JsonNode totals = rows.get(0).get("totals");
      assertEquals(3, totals.get("requests").asLong());
      assertEquals(1, totals.get("failovers").asLong());
      assertEquals(1, totals.get("errors").asLong());
      JsonNode byKey = node.admin("GET", "/admin/api/usage/aggregates?period=day&by=key&value=" + key.get("id").asText(),
          null).get("data");
      assertEquals(1, byKey.get(0).get("totals").get("failovers").asLong(), byKey.toString());
      JsonNode one = node.admin("GET", "/admin/api/usage/aggregates?period=day&by=pool&value=claude", null).get("data");
      assertTrue(one.size() >= 1 && one.get(0).get("value").asText().equals("claude"), one.toString());
      HttpResponse<String> csv = node.send("GET", "/admin/api/usage/aggregates.csv?period=month&by=pool", null,
          node.login());
      assertTrue(csv.body().startsWith("period,bucket_start,dimension,value,") && csv.body().contains("failovers"),
          csv.body());
    }
  }
}
