package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.apikey.KeyStatus;
import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.tracing.RequestSpans;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** The decision trace in one line, as the request log shows it: the same whether or not the trace is kept. */
class RouteTraceShortFormTest {
  private static RelayCall call() {
    String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[]}";
    KeyEntry key = new KeyEntry("key-1", "k", "hash", "cr_ab", 0, KeyStatus.ACTIVE, 0, 0, 1);
    return new RelayCall("req-1", key, AnthropicDialect.INSTANCE, "claude", "messages", null, List.of(),
        ContentTypes.APPLICATION_JSON, ByteString.fromString(body),
        AnthropicDialect.INSTANCE.read("messages", body.getBytes(StandardCharsets.UTF_8), name -> null, "key-1"),
        null, 1_700_000_000_000L, 0);
  }

  /** A failover: the cached binding's account is rate limited, the scheduler's pick fails its lease, the next serves. */
  private static void failover(RouteTrace t) {
    t.admitted();
    t.routing(1, List.of(), null, Set.of());
    t.routed("session (cached)", "acc-1");
    t.lease("granted (replica)");
    t.answered(429, "rate_limited", 12, null);
    t.then("failed over to the next account");
    t.routing(2, List.of(), null, Set.of("acc-1"));
    t.routed("scheduler (no session key)", "acc-2");
    t.lease("refused: at its concurrency limit");
    t.routing(3, List.of(), null, Set.of("acc-1", "acc-2"));
    t.routed("session (rebound: its account could not take it)", "acc-3");
    t.lease("granted");
    t.answered(401, "unauthorized", 5, "refresh the token and retry");
    t.answered(200, "success", 30, "answered the client");
  }

  @Test
  void eachTryInOrderWhetherOrNotTheTraceIsKept() {
    String expected = "session-cached:acc-1=429 rate_limited > scheduler:acc-2=lease-refused"
        + " > session-rebound:acc-3=401 unauthorized,200";
    for (boolean kept : new boolean[] {true, false}) {
      RouteTrace t = new RouteTrace("node", call(), kept, RequestSpans.NONE);
      failover(t);
      assertEquals(expected, t.shortForm(), "kept: " + kept);
    }
  }

  @Test
  void triesWithoutAnAnswerAndWithoutAnAccount() {
    RouteTrace t = new RouteTrace("node", call(), false, RequestSpans.NONE);
    assertEquals("-", t.shortForm(), "no try yet (a refusal before routing)");
    t.routing(1, List.of(), null, Set.of());
    t.routed("session", "acc-1");
    t.lease("granted");
    t.answered(null, "timeout", 5000, null);
    t.routing(2, List.of(), null, Set.of("acc-1"));
    t.routed("none: every account is cooling", null);
    assertEquals("session:acc-1=timeout > none", t.shortForm());
    assertNull(RouteTrace.OFF.shortForm(), "the shared trace that notes nothing has no short form");
  }

  @Test
  void aLongChainIsCut() {
    RouteTrace t = new RouteTrace("node", call(), false, RequestSpans.NONE);
    for (int i = 0; i < 40; i++) {
      t.routing(i + 1, List.of(), null, Set.of());
      t.routed("scheduler (no session key)", "account-with-a-long-id-" + i);
      t.answered(529, "overloaded", 1, null);
    }
    String s = t.shortForm();
    assertEquals(RouteTrace.SHORT_MAX, s.length());
    assertTrue(s.startsWith("scheduler:account-with-a-long-id-0=529 overloaded > ") && s.endsWith("..."), s);
  }
}
