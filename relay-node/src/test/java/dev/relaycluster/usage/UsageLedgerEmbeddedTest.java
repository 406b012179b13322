package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage ledger on the embedded default (H2 file), including a node restart on the same files. */
class UsageLedgerEmbeddedTest extends UsageLedgerContract {

  @Override
  TestNode start(Path dataDir, Map<String, Object> extra) {
    return TestNode.embedded(dataDir, extra);
  }

  private static com.fasterxml.jackson.databind.JsonNode wrap(com.fasterxml.jackson.databind.JsonNode data) {
    return JSON.createObjectNode().set("data", data);
  }

  @Test
  void everyViewOnH2AndAcrossARestart(@TempDir Path dir) throws Exception {
    Path prices = neutralOverride(dir);
    Path data = dir.resolve("data");
    try (MockAnthropic mock = new MockAnthropic()) {
      Traffic t;
      long trafficEnd;
      Map<String, com.fasterxml.jackson.databind.JsonNode> before;
      try (TestNode node = start(data, settings(prices))) {
        t = recordTraffic(node, mock);
        checkRequestLog(node, t);
        checkAggregates(node, t);
        checkCsv(node, t);
        checkBadParameters(node);
        checkExactlyOnceZoneAndRetention(node);
        checkRebuild(node);
        before = snapshot(node);
        trafficEnd = System.currentTimeMillis();
      }
      try (TestNode node = start(data, settings(prices))) {
        // Give the restarted projection time to (wrongly) replay anything: a request after the restart
        // must be the only change.
        String key = node.createKey("after-restart", 0).get("key").asText();
        assertEquals(200, RelayCall.call(node.baseUrl(), key, false, SONNET, null).status());
        awaitJson(node, "/admin/api/usage/requests?limit=1000", n -> n.get("data").size()
            == before.get("requests").size() + 1);
        Map<String, com.fasterxml.jackson.databind.JsonNode> after = snapshot(node);
        com.fasterxml.jackson.databind.node.ArrayNode rows = (com.fasterxml.jackson.databind.node.ArrayNode)
            after.get("requests").deepCopy();
        rows.remove(0);
        assertEquals(before.get("requests"), rows, "the request log is unchanged but for the new request");
        assertEquals(before.get("month/account").size() + 0, after.get("month/account").size());
        assertEquals(totalsBy(wrap(before.get("month/key"))), totalsBy(wrap(after.get("month/key"))).entrySet().stream()
            .filter(e -> before.get("month/key").toString().contains("\"" + e.getKey() + "\""))
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x,
                java.util.TreeMap::new)), "no event was counted twice after the restart");
        checkReprice(node, t, prices, trafficEnd);
      }
    }
  }
}
