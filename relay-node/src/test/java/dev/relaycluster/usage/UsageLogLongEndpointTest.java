package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A usage record whose endpoint is longer than its request-log column (a client's Code Assist operation name
 * can make one) lands cut to the column, and the records after it land too: it must not stop the projection
 * (it did: the batch failed on every retry and the projection of that partition stopped).
 */
class UsageLogLongEndpointTest {

  @Test
  void aLongEndpointIsCutAndTheLogKeepsFlowing(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.embedded(dir, Map.of())) {
      String key = node.createKey("long-endpoint", 0).get("id").asText();
      long now = System.currentTimeMillis();
      String longId = "long-" + UUID.randomUUID();
      UsageRecord base = UsageLedgerContract.record(longId, key, now, 5);
      UsageRecord longEndpoint = new UsageRecord(base.requestId(), base.keyId(), base.accountId(), base.platform(),
          "v1internal/operations/" + "o".repeat(128), base.model(), base.servedModel(), base.stream(),
          base.inputTokens(), base.outputTokens(), base.cacheReadTokens(), base.cacheWrite5mTokens(),
          base.cacheWrite1hTokens(), base.inputCostMicros(), base.outputCostMicros(), base.cacheWriteCostMicros(),
          base.cacheReadCostMicros(), base.costMicros(), base.ratedCostMicros(), base.priceVersion(),
          base.priceFallback(), base.status(), base.outcome(), base.errorType(), base.startedAt(), base.durationMs(),
          base.firstByteMs(), base.attempts(), base.sessionHash(), base.userAgent(), base.client(),
          base.clientVersion(), base.upstreamLatencyMs(), base.accountPriceMultiplier(), base.serviceRate());
      UsageLedgerContract.settle(node, key, longEndpoint);
      String after = "after-" + UUID.randomUUID();
      UsageLedgerContract.settle(node, key, UsageLedgerContract.record(after, key, now + 1, 7));

      JsonNode rows = node.awaitRequests(key, r -> r.size() == 2);
      for (JsonNode row : rows) {
        if (row.get("requestId").asText().equals(longId)) {
          assertEquals(("v1internal/operations/" + "o".repeat(128)).substring(0, 64), row.get("endpoint").asText());
        }
      }
      assertEquals(2, rows.size(), rows.toString());
    }
  }
}
