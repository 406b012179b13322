package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.junit.jupiter.api.Test;

/**
 * With Pekko Management on, {@code GET /metrics} is served on the management port beside its own routes (with
 * the token, when one is set) and no longer on the main port.
 */
class MetricsManagementTest {

  @Test
  void theMetricsMoveToTheManagementPort() throws Exception {
    try (TestNode node = TestNode.embedded(Files.createTempDirectory("relay-metrics-mgmt-"), Map.of(
        "relay.cluster.management", "on",
        "relay.metrics.token", "management-metrics-token",
        "pekko.management.http.hostname", "127.0.0.1",
        "pekko.management.http.bind-hostname", "127.0.0.1",
        "pekko.management.http.port", 0))) {
      // Already started by the node: this gives the address it is bound at.
      URI management = URI.create(PekkoManagement.get(Adapter.toClassic(node.node().system())).start()
          .toCompletableFuture().get().toString());

      HttpResponse<String> metrics = get(node, management.resolve("/metrics"), "Bearer management-metrics-token");
      assertEquals(200, metrics.statusCode(), metrics.body());
      assertTrue(metrics.body().contains("relay_cluster_members"), metrics.body());
      assertEquals(401, get(node, management.resolve("/metrics"), null).statusCode());
      assertEquals(200, get(node, management.resolve("/alive"), null).statusCode(), "management's own routes stay");

      HttpResponse<String> main = get(node, URI.create(node.baseUrl() + "/metrics"), "Bearer management-metrics-token");
      assertEquals(404, main.statusCode(), main.body());
    }
  }

  private static HttpResponse<String> get(TestNode node, URI uri, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
    if (authorization != null) {
      b.header("authorization", authorization);
    }
    return node.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
