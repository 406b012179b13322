package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.cluster.NodeDrain;
import dev.relaycluster.testing.MockOpenAi;
import dev.relaycluster.testing.TestNode;
import dev.relaycluster.testing.WsListener;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that drains lets an open Responses WebSocket finish the turn in flight, settles it, and then
 * closes the socket cleanly; new upgrades are refused at once so the client reconnects elsewhere.
 */
class ResponsesSocketDrainTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  @Test
  void aDrainingNodeFinishesTheTurnThenClosesTheSocket() throws Exception {
    try (MockOpenAi mock = new MockOpenAi(); TestNode node = TestNode.embedded(dataDir, Map.of())) {
      ObjectNode account = JSON.createObjectNode().put("name", "api").put("platform", "openai")
          .put("type", "openai-api").put("baseUrl", mock.baseUrl()).put("apiKey", MockOpenAi.API_KEY);
      node.admin("POST", "/admin/api/accounts", account);
      JsonNode key = node.createKey("drain", 0);
      String url = node.baseUrl().replace("http", "ws") + "/openai/v1/responses";
      WsListener frames = new WsListener();
      WebSocket ws = node.http().newWebSocketBuilder().header("authorization", "Bearer " + key.get("key").asText())
          .buildAsync(URI.create(url), frames).join();
      // mock-slow spreads its events 200 ms apart: the drain starts while the turn is in flight.
      ws.sendText("{\"type\":\"response.create\",\"model\":\"mock-slow\",\"input\":\"hi\"}", true).join();
      assertEquals("response.created", frames.next().path("type").asText());
      NodeDrain.get(node.node().system()).startDraining();
      List<JsonNode> rest = frames.untilDone();
      assertEquals("response.completed", rest.get(rest.size() - 1).path("type").asText(), rest.toString());
      assertEquals(1000, frames.closed.get(10, TimeUnit.SECONDS), "closed cleanly after the turn");
      JsonNode row = node.awaitRequests(key.get("id").asText(), rows -> rows.size() == 1).get(0);
      assertEquals("COMPLETED", row.get("outcome").asText());
      assertEquals(MockOpenAi.OUTPUT_TOKENS, row.get("outputTokens").asLong());

      var refused = node.http().newWebSocketBuilder().header("authorization", "Bearer " + key.get("key").asText())
          .buildAsync(URI.create(url), new WsListener());
      Throwable failure = refused.handle((s, t) -> t).get(10, TimeUnit.SECONDS);
      assertTrue(failure != null && failure.getCause() instanceof java.net.http.WebSocketHandshakeException,
          String.valueOf(failure));
      assertEquals(503, ((java.net.http.WebSocketHandshakeException) failure.getCause()).getResponse().statusCode());
    }
  }
}
