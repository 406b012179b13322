package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropic.Scripted;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sticky routing from the node's binding cache, read back from the decision trace: the later requests of a
 * session go to its account without asking the session's entity, until that account is paused or cools
 * down; then the entity is asked and the session is rebound.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StickyCacheTest {
  private static final String SONNET = "claude-sonnet-4-5-20250929";
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockAnthropic mock;
  private TestNode node;
  private String key;
  private final List<String> created = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    mock = new MockAnthropic();
    node = TestNode.embedded(Files.createTempDirectory("relay-sticky-"), Map.of());
    key = node.createKey("sticky", 0).get("key").asText();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    mock.close();
  }

  @AfterEach
  void deleteAccounts() throws Exception {
    for (String id : created) {
      node.admin("DELETE", "/admin/api/accounts/" + id, null);
    }
    created.clear();
  }

  private String console(String name, String apiKey, int priority) throws Exception {
    String id = node.createConsoleAccount(name, mock.baseUrl(), apiKey, priority);
    created.add(id);
    return id;
  }

  /** The attempts of a request's decision trace. */
  private JsonNode attempts(RelayCall r) throws Exception {
    assertEquals(200, r.status(), r.body());
    JsonNode t = node.admin("GET", "/admin/api/requests/" + r.requestId() + "/trace", null);
    return t.get("trace").get("attempts");
  }

  private JsonNode onlyAttempt(RelayCall r) throws Exception {
    JsonNode attempts = attempts(r);
    assertEquals(1, attempts.size(), attempts.toString());
    return attempts.get(0);
  }

  /** Two requests of the session: the second one's answer from the entity says the store holds the binding. */
  private void cacheBinding(String session) throws Exception {
    onlyAttempt(call(session));
    onlyAttempt(call(session));
  }

  private RelayCall call(String session) {
    return RelayCall.call(node.baseUrl(), key, false, SONNET, session);
  }

  @Test
  void theSecondRequestOfASessionIsRoutedFromTheCacheToTheSameAccount() throws Exception {
    String k1 = "sk-first-" + UUID.randomUUID();
    String a1 = console("first", k1, 1);
    console("second", "sk-second-" + UUID.randomUUID(), 2);
    String session = UUID.randomUUID().toString();

    JsonNode first = onlyAttempt(call(session));
    assertEquals("session", first.get("routedBy").asText(), first.toString());
    assertEquals(a1, first.get("accountId").asText());
    // The first answer came while the binding was being written; the entity now says the store holds it.
    JsonNode second = onlyAttempt(call(session));
    assertEquals("session", second.get("routedBy").asText(), second.toString());

    for (int i = 0; i < 3; i++) {
      JsonNode cached = onlyAttempt(call(session));
      assertEquals("session (cached)", cached.get("routedBy").asText(), cached.toString());
      assertEquals(a1, cached.get("accountId").asText());
    }

    JsonNode other = onlyAttempt(call(UUID.randomUUID().toString()));
    assertEquals("session", other.get("routedBy").asText(), "another session has no binding here yet");
    assertEquals(6, mock.calls(k1), "both sessions went to the first account");
  }

  @Test
  void pausingTheCachedAccountRebindsTheSessionThroughItsEntity() throws Exception {
    String a1 = console("first", "sk-first-" + UUID.randomUUID(), 1);
    String a2 = console("second", "sk-second-" + UUID.randomUUID(), 2);
    String session = UUID.randomUUID().toString();
    cacheBinding(session);
    JsonNode cached = onlyAttempt(call(session));
    assertEquals("session (cached)", cached.get("routedBy").asText(), cached.toString());
    assertEquals(a1, cached.get("accountId").asText());

    node.admin("PATCH", "/admin/api/accounts/" + a1, JSON.createObjectNode().put("paused", true));

    JsonNode moved = onlyAttempt(call(session));
    assertEquals(a2, moved.get("accountId").asText(), moved.toString());
    assertTrue(moved.get("routedBy").asText().startsWith("session (rebound"), moved.toString());

    JsonNode stored = onlyAttempt(call(session));
    assertEquals("session", stored.get("routedBy").asText(), "the new binding is confirmed once written: " + stored);
    JsonNode after = onlyAttempt(call(session));
    assertEquals("session (cached)", after.get("routedBy").asText(), "the new binding is cached: " + after);
    assertEquals(a2, after.get("accountId").asText());
  }

  @Test
  void aCooldownOfTheCachedAccountRebindsTheSessionThroughItsEntity() throws Exception {
    String k1 = "sk-first-" + UUID.randomUUID();
    String a1 = console("first", k1, 1);
    String a2 = console("second", "sk-second-" + UUID.randomUUID(), 2);
    String session = UUID.randomUUID().toString();
    cacheBinding(session);
    JsonNode cached = onlyAttempt(call(session));
    assertEquals("session (cached)", cached.get("routedBy").asText(), cached.toString());
    assertEquals(a1, cached.get("accountId").asText());

    // Another conversation on the same account meets a 429: the account cools down (and that request fails over).
    mock.script(k1, Scripted.error(429, MockAnthropic.RATE_LIMIT_BODY, ""));
    JsonNode limited = attempts(call(UUID.randomUUID().toString()));
    assertEquals(429, limited.get(0).get("upstreamStatus").asInt(), limited.toString());
    awaitCooling(a1);
    int callsBefore = mock.calls(k1);

    JsonNode moved = onlyAttempt(call(session));
    assertEquals(a2, moved.get("accountId").asText(), moved.toString());
    assertTrue(moved.get("routedBy").asText().startsWith("session (rebound"), moved.toString());
    assertEquals(callsBefore, mock.calls(k1), "the cooling account was not called");
  }

  private void awaitCooling(String accountId) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      JsonNode a = node.admin("GET", "/admin/api/accounts/" + accountId, null);
      if (a.get("cooldowns").size() > 0) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("account " + accountId + " never cooled down");
  }
}
