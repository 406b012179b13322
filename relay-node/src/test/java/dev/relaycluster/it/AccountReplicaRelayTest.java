package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.account.AccountReplicas;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropic.Scripted;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An account without a concurrency limit is taken from the node's replica, without asking its entity,
 * while it is unchanged; a pause or a cooldown sends the next request elsewhere, and after a resume the
 * node asks the entity again. Read back through the decision trace's lease line and the mock's calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountReplicaRelayTest {
  private static final String SONNET = "claude-sonnet-4-5-20250929";
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockAnthropic mock;
  private TestNode node;
  private String key;

  @BeforeAll
  void start() throws Exception {
    mock = new MockAnthropic();
    node = TestNode.embedded(Files.createTempDirectory("relay-replica-"), Map.of());
    key = node.createKey("replica", 0).get("key").asText();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    mock.close();
  }

  @Test
  void anUnchangedAccountIsTakenWithoutAskingAndAPauseOrACooldownIsSeenByTheNextRequest() throws Exception {
    String firstKey = "sk-first-" + UUID.randomUUID();
    String secondKey = "sk-second-" + UUID.randomUUID();
    String first = node.createConsoleAccount("first", mock.baseUrl(), firstKey, 1);
    String second = node.createConsoleAccount("second", mock.baseUrl(), secondKey, 2);
    AccountReplicas replicas = AccountReplicas.get(node.node().system());
    try {
      String session = UUID.randomUUID().toString();
      JsonNode one = attempt(call(session), 0);
      assertEquals(first, one.get("accountId").asText(), one.toString());
      assertEquals("granted", one.get("lease").asText(), "the first request asks the entity");

      long beforeSecond = System.currentTimeMillis();
      long takenBefore = replicas.taken();
      JsonNode two = attempt(call(session), 0);
      assertEquals(first, two.get("accountId").asText(), two.toString());
      assertEquals("granted (replica)", two.get("lease").asText(), "no Acquire for an unchanged account");
      assertEquals(takenBefore + 1, replicas.taken());
      assertEquals(2, mock.calls(firstKey));
      awaitLastUsedAtLeast(first, beforeSecond);
      assertEquals(0, node.admin("GET", "/admin/api/accounts/" + first, null).get("leasesInFlight").asInt(),
          "a replica grant holds no lease");

      // Paused: the next request goes to the other account.
      node.admin("PATCH", "/admin/api/accounts/" + first, JSON.createObjectNode().put("paused", true));
      JsonNode paused = attempt(call(session), 0);
      assertEquals(second, paused.get("accountId").asText(), paused.toString());
      assertEquals(2, mock.calls(firstKey), "nothing more reached the paused account");

      // Resumed: the node's copy is of an older revision, so the next request asks the entity again.
      node.admin("PATCH", "/admin/api/accounts/" + first, JSON.createObjectNode().put("paused", false));
      String fresh = UUID.randomUUID().toString();
      JsonNode resumed = attempt(call(fresh), 0);
      assertEquals(first, resumed.get("accountId").asText(), resumed.toString());
      assertEquals("granted", resumed.get("lease").asText(), "asked again after the pause and resume");
      assertEquals("granted (replica)", attempt(call(fresh), 0).get("lease").asText());
      assertEquals(4, mock.calls(firstKey));

      // A 429 from upstream cools the account down: this request fails over, the next one goes elsewhere.
      mock.script(firstKey, Scripted.rateLimited(Instant.now().plusSeconds(600).getEpochSecond(), null));
      RelayCall limited = call(fresh);
      JsonNode trace = trace(limited);
      assertEquals("granted (replica)", trace.get("attempts").get(0).get("lease").asText(), trace.toString());
      assertEquals(429, trace.get("attempts").get(0).get("upstreamStatus").asInt(), trace.toString());
      assertEquals(second, trace.get("attempts").get(1).get("accountId").asText(), trace.toString());
      assertEquals(5, mock.calls(firstKey));
      JsonNode after = answering(call(UUID.randomUUID().toString()), first);
      assertEquals(second, after.get("accountId").asText(), after.toString());
      JsonNode sameSession = answering(call(fresh), first);
      assertEquals(second, sameSession.get("accountId").asText(), sameSession.toString());
      assertEquals(5, mock.calls(firstKey), "nothing more reached the cooling account");
    } finally {
      node.admin("DELETE", "/admin/api/accounts/" + first, null);
      node.admin("DELETE", "/admin/api/accounts/" + second, null);
    }
  }

  /** Streamed: the mock's streams carry no utilisation header, so a success is no news to the account. */
  private RelayCall call(String session) {
    RelayCall r = RelayCall.call(node.baseUrl(), key, true, SONNET, session);
    assertEquals(200, r.status(), r.body());
    return r;
  }

  private JsonNode trace(RelayCall r) throws Exception {
    JsonNode t = node.admin("GET", "/admin/api/requests/" + r.requestId() + "/trace", null);
    assertTrue(t.get("traceKept").asBoolean(), t.toString());
    return t.get("trace");
  }

  private JsonNode attempt(RelayCall r, int index) throws Exception {
    return trace(r).get("attempts").get(index);
  }

  /**
   * The attempt that answered. The cooldown reaches this node's pool view only after the account's journal write, so
   * a request right after the 429 may still pick {@code cooling}: its entity, which has the report, refuses the lease.
   */
  private JsonNode answering(RelayCall r, String cooling) throws Exception {
    JsonNode attempts = trace(r).get("attempts");
    for (int i = 0; i < attempts.size() - 1; i++) {
      JsonNode a = attempts.get(i);
      assertEquals(cooling, a.get("accountId").asText(), attempts.toString());
      assertTrue(a.get("lease").asText().startsWith("refused: account is cooling down until "), attempts.toString());
    }
    return attempts.get(attempts.size() - 1);
  }

  /** The "used at" tell is fire-and-forget: wait until the admin view shows it. */
  private void awaitLastUsedAtLeast(String accountId, long at) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    String seen = null;
    while (System.currentTimeMillis() < deadline) {
      JsonNode detail = node.admin("GET", "/admin/api/accounts/" + accountId, null);
      seen = detail.path("lastUsedAt").asText(null);
      if (seen != null && Instant.parse(seen).toEpochMilli() >= at) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("lastUsedAt " + seen + " never reached " + Instant.ofEpochMilli(at));
  }
}
