package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The key holders' portal API on an embedded node with a mock Anthropic upstream and RELAY_PUBLIC_URL set:
 * with a real key, its usage by day and by hour, every limit it has, its own newest requests, and the set-up
 * snippets for its pools at the configured address; another key's requests and any secret never appear.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyPortalTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PUBLIC_URL = "https://relay.example.com/team";
  private static final String ACCOUNT_SECRET = "sk-ant-api03-portal-account-secret";

  private MockAnthropic mock;
  private TestNode node;
  private String accountId;

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("relay-portal-");
    mock = new MockAnthropic();
    node = TestNode.embedded(dir, Map.of("relay.portal.public-url", PUBLIC_URL + "/"));
    accountId = node.createConsoleAccount("portal-account", mock.baseUrl(), ACCOUNT_SECRET, 10);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (mock != null) {
      mock.close();
    }
  }

  private JsonNode createKey(String json) throws Exception {
    return node.admin("POST", "/admin/api/keys", JSON.readTree(json));
  }

  private String call(String key) throws Exception {
    HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
        .header("anthropic-version", "2023-06-01").header("x-api-key", key)
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.headers().firstValue("x-relay-request-id").orElseThrow();
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(20));
    if (key != null) {
      b.header("x-api-key", key);
    }
    return node.http().send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The portal's usage answer once the ledger shows what the predicate waits for (projections are async). */
  private JsonNode usageWhen(String key, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get("/api/v1/key-usage", key);
      assertEquals(200, r.statusCode(), r.body());
      last = JSON.readTree(r.body());
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the portal never showed it; last: " + last);
  }

  private static long sum(JsonNode points, String field) {
    long s = 0;
    for (JsonNode p : points) {
      s += p.get(field).asLong();
    }
    return s;
  }

  @Test
  void aKeyHolderSeesTheirOwnUsageLimitsRequestsAndSetUp() throws Exception {
    JsonNode mine = createKey("{\"name\":\"portal-alice\",\"permissions\":[\"claude\",\"gemini\"],"
        + "\"concurrencyLimit\":3,\"dailyCostLimit\":5,\"totalCostLimit\":50,\"weeklyOpusCostLimit\":2,"
        + "\"rateLimit\":{\"windowMinutes\":60,\"requests\":100,\"tokens\":100000,\"cost\":1},"
        + "\"expiry\":{\"mode\":\"activation\",\"days\":30}}");
    JsonNode other = createKey("{\"name\":\"portal-bob\",\"permissions\":\"all\"}");
    String key = mine.get("key").asText();
    String otherKey = other.get("key").asText();
    List<String> myIds = new ArrayList<>(List.of(call(key), call(key)));
    String otherId = call(otherKey);
    call(otherKey);

    JsonNode u = usageWhen(key, n -> n.path("ledgerAvailable").asBoolean()
        && sum(n.path("series").path("daily"), "requests") == 2 && n.path("recent").size() == 2);
    String body = u.toString();

    // Usage over time: 30 days by day ending today, today by hour up to now, only this key's requests.
    JsonNode daily = u.get("series").get("daily");
    assertEquals(30, daily.size());
    assertEquals("UTC", u.get("series").get("zone").asText());
    JsonNode today = daily.get(29);
    assertTrue(today.get("start").asText().startsWith(LocalDate.now(ZoneOffset.UTC).toString()), today.toString());
    assertEquals(2, today.get("requests").asLong());
    assertEquals(240, today.get("tokens").asLong(), "two mock answers of 120 tokens");
    assertTrue(today.get("costMicros").asLong() > 0);
    JsonNode hourly = u.get("series").get("hourly");
    assertEquals(2, sum(hourly, "requests"));
    assertEquals(2, hourly.get(hourly.size() - 1).get("requests").asLong(), "this hour is the last point");

    // Every limit the key has, with its reset; nothing printed as null.
    Set<String> names = new HashSet<>();
    u.get("limits").forEach(l -> names.add(l.get("name").asText()));
    assertEquals(Set.of("concurrency", "windowRequests", "windowTokens", "windowCost", "dailyCost", "weeklyOpusCost",
        "totalCost", "expiry"), names);
    for (JsonNode l : u.get("limits")) {
      switch (l.get("name").asText()) {
        case "windowRequests" -> {
          assertEquals(98, l.get("remaining").asLong(), l.toString());
          assertEquals(60, l.get("windowMinutes").asLong());
          assertTrue(l.has("resetsAt"), l.toString());
        }
        case "dailyCost" -> {
          assertEquals(5_000_000, l.get("limit").asLong());
          assertEquals(5_000_000 - today.get("costMicros").asLong(), l.get("remaining").asLong(), l.toString());
          assertTrue(l.has("resetsAt"));
        }
        case "totalCost" -> assertEquals("never-resets", l.get("note").asText());
        case "expiry" -> assertTrue(l.has("expiresAt"), "the first request started the clock: " + l);
        default -> { }
      }
    }
    assertFalse(u.get("limits").toString().contains("null"), u.get("limits").toString());

    // The key's own newest requests, newest first, and never another key's.
    Set<String> recentIds = new HashSet<>();
    u.get("recent").forEach(r -> recentIds.add(r.get("requestId").asText()));
    assertEquals(new HashSet<>(myIds), recentIds);
    JsonNode first = u.get("recent").get(0);
    assertEquals("claude-sonnet-4-5-20250929", first.get("model").asText());
    assertEquals(200, first.get("status").asInt());
    assertEquals(120, first.get("tokens").asLong());
    assertFalse(body.contains(otherId), "another key's request");

    // No secret: not the key itself, not another key, not the account's credential or even its id.
    for (String secret : List.of(key, otherKey, other.get("id").asText(), ACCOUNT_SECRET, accountId)) {
      assertFalse(body.contains(secret), "the usage answer holds " + secret);
    }

    // Set-up for the key's pools at the configured public address, the key only as a placeholder.
    HttpResponse<String> setup = get("/api/v1/key-usage/setup", key);
    assertEquals(200, setup.statusCode(), setup.body());
    JsonNode s = JSON.readTree(setup.body());
    assertEquals(PUBLIC_URL, s.get("baseUrl").asText());
    assertTrue(s.get("publicUrlConfigured").asBoolean());
    List<String> clients = new ArrayList<>();
    s.get("snippets").forEach(n -> clients.add(n.get("client").asText()));
    assertEquals(List.of("claude-code", "gemini-api", "gemini-code-assist"), clients, "no Codex: no openai pool");
    String claude = s.get("snippets").get(0).get("parts").get(0).get("text").asText();
    assertTrue(claude.contains("ANTHROPIC_BASE_URL=\"" + PUBLIC_URL + "/api\""), claude);
    assertTrue(claude.contains(s.get("keyPlaceholder").asText()), claude);
    for (String secret : List.of(key, otherKey, ACCOUNT_SECRET, accountId, node.baseUrl())) {
      assertFalse(setup.body().contains(secret), "the set-up answer holds " + secret);
    }

    HttpResponse<String> allPools = get("/api/v1/key-usage/setup", otherKey);
    assertEquals(5, JSON.readTree(allPools.body()).get("snippets").size(), allPools.body());
  }

  @Test
  void withoutAUsableKeyThereIsNothing() throws Exception {
    for (String path : List.of("/api/v1/key-usage", "/api/v1/key-usage/setup")) {
      HttpResponse<String> none = get(path, null);
      assertEquals(401, none.statusCode(), path);
      assertEquals("authentication_error", JSON.readTree(none.body()).get("error").get("type").asText());
      assertEquals(401, get(path, "cr_" + "0".repeat(64)).statusCode(), path);
    }
    JsonNode revoked = createKey("{\"name\":\"portal-revoked\"}");
    node.admin("POST", "/admin/api/keys/" + revoked.get("id").asText() + "/revoke", (ObjectNode) null);
    assertEquals(401, get("/api/v1/key-usage/setup", revoked.get("key").asText()).statusCode());
  }

  @Test
  void aNewKeyHasZeroesNotGapsOrNulls() throws Exception {
    String key = createKey("{\"name\":\"portal-new\"}").get("key").asText();
    JsonNode u = usageWhen(key, n -> n.path("ledgerAvailable").asBoolean());
    assertEquals(30, u.get("series").get("daily").size());
    assertEquals(0, sum(u.get("series").get("daily"), "requests"));
    assertEquals(0, u.get("recent").size());
    assertEquals(0, u.get("limits").size(), "a key without limits lists none");
    assertFalse(u.get("series").toString().contains("null"));
  }
}
