package dev.relaycluster.it;

import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

/** {@link OtherClientsOnOtherPoolsTest} on the cluster profile: PostgreSQL and Redis. */
class OtherClientsOnOtherPoolsPostgresRedisTest extends OtherClientsOnOtherPoolsTest {
  private String database;

  @Override
  TestNode startNode() throws Exception {
    database = TestDatabases.create();
    return TestNode.postgresAndRedis(Files.createTempDirectory("relay-other-pools-pg-"), database,
        "relay-other-pools-test-" + UUID.randomUUID() + ":", Map.of());
  }

  @Override
  void afterNodeStopped() {
    if (database != null) {
      TestDatabases.drop(database);
    }
  }
}
