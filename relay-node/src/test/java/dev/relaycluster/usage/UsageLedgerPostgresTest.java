package dev.relaycluster.usage;

import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage ledger on PostgreSQL and Redis. */
class UsageLedgerPostgresTest extends UsageLedgerContract {
  private String url;

  @Override
  TestNode start(Path dataDir, Map<String, Object> extra) throws Exception {
    return TestNode.postgresAndRedis(dataDir, url, "ledger-" + UUID.randomUUID() + ":", extra);
  }

  @Test
  void everyViewOnPostgres(@TempDir Path dir) throws Exception {
    url = TestDatabases.create();
    Path prices = neutralOverride(dir);
    try (MockAnthropic mock = new MockAnthropic(); TestNode node = start(dir, settings(prices))) {
      Traffic t = recordTraffic(node, mock);
      checkRequestLog(node, t);
      checkAggregates(node, t);
      checkCsv(node, t);
      checkBadParameters(node);
      checkExactlyOnceZoneAndRetention(node);
      checkRebuild(node);
      checkReprice(node, t, prices, System.currentTimeMillis() + 1000);
    } finally {
      TestDatabases.drop(url);
    }
  }
}
