package dev.relaycluster.it;

import dev.relaycluster.testing.TestNode;
import java.nio.file.Path;
import java.util.Map;

/** The relay contract on the embedded default: H2 file journal, in-process TTL store. */
class EmbeddedRelayTest extends RelayContract {
  @Override
  TestNode startNode(Path dataDir, Map<String, Object> extra) {
    return TestNode.embedded(dataDir, extra);
  }
}
