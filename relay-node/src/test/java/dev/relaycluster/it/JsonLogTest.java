package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.AdminClient;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropic.Scripted;
import dev.relaycluster.testing.MockOAuthServer;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The node's logs, in its own process, in both formats. RELAY_LOG_FORMAT=json: every log line is one JSON object
 * (logback's JSON encoder), and each finished request has a line of its own with its facts as fields (the route its
 * tries took, the client's address). Both formats, over a run that makes and uses every kind of secret (an API-key
 * account and an OAuth account whose token is refreshed, the relay key, the admin password and session token, the
 * encryption key, the metrics token, a webhook's URL and signing secret) and goes through a failover and error
 * paths: no secret appears in any line.
 */
class JsonLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SONNET = "claude-sonnet-4-5-20250929";

  /** What one run made and where it logged. */
  private record Run(Path log, Map<String, String> secrets, String okId, String failoverId, String consoleId,
      String oauthId, String errorId) {}

  @Test
  void everyLineIsJsonAndEachFinishedRequestHasOneWithoutSecrets() throws Exception {
    Run run = run(true);
    List<String> lines = Files.readAllLines(run.log());
    assertNoSecrets(run, lines);
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
    }
    assertTrue(logged.size() > 5, "the node logged in JSON: " + lines);
    for (JsonNode l : logged) {
      assertTrue(l.has("level") && l.has("loggerName") && l.has("message"), l.toString());
    }
    Map<String, Map<String, String>> finished = new LinkedHashMap<>();
    for (JsonNode l : logged) {
      if ("relay.requests".equals(l.path("loggerName").asText())) {
        Map<String, String> f = fields(l);
        assertEquals(null, finished.put(f.get("requestId"), f), "one line per request: " + f);
      }
    }
    assertEquals(3, finished.size(), "a line for each request that reached the relay: " + finished.keySet());
    Map<String, String> f = finished.get(run.okId());
    assertNotNull(f, finished.toString());
    assertEquals("json-logs", f.get("keyName"));
    assertEquals("claude", f.get("pool"));
    assertEquals("anthropic", f.get("dialect"));
    assertEquals("200", f.get("status"));
    assertEquals("COMPLETED", f.get("outcome"));
    assertEquals("session:" + run.consoleId() + "=200", f.get("route"));
    assertEquals("127.0.0.1", f.get("client"));
    assertTrue(Long.parseLong(f.get("durationMs")) >= 0);
    assertTrue(Long.parseLong(f.get("outputTokens")) > 0, f.toString());

    // The console account is overloaded; the OAuth account's token is refused, refreshed, and then serves.
    Map<String, String> failover = finished.get(run.failoverId());
    assertEquals("2", failover.get("attempts"), failover.toString());
    assertEquals(run.oauthId(), failover.get("accountId"));
    String route = failover.get("route");
    assertTrue(route.startsWith("session:" + run.consoleId() + "=529 overloaded > session-rebound:" + run.oauthId()
        + "=401 ") && route.endsWith(",200"), route);

    Map<String, String> error = finished.get(run.errorId());
    assertEquals("400", error.get("status"), error.toString());
    assertEquals("UPSTREAM_ERROR", error.get("outcome"));
  }

  /** The plain format, on a node that keeps no decision traces. */
  @Test
  void thePlainFormatLogsNoSecretEither() throws Exception {
    Run run = run(false);
    List<String> lines = Files.readAllLines(run.log());
    assertNoSecrets(run, lines);
    String failover = lines.stream().filter(l -> l.contains("request finished") && l.contains(run.failoverId()))
        .findFirst().orElseThrow(() -> new AssertionError("the plain format has the request lines too "
            + "(RELAY_LOG_REQUESTS=INFO): " + lines));
    assertTrue(failover.contains(" route=\"session:" + run.consoleId() + "=529 overloaded > session-rebound:"
        + run.oauthId() + "=401 ") && failover.contains(" client=\"127.0.0.1\""),
        "the route, though this node keeps no decision trace (RELAY_TRACE_CAPACITY=0), and the client: " + failover);
  }

  private static void assertNoSecrets(Run run, List<String> lines) {
    assertTrue(lines.size() > 5, "the node logged: " + lines);
    for (String line : lines) {
      for (Map.Entry<String, String> secret : run.secrets().entrySet()) {
        assertFalse(line.contains(secret.getValue()), secret.getKey() + " in the log: " + line);
      }
    }
  }

  /** One node, in the JSON or the plain format, through the run; its log once it has stopped. */
  private static Run run(boolean json) throws Exception {
    Path dir = Path.of("target", "json-log-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
    Files.createDirectories(dir);
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("the admin password", AdminClient.ADMIN_PASSWORD);
    secrets.put("the encryption key", "enc-" + UUID.randomUUID() + UUID.randomUUID());
    secrets.put("the metrics token", "metrics-" + UUID.randomUUID());
    try (MockAnthropic mock = new MockAnthropic(); MockOAuthServer oauth = new MockOAuthServer()) {
      Map<String, String> env = new HashMap<>();
      env.put("HOST", "127.0.0.1");
      env.put("CLUSTER_HOST", "127.0.0.1");
      env.put("RELAY_DATA_DIR", dir.resolve("data").toString());
      env.put("ADMIN_USERNAME", AdminClient.ADMIN_USER);
      env.put("ADMIN_PASSWORD", AdminClient.ADMIN_PASSWORD);
      env.put("ENCRYPTION_KEY", secrets.get("the encryption key"));
      env.put("RELAY_METRICS_TOKEN", secrets.get("the metrics token"));
      env.put("CLAUDE_OAUTH_TOKEN_URL", oauth.tokenUrl());
      env.put("CLAUDE_OAUTH_PROFILE_URL", oauth.profileUrl());
      env.put("CLAUDE_OAUTH_AUTHORIZE_URL", oauth.baseUrl() + "/oauth/authorize");
      if (json) {
        env.put("RELAY_LOG_FORMAT", "json");
      } else {
        // The production plain configuration (the test class path would otherwise give logback-test.xml), with the
        // request lines on.
        env.put("JAVA_TOOL_OPTIONS", "-Dlogback.configurationFile=logback.xml");
        env.put("RELAY_LOG_REQUESTS", "INFO");
        // No decision trace kept: the request lines still show the route.
        env.put("RELAY_TRACE_CAPACITY", "0");
      }
      NodeProcess node = new NodeProcess(env, NodeProcess.freePort(), NodeProcess.freePort(), dir.resolve("node.log"));
      try {
        node.start();
        awaitHealthy(node);
        AdminClient admin = new AdminClient(node.baseUrl());
        secrets.put("the admin session token", admin.login());

        secrets.put("the console account's API key", "sk-ant-api03-" + UUID.randomUUID());
        String consoleId = admin.createConsoleAccount("logged", mock.baseUrl(), secrets.get(
            "the console account's API key"), 1);
        String access = "sk-ant-oat01-" + UUID.randomUUID();
        String refresh = "sk-ant-ort01-" + UUID.randomUUID();
        secrets.put("the OAuth access token", access);
        secrets.put("the OAuth refresh token", refresh);
        oauth.acceptRefreshToken(refresh);
        ObjectNode oauthAccount = JSON.createObjectNode().put("name", "oauth").put("type", "claude-oauth")
            .put("baseUrl", mock.baseUrl()).put("accessToken", access).put("refreshToken", refresh)
            .put("expiresAt", System.currentTimeMillis() + 3_600_000).put("priority", 2);
        String oauthId = admin.admin("POST", "/admin/api/accounts", oauthAccount).get("id").asText();
        String plainKey = admin.createKey("json-logs", 0).get("key").asText();
        secrets.put("the relay key", plainKey);

        // A webhook whose URL and signing secret are secret; its test delivery fails (nothing listens there).
        String hookPath = "hook-" + UUID.randomUUID();
        secrets.put("the webhook's URL", hookPath);
        secrets.put("the webhook's secret", "whsec-" + UUID.randomUUID());
        ObjectNode hook = JSON.createObjectNode().put("name", "ops").put("channel", "webhook");
        hook.putObject("config").put("url", "http://127.0.0.1:9/" + hookPath)
            .put("secret", secrets.get("the webhook's secret"));
        String hookId = admin.admin("POST", "/admin/api/webhooks", hook).get("id").asText();
        admin.send("POST", "/admin/api/webhooks/" + hookId + "/test", null, secrets.get("the admin session token"));

        RelayCall ok = RelayCall.call(node.baseUrl(), plainKey, true, SONNET, UUID.randomUUID().toString());
        assertEquals(200, ok.status(), ok.body());

        mock.script(secrets.get("the console account's API key"), Scripted.overloaded());
        mock.always(access, Scripted.unauthorized());
        RelayCall failover = RelayCall.call(node.baseUrl(), plainKey, false, SONNET, UUID.randomUUID().toString());
        assertEquals(200, failover.status(), failover.body());
        assertTrue(oauth.refreshCalls() >= 1, "the OAuth account's token was refreshed");
        secrets.put("the refreshed access token", oauth.lastAccessToken());
        secrets.put("the rotated refresh token", oauth.lastRefreshToken());

        // Upstream refuses the request itself, whichever account takes it: passed to the client.
        String invalid = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"}}";
        mock.script(secrets.get("the console account's API key"), Scripted.error(400, invalid, ""));
        mock.script(oauth.lastAccessToken(), Scripted.error(400, invalid, ""));
        RelayCall error = RelayCall.call(node.baseUrl(), plainKey, false, SONNET, UUID.randomUUID().toString());
        assertEquals(400, error.status(), error.body());

        // Turned away before the relay: a wrong key, a body that is not JSON; the metrics with and without the token.
        assertEquals(401, RelayCall.call(node.baseUrl(), "cr_" + "0".repeat(64), false, SONNET, null).status());
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unreadable = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl()
                + "/api/v1/messages")).header("x-api-key", plainKey).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\": ")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, unreadable.statusCode());
        for (String token : new String[] {secrets.get("the metrics token"), "wrong-" + UUID.randomUUID()}) {
          http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/metrics"))
              .header("authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        }
        return new Run(node.log(), secrets, ok.requestId(), failover.requestId(), consoleId, oauthId,
            error.requestId());
      } finally {
        node.terminate(60);
      }
    }
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
