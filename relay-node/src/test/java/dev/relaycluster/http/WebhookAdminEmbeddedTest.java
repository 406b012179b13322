package dev.relaycluster.http;

import dev.relaycluster.testing.TestNode;
import java.nio.file.Path;
import java.util.Map;

/** The webhook admin API on the embedded default (H2, in-process TTL store). */
class WebhookAdminEmbeddedTest extends WebhookAdminContract {
  @Override
  TestNode startNode(Path dataDir, Map<String, Object> extra) {
    return TestNode.embedded(dataDir, extra);
  }
}
