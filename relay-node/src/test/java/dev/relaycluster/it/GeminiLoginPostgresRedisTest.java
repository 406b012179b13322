package dev.relaycluster.it;

import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** Gemini through the relay on Google logins on the cluster profile: PostgreSQL journal and read tables, Redis TTL store. */
class GeminiLoginPostgresRedisTest extends GeminiLoginRelayContract {
  private String database;

  @Override
  TestNode startNode(Path dataDir, Map<String, Object> extra) throws Exception {
    database = TestDatabases.create();
    return TestNode.postgresAndRedis(dataDir, database, "relay-gemini-login-test-" + UUID.randomUUID() + ":", extra);
  }

  @Override
  void afterNodeStopped() {
    if (database != null) {
      TestDatabases.drop(database);
    }
  }
}
