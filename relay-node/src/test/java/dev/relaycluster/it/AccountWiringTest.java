package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.HttpConnectProxy;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropic.Scripted;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.Socks5Proxy;
import dev.relaycluster.testing.TestNode;
import dev.relaycluster.testing.WebhookReceiver;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The parts of accounts and keys that only meet on a running node: an account's proxy carries its
 * relayed requests (HTTP CONNECT and SOCKS5, real proxies on loopback), a key bound to one account is
 * served by that account only, and account events reach a webhook target configured over the admin API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountWiringTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SONNET = "claude-sonnet-4-5-20250929";

  private MockAnthropic mock;
  private HttpConnectProxy httpProxy;
  private Socks5Proxy socksProxy;
  private WebhookReceiver hooks;
  private TestNode node;

  @BeforeAll
  void start() throws Exception {
    mock = new MockAnthropic();
    httpProxy = new HttpConnectProxy("proxy-user", "proxy-pass");
    socksProxy = new Socks5Proxy("socks-user", "socks-pass", Map.of());
    hooks = new WebhookReceiver();
    node = TestNode.embedded(Files.createTempDirectory("relay-wiring-"), Map.of());
    node.admin("POST", "/admin/api/webhooks", JSON.createObjectNode().put("name", "ops").put("channel", "webhook")
        .set("config", JSON.createObjectNode().put("url", hooks.baseUrl() + "/hook")));
    // A shared-pool account that a bound key must never use.
    node.createConsoleAccount("pool-account", mock.baseUrl(), "sk-pool-" + UUID.randomUUID(), 1);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    mock.close();
    httpProxy.close();
    socksProxy.close();
    hooks.close();
  }

  private String account(String name, String apiKey, String proxy) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("type", "claude-console")
        .put("baseUrl", mock.baseUrl()).put("apiKey", apiKey).put("priority", 50);
    if (proxy != null) {
      body.put("proxy", proxy);
    }
    return node.admin("POST", "/admin/api/accounts", body).get("id").asText();
  }

  /** A key that may use only this account (no fallback to the shared pool). */
  private String boundKey(String accountId) throws Exception {
    ObjectNode bindings = JSON.createObjectNode();
    bindings.putObject("claude").put("accountId", accountId).put("fallbackToPool", false);
    ObjectNode body = JSON.createObjectNode().put("name", "bound-" + accountId);
    body.set("bindings", bindings);
    return node.admin("POST", "/admin/api/keys", body).get("key").asText();
  }

  private RelayCall call(String key) {
    return RelayCall.call(node.baseUrl(), key, false, SONNET, UUID.randomUUID().toString());
  }

  private List<JsonNode> alerts(Predicate<JsonNode> which) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      List<JsonNode> found = new java.util.ArrayList<>();
      for (WebhookReceiver.Received r : hooks.received("/hook")) {
        JsonNode alert = JSON.readTree(r.body());
        if (which.test(alert)) {
          found.add(alert);
        }
      }
      if (!found.isEmpty() || System.nanoTime() > deadline) {
        return found;
      }
      Thread.sleep(100);
    }
  }

  @Test
  void anAccountsHttpProxyCarriesItsRequests() throws Exception {
    String apiKey = "sk-http-" + UUID.randomUUID();
    String id = account("via-http-proxy", apiKey,
        "http://proxy-user:proxy-pass@127.0.0.1:" + httpProxy.port());
    JsonNode shown = node.admin("GET", "/admin/api/accounts/" + id, null);
    assertFalse(shown.toString().contains("proxy-pass"), "the proxy password is shown: " + shown);
    int tunnels = httpProxy.tunnels();

    RelayCall r = call(boundKey(id));

    assertEquals(200, r.status(), r.body());
    assertEquals(MockAnthropic.MESSAGE, r.body());
    assertEquals(1, mock.calls(apiKey));
    assertTrue(httpProxy.tunnels() > tunnels, "the request did not go through the HTTP proxy");
    assertTrue(httpProxy.targets().contains("127.0.0.1:" + mock.baseUrl().replaceAll(".*:", "")),
        "the proxy tunnelled to " + httpProxy.targets());
  }

  @Test
  void anAccountsSocksProxyCarriesItsRequests() throws Exception {
    String apiKey = "sk-socks-" + UUID.randomUUID();
    String id = account("via-socks-proxy", apiKey,
        "socks5://socks-user:socks-pass@127.0.0.1:" + socksProxy.port());
    int tunnels = socksProxy.tunnels();

    RelayCall r = call(boundKey(id));

    assertEquals(200, r.status(), r.body());
    assertEquals(1, mock.calls(apiKey));
    assertTrue(socksProxy.tunnels() > tunnels, "the request did not go through the SOCKS5 proxy");
  }

  @Test
  void aProxyThatRefusesTheAccountFailsTheRequestWithoutNamingTheProxy() throws Exception {
    String apiKey = "sk-badproxy-" + UUID.randomUUID();
    String id = account("bad-proxy-password", apiKey,
        "http://proxy-user:wrong-pass@127.0.0.1:" + httpProxy.port());

    RelayCall r = call(boundKey(id));

    assertEquals(502, r.status(), r.body());
    assertTrue(r.body().contains("\"type\":\"error\""), r.body());
    assertTrue(r.body().contains("outbound proxy"), r.body());
    assertFalse(r.body().contains(String.valueOf(httpProxy.port())), "the proxy's address reached the client");
    assertEquals(0, mock.calls(apiKey));
  }

  @Test
  void aBoundKeyWithoutFallbackWaitsForItsAccountAndAPauseIsAlerted() throws Exception {
    String apiKey = "sk-bound-" + UUID.randomUUID();
    String id = account("dedicated", apiKey, null);
    String key = boundKey(id);
    assertEquals(200, call(key).status());
    assertEquals(1, mock.calls(apiKey));

    node.admin("PATCH", "/admin/api/accounts/" + id, JSON.createObjectNode().put("paused", true));
    RelayCall refused = call(key);
    assertEquals(503, refused.status(), refused.body());
    assertTrue(refused.body().contains("overloaded_error"), refused.body());
    assertEquals(1, mock.calls(apiKey), "a paused account was called");

    List<JsonNode> paused = alerts(a -> a.path("kind").asText().equals("disabled_by_admin")
        && a.path("accountId").asText().equals(id));
    assertEquals(1, paused.size(), "no disabled_by_admin alert for the paused account: " + hooks.received("/hook"));
    assertEquals("dedicated", paused.get(0).path("accountName").asText());
  }

  @Test
  void anAnswerThatBreaksOffMidBodyIsRecordedWithItsAccount() throws Exception {
    String apiKey = "sk-cut-" + UUID.randomUUID();
    String id = account("cut-answers", apiKey, null);
    ObjectNode bindings = JSON.createObjectNode();
    bindings.putObject("claude").put("accountId", id).put("fallbackToPool", false);
    ObjectNode body = JSON.createObjectNode().put("name", "cut");
    body.set("bindings", bindings);
    JsonNode key = node.admin("POST", "/admin/api/keys", body);

    RelayCall r = RelayCall.call(node.baseUrl(), key.get("key").asText(), false, "mock-break-json",
        UUID.randomUUID().toString());

    assertEquals(502, r.status(), r.body());
    assertTrue(r.body().startsWith("{\"type\":\"error\""), r.body());
    JsonNode rows = node.awaitRequests(key.get("id").asText(), d -> d.size() == 1);
    assertEquals(id, rows.get(0).get("accountId").asText(), rows.toString());
    assertEquals("upstream_failed", rows.get(0).get("outcome").asText().toLowerCase(java.util.Locale.ROOT));
    assertEquals(1, rows.get(0).get("attempts").asInt());
  }

  @Test
  void anAccountUpstreamRejectsIsMarkedAndAlerted() throws Exception {
    String apiKey = "sk-revoked-" + UUID.randomUUID();
    String id = account("revoked-upstream", apiKey, null);
    mock.always(apiKey, Scripted.unauthorized());

    RelayCall r = call(boundKey(id));

    assertEquals(401, r.status(), r.body());
    assertEquals(MockAnthropic.UNAUTHORIZED_BODY, r.body());
    List<JsonNode> unauthorized = alerts(a -> a.path("kind").asText().equals("unauthorized")
        && a.path("accountId").asText().equals(id));
    assertEquals(1, unauthorized.size(), "no unauthorized alert: " + hooks.received("/hook"));
    assertEquals("unauthorized", node.admin("GET", "/admin/api/accounts/" + id, null).get("state").asText());
  }
}
