package dev.relaycluster.it;

import dev.relaycluster.testing.TestNode;
import java.nio.file.Path;
import java.util.Map;

/** Gemini through the relay on Google logins on the embedded default: H2 file journal, in-process TTL store. */
class GeminiLoginEmbeddedTest extends GeminiLoginRelayContract {
  @Override
  TestNode startNode(Path dataDir, Map<String, Object> extra) {
    return TestNode.embedded(dataDir, extra);
  }
}
