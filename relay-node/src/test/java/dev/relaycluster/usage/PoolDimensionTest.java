package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool dimension of the usage aggregates: each request counted under the pool that served it. */
class PoolDimensionTest {
  private static final String SONNET = "claude-sonnet-4-5-20250929";

  private static UsageRecord record(String pool, int status) {
    return new UsageRecord("r-" + UUID.randomUUID(), "key-1", "acct-1", pool, "/v1/messages", SONNET, SONNET, false,
        100, 20, 0, 0, 0, 300, 300, 0, 0, 600, 600, "v1", false, status,
        status == 200 ? RequestOutcome.COMPLETED : RequestOutcome.UPSTREAM_ERROR, null, 1_796_256_000_000L, 40, 30, 1,
        null, "ua", "claude-code", "2.0", 10, 1.0, 1.0);
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
  void aRelayedRequestIsInThePoolAggregates(@TempDir Path dir) throws Exception {
    try (MockAnthropic mock = new MockAnthropic(); TestNode node = TestNode.embedded(dir, Map.of())) {
      node.createConsoleAccount("pool-" + UUID.randomUUID(), mock.baseUrl(), "sk-ant-api03-pool", 10);
      String key = node.createKey("pool-key", 0).get("key").asText();
      assertEquals(200, RelayCall.call(node.baseUrl(), key, false, SONNET, null).status());
      assertEquals(200, RelayCall.call(node.baseUrl(), key, true, SONNET, null).status());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      JsonNode rows;
      do {
        rows = node.admin("GET", "/admin/api/usage/aggregates?period=month&by=pool", null).get("data");
        if (rows.size() == 1 && rows.get(0).get("totals").get("requests").asLong() == 2) {
          break;
        }
        Thread.sleep(150);
      } while (System.nanoTime() < deadline);
      assertEquals(1, rows.size(), rows.toString());
      assertEquals("pool", rows.get(0).get("dimension").asText());
      assertEquals("claude", rows.get(0).get("value").asText());
      assertEquals(2, rows.get(0).get("totals").get("requests").asLong());
      JsonNode one = node.admin("GET", "/admin/api/usage/aggregates?period=day&by=pool&value=claude", null).get("data");
      assertTrue(one.size() >= 1 && one.get(0).get("value").asText().equals("claude"), one.toString());
    }
  }
}
