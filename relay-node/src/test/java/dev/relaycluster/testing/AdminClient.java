package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A small client of a node's admin API, for tests; logs in with the test admin credentials. */
public class AdminClient {
  public static final String ADMIN_USER = "admin";
  public static final String ADMIN_PASSWORD = "test-admin-password-123";
  protected static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String token;

  public AdminClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public HttpClient http() {
    return http;
  }

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
      last = admin("GET", "/admin/api/usage/requests?keyId=" + keyId + "&limit=1000", null).get("data");
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("request log of " + keyId + " never matched; last: " + last);
  }

}
