package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.MockAnthropic.Scripted;
import dev.relaycluster.testing.RelayCall;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A slow or failing account does not hold its conversations (issue 17, item 10): an embedded node whose
 * accounts count as slow past 400 ms to the first byte, or failing past half their attempts, after three.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowAccountTest {
  private static final String SONNET = "claude-sonnet-4-5-20250929";

  private MockAnthropic mock;
  private TestNode node;
  private String key;

  @BeforeAll
  void start() throws Exception {
    mock = new MockAnthropic();
    node = TestNode.embedded(Files.createTempDirectory("relay-slow-"), Map.of(
        "relay.accounts.pace.slow-first-byte", "400ms",
        "relay.accounts.pace.error-rate", "0.5",
        "relay.accounts.pace.min-samples", "3",
        "relay.accounts.cooldowns.server-error", "1ms"));
    key = node.createKey("slow-test", 0).get("key").asText();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    mock.close();
  }

  private String account(String name, String apiKey, int priority) throws Exception {
    return node.createConsoleAccount(name, mock.baseUrl(), apiKey, priority);
  }

  @Test
  void aConversationMovesOffAnAccountThatAnswersTooSlowly() throws Exception {
    String slowKey = "sk-slow-" + UUID.randomUUID();
    String quickKey = "sk-quick-" + UUID.randomUUID();
    String slow = account("slow", slowKey, 1);
    String quick = account("quick", quickKey, 2);
    mock.always(slowKey, Scripted.slowStart(900));
    String conversation = UUID.randomUUID().toString();
    try {
      for (int i = 0; i < 6; i++) {
        RelayCall r = RelayCall.call(node.baseUrl(), key, true, SONNET, conversation);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("event: message_stop"), r.body());
      }
      assertEquals(3, mock.calls(slowKey), "the conversation stayed on its account until three slow answers");
      assertEquals(3, mock.calls(quickKey), "then moved for good");
      // A new conversation starts on the quick account although the slow one has the better priority.
      RelayCall fresh = RelayCall.call(node.baseUrl(), key, false, SONNET, UUID.randomUUID().toString());
      assertEquals(200, fresh.status(), fresh.body());
      assertEquals(4, mock.calls(quickKey));
      assertEquals(3, mock.calls(slowKey));
    } finally {
      node.admin("DELETE", "/admin/api/accounts/" + slow, null);
      node.admin("DELETE", "/admin/api/accounts/" + quick, null);
    }
  }

  @Test
  void aConversationMovesOffAnAccountThatFailsTooOftenForOtherConversations() throws Exception {
    String failingKey = "sk-failing-" + UUID.randomUUID();
    String steadyKey = "sk-steady-" + UUID.randomUUID();
    String failing = account("failing", failingKey, 1);
    String steady = account("steady", steadyKey, 2);
    String conversation = UUID.randomUUID().toString();
    try {
      RelayCall first = RelayCall.call(node.baseUrl(), key, true, SONNET, conversation);
      assertEquals(200, first.status(), first.body());
      assertEquals(1, mock.calls(failingKey), "the conversation is bound to the first account");
      // Two other conversations meet a 500 there (failed over to the steady account; the server-error
      // cooldown is 1 ms here, so only the pace can keep the account away): two failures in three attempts.
      for (int i = 0; i < 2; i++) {
        mock.script(failingKey, Scripted.serverError());
        RelayCall other = RelayCall.call(node.baseUrl(), key, true, SONNET, UUID.randomUUID().toString());
        assertEquals(200, other.status(), other.body());
      }
      assertEquals(3, mock.calls(failingKey));
      assertEquals(2, mock.calls(steadyKey));
      RelayCall again = RelayCall.call(node.baseUrl(), key, true, SONNET, conversation);
      assertEquals(200, again.status(), again.body());
      assertEquals(3, mock.calls(failingKey), "the conversation no longer goes to the failing account");
      assertEquals(3, mock.calls(steadyKey));
    } finally {
      node.admin("DELETE", "/admin/api/accounts/" + failing, null);
      node.admin("DELETE", "/admin/api/accounts/" + steady, null);
    }
  }
}
