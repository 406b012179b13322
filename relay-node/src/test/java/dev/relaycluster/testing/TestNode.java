package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.relaycluster.node.RelayNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A relay node started in this JVM on free ports, plus a small admin client for tests. The same
 * settings a user gives through the environment are given here as config overrides.
 */
public final class TestNode implements AutoCloseable {
  public static final String ADMIN_USER = "admin";
  public static final String ADMIN_PASSWORD = "test-admin-password-123";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RelayNode node;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String token;

  private TestNode(RelayNode node) {
    this.node = node;
  }

  /** Starts on the embedded default (H2 in {@code dataDir}, in-process TTL store). */
  public static TestNode embedded(Path dataDir, Map<String, Object> extra) {
    Map<String, Object> cfg = base(dataDir);
    cfg.putAll(extra);
    return start(cfg);
  }

  /** Starts on PostgreSQL (the given database) and Redis (keys under a prefix of its own). */
  public static TestNode postgresAndRedis(Path dataDir, String jdbcUrl, String redisPrefix, Map<String, Object> extra) {
    Map<String, Object> cfg = base(dataDir);
    cfg.put("relay.db.url", jdbcUrl);
    cfg.put("relay.db.user", TestDatabases.USER);
    cfg.put("relay.db.password", "");
    cfg.put("relay.redis.host", "127.0.0.1");
    cfg.put("relay.redis.port", 6379);
    cfg.put("relay.redis.key-prefix", redisPrefix);
    cfg.put("relay.encryption-key", "an-encryption-key-for-tests-only-0123456789");
    cfg.putAll(extra);
    return start(cfg);
  }

  private static Map<String, Object> base(Path dataDir) {
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("relay.host", "127.0.0.1");
    cfg.put("relay.port", 0);
    cfg.put("relay.data-dir", dataDir.toString());
    cfg.put("relay.admin.username", ADMIN_USER);
    cfg.put("relay.admin.password", ADMIN_PASSWORD);
    cfg.put("relay.db.url", "");
    cfg.put("relay.redis.host", "");
    cfg.put("relay.encryption-key", "");
    cfg.put("pekko.remote.artery.canonical.port", 0);
    cfg.put("relay.upstream.response-timeout", "1500ms");
    return cfg;
  }

  private static TestNode start(Map<String, Object> cfg) {
    Config config = ConfigFactory.parseMap(cfg).withFallback(ConfigFactory.load());
    return new TestNode(RelayNode.start(config));
  }

  public RelayNode node() {
    return node;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + node.port();
  }

  public HttpClient http() {
    return http;
  }

  // ---- admin client

  public String login() throws IOException, InterruptedException {
    if (token == null) {
      HttpResponse<String> r = post("/admin/api/login",
          JSON.createObjectNode().put("username", ADMIN_USER).put("password", ADMIN_PASSWORD), null);
      if (r.statusCode() != 200) {
        throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
      }
      token = JSON.readTree(r.body()).get("token").asText();
    }
    return token;
  }

  public HttpResponse<String> post(String path, JsonNode body, String bearer) throws IOException, InterruptedException {
    return send("POST", path, body, bearer);
  }

  public HttpResponse<String> send(String method, String path, JsonNode body, String bearer)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    if (bearer != null) {
      b.header("authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public JsonNode admin(String method, String path, JsonNode body) throws IOException, InterruptedException {
    HttpResponse<String> r = send(method, path, body, login());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + " → " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  public String createConsoleAccount(String name, String baseUrl, String apiKey, int priority)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("platform", "claude").put("type", "claude-console")
        .put("baseUrl", baseUrl).put("apiKey", apiKey).put("priority", priority);
    return admin("POST", "/admin/api/accounts", body).get("id").asText();
  }

  /** Creates a key; returns {id, key}. */
  public JsonNode createKey(String name, int concurrencyLimit) throws IOException, InterruptedException {
    return admin("POST", "/admin/api/keys",
        JSON.createObjectNode().put("name", name).put("concurrencyLimit", concurrencyLimit));
  }

  /** Polls the request log of a key until the predicate holds (the projection is asynchronous). */
  public JsonNode awaitRequests(String keyId, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = admin("GET", "/admin/api/usage/requests?keyId=" + keyId + "&limit=100", null).get("data");
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("request log of " + keyId + " never matched; last: " + last);
  }

  @Override
  public void close() {
    node.close();
  }
}
