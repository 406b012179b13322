package dev.relaycluster.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar relay-node.jar import-crs --redis redis://… --encryption-key … [--dry-run]}: imports a
 * claude-relay-service into a running node through its admin API ({@code POST /admin/api/import/crs}), logging in
 * with {@code --admin-user} / {@code --admin-password} (or ADMIN_USERNAME / ADMIN_PASSWORD, else the node's own
 * {@code data/init.json} when run beside it), and prints the report. The node defaults to
 * {@code http://127.0.0.1:3000} (the node's port; PORT in the environment changes both).
 * The old key may come from CRS_ENCRYPTION_KEY instead of the command line (which other users can see).
 */
public final class ImportCrsCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FLAGS = List.of("--redis", "--encryption-key", "--node", "--admin-user",
      "--admin-password", "--sample-key", "--timezone-offset");

  private ImportCrsCommand() {}

  /** Runs the command; the process exit code (0 done, 1 refused or failed, 2 bad arguments). */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Map<String, String> a = new HashMap<>();
    boolean dryRun = false;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--dry-run")) {
        dryRun = true;
      } else if (FLAGS.contains(args[i]) && i + 1 < args.length) {
        a.put(args[i], args[++i]);
      } else {
        err.println("unknown argument " + args[i] + "\n" + usage());
        return 2;
      }
    }
    String key = a.getOrDefault("--encryption-key", env.get("CRS_ENCRYPTION_KEY"));
    String user = a.getOrDefault("--admin-user", env.get("ADMIN_USERNAME"));
    String password = a.getOrDefault("--admin-password", env.get("ADMIN_PASSWORD"));
    if (user == null && password == null) {
      JsonNode init = initialAdmin(java.nio.file.Path.of(env.getOrDefault("RELAY_DATA_DIR", "data"), "init.json"));
      user = init == null ? null : init.path("username").asText(null);
      password = init == null ? null : init.path("password").asText(null);
    }
    if (!a.containsKey("--redis") || key == null || user == null || password == null) {
      err.println(usage());
      return 2;
    }
    String node = a.getOrDefault("--node", "http://127.0.0.1:" + env.getOrDefault("PORT", "3000"))
        .replaceAll("/+$", "");
    ObjectNode body = JSON.createObjectNode().put("redis", a.get("--redis")).put("encryptionKey", key)
        .put("dryRun", dryRun);
    if (a.containsKey("--sample-key")) {
      body.put("sampleKey", a.get("--sample-key"));
    }
    try {
      if (a.containsKey("--timezone-offset")) {
        body.put("timezoneOffsetHours", Integer.parseInt(a.get("--timezone-offset")));
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> login = post(http, node + "/admin/api/login",
          JSON.createObjectNode().put("username", user).put("password", password), null);
      JsonNode session = JSON.readTree(login.body());
      if (login.statusCode() != 200 || !session.path("token").isTextual()) {
        err.println("login to " + node + " failed (" + login.statusCode() + "): " + login.body());
        return 1;
      }
      HttpResponse<String> r = post(http, node + "/admin/api/import/crs", body, session.get("token").asText());
      (r.statusCode() == 200 ? out : err).println(JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(JSON.readTree(r.body())));
      return r.statusCode() == 200 ? 0 : 1;
    } catch (NumberFormatException e) {
      err.println("--timezone-offset: a whole number of hours, e.g. 8");
      return 2;
    } catch (java.io.IOException e) {
      err.println("cannot reach " + node + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** The first admin's credentials the node wrote at its first start, or null when there are none here. */
  private static JsonNode initialAdmin(java.nio.file.Path file) {
    try {
      return java.nio.file.Files.isReadable(file) ? JSON.readTree(file.toFile()) : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static HttpResponse<String> post(HttpClient http, String url, JsonNode body, String token)
      throws java.io.IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (token != null) {
      b.header("authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String usage() {
    return "usage: java -jar relay-node.jar import-crs --redis redis://[:password@]host:6379[/db] "
        + "--encryption-key <old ENCRYPTION_KEY> [--dry-run] [--node http://127.0.0.1:3000] "
        + "[--admin-user <name>] [--admin-password <password>] [--sample-key cr_…] [--timezone-offset 8]\n"
        + "  (or CRS_ENCRYPTION_KEY, ADMIN_USERNAME, ADMIN_PASSWORD in the environment, else the admin in"
        + " data/init.json; rediss:// for TLS)";
  }
}
