package dev.relaycluster.upstream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

/**
 * Client headers that cannot be sent upstream as they came are dropped, not sent: a DEL in a value (pekko-http
 * accepts it, the upstream client refused the whole call) and characters past ASCII (sent as '?').
 */
class UpstreamHeadersTest {

  @Test
  void headersThatCannotBeSentAsTheyCameAreDropped() {
    List<HttpHeader> client = List.of(
        RawHeader.create("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14"),
        RawHeader.create("x-del", "a\u007fb"),
        RawHeader.create("user-agent", "claude-cli/2.1.197 (external, cli)"),
        RawHeader.create("x-unicode", "\u4f60\u597d"),
        RawHeader.create("x-latin", "caf\u00e9"),
        RawHeader.create("x-tab", "a\tb"),
        RawHeader.create("x api", "bad name"),
        RawHeader.create("x-api-key", "cr_relay-key"));
    List<HttpHeader> sent = UpstreamHeaders.forwarded(client, name -> true);
    assertEquals(List.of("anthropic-beta", "user-agent", "x-tab"), sent.stream().map(HttpHeader::name).toList());
    // What the upstream client does with them: every header kept is one it accepts.
    DefaultHttpHeaders netty = new DefaultHttpHeaders();
    for (HttpHeader h : sent) {
      assertDoesNotThrow(() -> netty.add(h.name(), h.value()), h.name());
    }
  }
}
