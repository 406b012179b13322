package dev.relaycluster.upstream.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class Socks5ProtocolTest {
  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  @Test
  void greetingOffersPasswordOnlyWithCredentials() {
    assertArrayEquals(bytes(5, 1, 0), Socks5Protocol.greeting(false).toArray());
    assertArrayEquals(bytes(5, 2, 0, 2), Socks5Protocol.greeting(true).toArray());
  }

  @Test
  void passwordRequestFollowsRfc1929() {
    assertArrayEquals(bytes(1, 2, 'a', 'b', 3, 'x', 'y', 'z'), Socks5Protocol.passwordRequest("ab", "xyz").toArray());
    assertThrows(IllegalArgumentException.class, () -> Socks5Protocol.passwordRequest("u", "p".repeat(256)));
  }

  @Test
  void connectSendsNamesForTheProxyToResolve() {
    assertArrayEquals(bytes(5, 1, 0, 3, 17, 'a', 'p', 'i', '.', 'a', 'n', 't', 'h', 'r', 'o', 'p', 'i', 'c', '.', 'c', 'o',
        'm', 0x01, 0xBB), Socks5Protocol.connectRequest("api.anthropic.com", 443).toArray());
    assertArrayEquals(bytes(5, 1, 0, 1, 10, 0, 0, 7, 0x1F, 0x90), Socks5Protocol.connectRequest("10.0.0.7", 8080).toArray());
    byte[] v6 = Socks5Protocol.connectRequest("[::1]", 80).toArray();
    assertEquals(4, v6[3]);
    assertEquals(4 + 16 + 2, v6.length);
    assertEquals(1, v6[4 + 15]);
  }

  @Test
  void replyLengthWaitsForTheWholeReply() {
    assertEquals(-1, Socks5Protocol.connectReplyLength(ByteString.fromArray(bytes(5, 0, 0, 1))));
    assertEquals(-1, Socks5Protocol.connectReplyLength(ByteString.fromArray(bytes(5, 0, 0, 1, 0, 0, 0, 0, 0))));
    assertEquals(10, Socks5Protocol.connectReplyLength(ByteString.fromArray(bytes(5, 0, 0, 1, 0, 0, 0, 0, 0, 0, 'H'))));
    assertEquals(4 + 1 + 3 + 2, Socks5Protocol.connectReplyLength(ByteString.fromArray(bytes(5, 0, 0, 3, 3, 'a', 'b', 'c', 0, 80))));
    assertEquals(22, Socks5Protocol.connectReplyLength(ByteString.fromArray(new byte[] {5, 0, 0, 4, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})));
  }
}
