package dev.relaycluster.http;

import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** The webhook admin API on the cluster profile: targets in PostgreSQL, sessions in Redis. */
class WebhookAdminPostgresTest extends WebhookAdminContract {
  private String database;

  @Override
  TestNode startNode(Path dataDir, Map<String, Object> extra) throws Exception {
    database = TestDatabases.create();
    return TestNode.postgresAndRedis(dataDir, database, "relay-webhooks-" + UUID.randomUUID() + ":", extra);
  }

  @Override
  void afterNodeStopped() {
    if (database != null) {
      TestDatabases.drop(database);
    }
  }
}
