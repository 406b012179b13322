package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockFactory;
import dev.relaycluster.testing.MockWorkOs;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Droid accounts' health and logins, against mocks of Factory's proxy and of WorkOS: a 402 (out of credits)
 * blocks the account and the request fails over, a client's own 400 marks nothing, and the proxy's own error
 * bodies reach the client in its dialect; a droid-oauth account added through the admin API's device flow
 * serves with the token the login obtained and, once that token is refused, refreshes it with its refresh token
 * and organisation and serves again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DroidAccountsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

  private MockFactory factory;
  private MockWorkOs workos;
  private TestNode node;
  private JsonNode key;

  @BeforeAll
  void start() throws Exception {
    factory = new MockFactory();
    workos = new MockWorkOs();
    node = TestNode.embedded(Files.createTempDirectory("relay-droid-accounts-"),
        Map.of("relay.accounts.droid-oauth.workos-base-url", workos.baseUrl()));
    key = node.createKey("droid-" + UUID.randomUUID(), 0);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (factory != null) {
      factory.close();
    }
    if (workos != null) {
      workos.close();
    }
  }

  private HttpResponse<String> messages() throws Exception {
    return node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/droid/claude/v1/messages"))
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(BODY))
        .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
        .header("x-api-key", key.get("key").asText()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String droidApiAccount(String name, String fk, int priority) throws Exception {
    factory.accept(fk);
    return node.admin("POST", "/admin/api/accounts", JSON.createObjectNode().put("name", name)
        .put("platform", "droid").put("type", "droid-api").put("baseUrl", factory.baseUrl()).put("apiKey", fk)
        .put("priority", priority)).get("id").asText();
  }

  private String status(String accountId) throws Exception {
    return node.admin("GET", "/admin/api/accounts/" + accountId, null).get("status").asText();
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(100);
    }
  }

  @Test
  @Order(1)
  void paymentRequiredBlocksAndFailsOverAClientErrorMarksNothing() throws Exception {
    String first = droidApiAccount("factory-a", "fk-droid-a", 1);
    String second = droidApiAccount("factory-b", "fk-droid-b", 2);
    factory.failWith("fk-droid-a", 402);

    HttpResponse<String> served = messages();
    assertEquals(200, served.statusCode(), served.body());
    assertEquals(MockAnthropic.MESSAGE_TEXT, JSON.readTree(served.body()).get("content").get(0).get("text").asText());
    assertEquals(1, factory.receivedWith("fk-droid-a").size());
    assertEquals(1, factory.receivedWith("fk-droid-b").size());
    assertEquals("blocked", status(first), "out of credits: blocked until an admin clears it");
    JsonNode detail = node.admin("GET", "/admin/api/accounts/" + first, null);
    assertTrue(detail.toString().contains("payment required (out of credits)"), detail.toString());
    assertFalse(detail.toString().contains("fk-droid-a"), "no secret in the answer");

    factory.failWith("fk-droid-b", 400);
    HttpResponse<String> refused = messages();
    assertEquals(400, refused.statusCode(), refused.body());
    JsonNode error = JSON.readTree(refused.body());
    assertEquals("invalid_request_error", error.get("error").get("type").asText(), refused.body());
    assertEquals("max_tokens: must be at least 1", error.get("error").get("message").asText());
    assertEquals(2, factory.receivedWith("fk-droid-b").size(), "a client's error is not tried elsewhere");
    assertEquals("active", status(second), "a client's own 400 marks nothing");

    // The proxy's own refusal ({"detail":…}) reaches an Anthropic client in Anthropic's shape.
    factory.failWith("fk-droid-b", 402);
    HttpResponse<String> unpaid = messages();
    assertEquals(402, unpaid.statusCode(), unpaid.body());
    JsonNode said = JSON.readTree(unpaid.body());
    assertEquals("error", said.get("type").asText(), unpaid.body());
    assertTrue(said.get("error").get("message").asText().contains("out of credits"), unpaid.body());
    assertEquals("blocked", status(second));

    node.admin("DELETE", "/admin/api/accounts/" + first, null);
    node.admin("DELETE", "/admin/api/accounts/" + second, null);
  }

  @Test
  @Order(2)
  void deviceLoginThenServeThenRefresh() throws Exception {
    factory.clear();
    JsonNode started = node.admin("POST", "/admin/api/accounts/droid-oauth/device-authorization",
        JSON.createObjectNode().put("name", "factory-login").put("priority", 5).put("baseUrl", factory.baseUrl()));
    assertEquals(MockWorkOs.USER_CODE, started.get("userCode").asText(), started.toString());
    assertEquals("https://auth.factory.ai/device", started.get("verificationUri").asText());
    assertTrue(started.get("verificationUriComplete").asText().endsWith(MockWorkOs.USER_CODE));
    assertEquals(1, started.get("interval").asInt());
    assertEquals(300, started.get("expiresIn").asInt());
    String flow = "/admin/api/accounts/droid-oauth/device-authorization/" + started.get("flowId").asText();
    assertEquals("pending", node.admin("GET", flow, null).get("status").asText(), "not approved yet");
    await("WorkOS was polled", () -> workos.polls() >= 1);
    assertEquals("pending", node.admin("GET", flow, null).get("status").asText(), "authorization_pending: still");

    workos.approve();
    JsonNode[] status = new JsonNode[1];
    await("the account was created", () -> {
      try {
        status[0] = node.admin("GET", flow, null);
        return !status[0].get("status").asText().equals("pending");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals("created", status[0].get("status").asText(), status[0].toString());
    JsonNode account = status[0].get("account");
    assertEquals("factory-login", account.get("name").asText());
    assertEquals("droid-oauth", account.get("type").asText());
    assertEquals("droid", account.get("platform").asText());
    String accountId = account.get("id").asText();
    assertFalse(status[0].toString().contains(workos.accessTokens().get(0)), "no token in the answer");

    // Served with the token the login obtained.
    factory.acceptWhen(t -> workos.accessTokens().contains(t));
    String first = workos.accessTokens().get(0);
    HttpResponse<String> served = messages();
    assertEquals(200, served.statusCode(), served.body());
    assertEquals(1, factory.receivedWith(first).size());
    assertTrue(workos.refreshForms().isEmpty());

    // Factory stops honouring it: the account refreshes with its refresh token and organisation, then serves.
    factory.refuse(first);
    HttpResponse<String> again = messages();
    assertEquals(200, again.statusCode(), again.body());
    List<Map<String, String>> refreshes = workos.refreshForms();
    assertEquals(1, refreshes.size(), refreshes.toString());
    assertEquals(MockWorkOs.CLIENT_ID, refreshes.get(0).get("client_id"));
    assertEquals(MockWorkOs.ORGANIZATION, refreshes.get(0).get("organization_id"));
    assertTrue(refreshes.get(0).get("refresh_token").startsWith("rt_"));
    String second = workos.accessTokens().get(1);
    assertNotEquals(first, second);
    assertEquals(1, factory.receivedWith(second).size());
    assertEquals("active", status(accountId));
    JsonNode rows = node.awaitRequests(key.get("id").asText(), r -> {
      int n = 0;
      for (JsonNode row : r) {
        n += row.get("accountId").asText().equals(accountId) && row.get("outcome").asText().equals("COMPLETED") ? 1 : 0;
      }
      return n == 2;
    });
    for (JsonNode row : rows) {
      if (row.get("accountId").asText().equals(accountId)) {
        assertEquals(100, row.get("inputTokens").asLong(), row.toString());
        assertEquals(20, row.get("outputTokens").asLong(), row.toString());
        assertEquals("droid", row.get("pool").asText());
      }
    }
  }

  @Test
  @Order(3)
  void aDeniedLoginSaysSo() throws Exception {
    JsonNode started = node.admin("POST", "/admin/api/accounts/droid-oauth/device-authorization",
        JSON.createObjectNode());
    String flow = "/admin/api/accounts/droid-oauth/device-authorization/" + started.get("flowId").asText();
    workos.deny();
    JsonNode[] status = new JsonNode[1];
    await("the login ended", () -> {
      try {
        status[0] = node.admin("GET", flow, null);
        return !status[0].get("status").asText().equals("pending");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals("denied", status[0].get("status").asText(), status[0].toString());
    assertFalse(status[0].has("account"));
    HttpResponse<String> unknown = node.send("GET",
        "/admin/api/accounts/droid-oauth/device-authorization/" + UUID.randomUUID(), null, node.login());
    assertEquals(404, unknown.statusCode(), unknown.body());
  }
}
