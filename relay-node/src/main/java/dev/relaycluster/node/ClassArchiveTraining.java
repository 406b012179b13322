package dev.relaycluster.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The training run behind the node's class-data archive. Run once per built jar with
 * {@code -XX:ArchiveClassesAtExit=relay-node.jsa}: it starts a node in a throw-away data directory on
 * free loopback ports, walks the paths a first request takes (health, admin login, a key and an account
 * created, a relayed streaming request), stops the node and exits, so the JVM writes every class it
 * loaded into the archive. A node launched with {@code -XX:SharedArchiveFile=relay-node.jsa} then maps
 * those classes instead of loading, verifying and linking them again, which is most of its start-up.
 *
 * <p>The relayed request goes to an account whose upstream is this node's own listener under a path it
 * does not serve: the upstream answers 404 in Anthropic's error format, which the relay passes on. That
 * exercises key auth, admission, the session, the account lease, the upstream client and the error path
 * without a real upstream or any credentials. Nothing of the run is kept but the archive.
 */
public final class ClassArchiveTraining {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClassArchiveTraining() {}

  public static void main(String[] args) {
    Main.giveTheCommonPoolTwoWorkers();
    try {
      train();
    } catch (Exception e) {
      System.err.println("class archive training failed: " + e);
      System.exit(1);
    }
    System.exit(0);
  }

  /** Starts a node, walks a first request's paths through it and stops it; throws if any answer is unexpected. */
  static void train() throws IOException, InterruptedException {
    Path dataDir = Files.createTempDirectory("relay-class-archive-training");
    String password = UUID.randomUUID().toString();
    try (RelayNode node = RelayNode.start(config(dataDir, password))) {
      exercise("http://127.0.0.1:" + node.port(), password);
    } finally {
      deleteTree(dataDir);
    }
  }

  private static Config config(Path dataDir, String password) {
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("relay.host", "127.0.0.1");
    cfg.put("relay.port", 0);
    cfg.put("relay.data-dir", dataDir.toString());
    cfg.put("relay.db.url", "");
    cfg.put("relay.redis.host", "");
    cfg.put("relay.encryption-key", "");
    cfg.put("relay.admin.username", "admin");
    cfg.put("relay.admin.password", password);
    cfg.put("relay.cluster.seed-nodes", "");
    cfg.put("relay.cluster.bootstrap", "");
    cfg.put("relay.cluster.management", false);
    cfg.put("relay.drain.balancer-grace", "0s");
    cfg.put("pekko.remote.artery.canonical.hostname", "127.0.0.1");
    cfg.put("pekko.remote.artery.canonical.port", 0);
    return ConfigFactory.parseMap(cfg).withFallback(ConfigFactory.load());
  }

  private static void exercise(String base, String password) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
    expect(200, http, get(base + "/health"));
    expect(200, http, get(base + "/admin/"));
    String login = expect(200, http, post(base + "/admin/api/login", null,
        "{\"username\":\"admin\",\"password\":\"" + password + "\"}"));
    String token = field(login, "token");
    String key = field(expect(201, http, post(base + "/admin/api/keys", token,
        "{\"name\":\"training\",\"concurrencyLimit\":4}")), "key");
    expect(201, http, post(base + "/admin/api/accounts", token,
        "{\"name\":\"training\",\"platform\":\"claude\",\"type\":\"claude-console\",\"baseUrl\":\"" + base
            + "/class-archive-training\",\"apiKey\":\"sk-ant-api03-training\",\"priority\":10}"));
    HttpRequest relayed = HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
        .timeout(CALL_TIMEOUT)
        .header("content-type", "application/json")
        .header("anthropic-version", "2023-06-01")
        .header("x-api-key", key)
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":16,"
            + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"training\"}]}"))
        .build();
    expect(404, http, relayed);
    expect(401, http, post(base + "/v1/messages", null, "{}"));
    expect(200, http, get(base + "/admin/api/usage/requests?limit=1", token));
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(CALL_TIMEOUT).GET().build();
  }

  private static HttpRequest get(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(CALL_TIMEOUT)
        .header("authorization", "Bearer " + token).GET().build();
  }

  private static HttpRequest post(String url, String token, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(CALL_TIMEOUT)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      b.header("authorization", "Bearer " + token);
    }
    return b.build();
  }

  private static String expect(int status, HttpClient http, HttpRequest request)
      throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != status) {
      throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
          + response.statusCode() + ", expected " + status);
    }
    return response.body();
  }

  private static String field(String json, String name) throws IOException {
    String value = JSON.readTree(json).path(name).asText("");
    if (value.isEmpty()) {
      throw new IllegalStateException("no \"" + name + "\" in the answer");
    }
    return value;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("class archive training: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
