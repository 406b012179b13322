package dev.relaycluster.it;

import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

/**
 * {@link ChatOnEveryPoolTest} on the cluster profile: PostgreSQL journal and read tables, and the Redis TTL store,
 * which keeps the replay notes (the Gemini thought signature a Chat client cannot carry comes back from Redis).
 */
class ChatOnEveryPoolPostgresRedisTest extends ChatOnEveryPoolTest {
  private String database;

  @Override
  TestNode startNode() throws Exception {
    database = TestDatabases.create();
    return TestNode.postgresAndRedis(Files.createTempDirectory("relay-any-pool-pg-"), database,
        "relay-any-pool-test-" + UUID.randomUUID() + ":", Map.of());
  }

  @Override
  void afterNodeStopped() {
    if (database != null) {
      TestDatabases.drop(database);
    }
  }
}
