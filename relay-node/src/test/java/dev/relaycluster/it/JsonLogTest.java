package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.AdminClient;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.NodeProcess;
import dev.relaycluster.testing.RelayCall;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * RELAY_LOG_FORMAT=json on a node in its own process: every log line is one JSON object (logback's JSON
 * encoder), each finished request has a line of its own with its facts as fields, and no secret made in the
 * run appears in any line.
 */
class JsonLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyLineIsJsonAndEachFinishedRequestHasOneWithoutSecrets() throws Exception {
    Path dir = Path.of("target", "json-log-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
    Files.createDirectories(dir);
    Map<String, String> env = new HashMap<>();
    env.put("HOST", "127.0.0.1");
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("RELAY_DATA_DIR", dir.resolve("data").toString());
    env.put("ADMIN_USERNAME", AdminClient.ADMIN_USER);
    env.put("ADMIN_PASSWORD", AdminClient.ADMIN_PASSWORD);
    env.put("RELAY_LOG_FORMAT", "json");
    NodeProcess node = new NodeProcess(env, NodeProcess.freePort(), NodeProcess.freePort(), dir.resolve("node.log"));
    String accountSecret = "sk-ant-api03-" + UUID.randomUUID();
    String plainKey;
    String requestId;
    try (MockAnthropic mock = new MockAnthropic()) {
      node.start();
      awaitHealthy(node);
      AdminClient admin = new AdminClient(node.baseUrl());
      admin.createConsoleAccount("logged", mock.baseUrl(), accountSecret, 1);
      plainKey = admin.createKey("json-logs", 0).get("key").asText();
      RelayCall ok = RelayCall.call(node.baseUrl(), plainKey, true, "claude-sonnet-4-5-20250929",
          UUID.randomUUID().toString());
      assertEquals(200, ok.status(), ok.body());
      requestId = ok.requestId();
    } finally {
      node.terminate(60);
    }

    List<String> lines = Files.readAllLines(node.log());
    List<JsonNode> logged = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("{")) {
        logged.add(JSON.readTree(line));
      } else {
        // Only the start banner is written without the logger (to stdout, for people), and pekko-projection
        // prints one "# stop <projection>" line per projection at shutdown with println, beyond our reach.
        assertTrue(line.isBlank() || line.startsWith("Relay Cluster node") || line.startsWith("  ")
            || line.startsWith("# stop org.apache.pekko.projection."),
            "a log line that is not JSON: " + line);
      }
      assertFalse(line.contains(accountSecret), "the account's API key in the log: " + line);
      assertFalse(line.contains(plainKey), "the relay key in the log: " + line);
      assertFalse(line.contains(AdminClient.ADMIN_PASSWORD), "the admin password in the log: " + line);
    }
    assertTrue(logged.size() > 5, "the node logged in JSON: " + lines);
    for (JsonNode l : logged) {
      assertTrue(l.has("level") && l.has("loggerName") && l.has("message"), l.toString());
    }
    List<Map<String, String>> finished = new ArrayList<>();
    for (JsonNode l : logged) {
      if ("relay.requests".equals(l.path("loggerName").asText())) {
        finished.add(fields(l));
      }
    }
    assertEquals(1, finished.size(), "one line for the one request: " + finished);
    Map<String, String> f = finished.get(0);
    assertEquals(requestId, f.get("requestId"));
    assertEquals("json-logs", f.get("keyName"));
    assertEquals("claude", f.get("pool"));
    assertEquals("anthropic", f.get("dialect"));
    assertEquals("200", f.get("status"));
    assertEquals("COMPLETED", f.get("outcome"));
    assertTrue(Long.parseLong(f.get("durationMs")) >= 0);
    assertTrue(Long.parseLong(f.get("outputTokens")) > 0, f.toString());
  }

  /** The key-value pairs of a line, however the encoder nests them. */
  private static Map<String, String> fields(JsonNode line) {
    Map<String, String> out = new HashMap<>();
    JsonNode kvp = line.path("kvpList");
    if (kvp.isArray()) {
      for (JsonNode pair : kvp) {
        pair.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
      }
    } else {
      kvp.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  private static void awaitHealthy(NodeProcess node) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(node.alive(), "the node process ended; see " + node.log());
      try {
        HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (h.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the node did not become healthy; see " + node.log());
  }
}
