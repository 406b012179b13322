package dev.relaycluster.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;

/**
 * An embedded node with something on every page: a key, a Claude console account against the mock
 * Anthropic API, an alert target, and one request relayed through them (so usage, charts and the decision
 * trace have data).
 */
final class SeededNode implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MODEL = "claude-sonnet-4-5-20250929";
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  final MockAnthropic mock;
  final TestNode node;
  final String keyId;
  final String keySecret;
  final String accountId;
  final String accountSecret;
  final String webhookId;
  final String requestId;

  private SeededNode(MockAnthropic mock, TestNode node, String keyId, String keySecret, String accountId,
      String accountSecret, String webhookId, String requestId) {
    this.mock = mock;
    this.node = node;
    this.keyId = keyId;
    this.keySecret = keySecret;
    this.accountId = accountId;
    this.accountSecret = accountSecret;
    this.webhookId = webhookId;
    this.requestId = requestId;
  }

  static SeededNode start(String name) throws Exception {
    return start(name, Map.of());
  }

  /** With settings of the node beside the defaults (as config overrides). */
  static SeededNode start(String name, Map<String, Object> config) throws Exception {
    MockAnthropic mock = new MockAnthropic();
    TestNode node = null;
    try {
      node = TestNode.embedded(Files.createTempDirectory("relay-web-" + name + "-"), config);
      JsonNode key = node.admin("POST", "/admin/api/keys", body(
          "{\"name\":\"Team laptop\",\"concurrencyLimit\":4,\"dailyCostLimit\":25,"
              + "\"rateLimit\":{\"windowMinutes\":60,\"requests\":100}}"));
      String keyId = key.get("id").asText();
      String keySecret = key.get("key").asText();
      String accountSecret = "sk-ant-api03-" + random();
      String accountId = node.createConsoleAccount("Console main", mock.baseUrl(), accountSecret, 1);
      String webhookId = node.admin("POST", "/admin/api/webhooks", body(
          "{\"name\":\"Ops channel\",\"channel\":\"slack\",\"config\":{\"url\":\"http://127.0.0.1:9/hook\"}}"))
          .get("id").asText();
      RelayCall call = RelayCall.call(node.baseUrl(), keySecret, false, MODEL, null);
      if (call.status() != 200) {
        throw new IllegalStateException("the seeded request failed: " + call.status() + " " + call.body());
      }
      node.awaitRequests(keyId, rows -> rows.size() >= 1);
      return new SeededNode(mock, node, keyId, keySecret, accountId, accountSecret, webhookId, call.requestId());
    } catch (Exception | Error e) {
      if (node != null) {
        node.close();
      }
      mock.close();
      throw e;
    }
  }

  /** 24 random hex digits, to make a secret no page could show by chance. */
  static String random() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  String baseUrl() {
    return node.baseUrl();
  }

  /**
   * One OpenAI Chat Completions request through the key, which the relay converts for the Claude console account
   * (client dialect openai-chat, upstream dialect anthropic); its request id, once its row is in the request log.
   */
  String chatRequest() throws Exception {
    String body = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + keySecret).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("the chat request failed: " + r.statusCode() + " " + r.body());
    }
    String id = r.headers().firstValue("x-relay-request-id").orElseThrow();
    node.awaitRequests(keyId, rows -> {
      for (JsonNode row : rows) {
        if (row.path("requestId").asText().equals(id)) {
          return true;
        }
      }
      return false;
    });
    return id;
  }

  /** A fresh session token of the owner (the node's bootstrap admin). */
  String ownerToken() throws Exception {
    return login(TestNode.ADMIN_USER, TestNode.ADMIN_PASSWORD).get("token").asText();
  }

  /** POST /admin/api/login with a name and password; the answer (token, or a two-factor challenge). */
  JsonNode login(String username, String password) throws Exception {
    HttpResponse<String> r = node.post("/admin/api/login",
        JSON.createObjectNode().put("username", username).put("password", password), null);
    if (r.statusCode() != 200) {
      throw new AssertionError("login of " + username + ": " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** Creates an admin with a role as the owner. */
  void createAdmin(String username, String role, String password) throws Exception {
    node.admin("POST", "/admin/api/admins",
        JSON.createObjectNode().put("username", username).put("role", role).put("password", password));
  }

  /** A call of the admin API with a token; the answer whatever its status. */
  HttpResponse<String> send(String method, String path, String json, String token) throws Exception {
    return node.send(method, path, json == null ? null : body(json), token);
  }

  static ObjectNode body(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  @Override
  public void close() throws java.io.IOException {
    node.close();
    mock.close();
  }
}
