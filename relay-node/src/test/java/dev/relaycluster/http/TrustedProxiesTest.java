package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void withoutTrustedProxiesTheForwardedHeadersAreNeverBelieved() throws Exception {
    assertEquals("10.0.0.5", TrustedProxies.NONE.resolve(ip("10.0.0.5"), "203.0.113.9", "for=198.51.100.1"));
    assertEquals("10.0.0.5", TrustedProxies.parse("").resolve(ip("10.0.0.5"), "203.0.113.9", null));
  }

  @Test
  void anUntrustedPeerIsTheClientWhateverItWrites() throws Exception {
    TrustedProxies p = TrustedProxies.parse("10.0.0.0/8");
    assertEquals("192.0.2.7", p.resolve(ip("192.0.2.7"), "203.0.113.9", null));
  }

  @Test
  void behindTrustedProxiesTheNearestUntrustedHopIsTheClient() throws Exception {
    TrustedProxies p = TrustedProxies.parse("10.0.0.0/8, 172.16.0.1");
    assertEquals("203.0.113.9", p.resolve(ip("10.1.2.3"), "203.0.113.9", null));
    // What the client wrote itself (on the left) is not believed past the first untrusted hop.
    assertEquals("203.0.113.9", p.resolve(ip("10.1.2.3"), "1.1.1.1, 203.0.113.9, 172.16.0.1", null));
    assertEquals("203.0.113.9", p.resolve(ip("10.1.2.3"), "203.0.113.9:5512", null));
    // Only trusted hops: the leftmost is as far as the chain goes.
    assertEquals("10.9.9.9", p.resolve(ip("10.1.2.3"), "10.9.9.9, 172.16.0.1", null));
    // No header: the proxy itself.
    assertEquals("10.1.2.3", p.resolve(ip("10.1.2.3"), null, null));
  }

  @Test
  void forwardedIsReadWhenThereIsNoXForwardedFor() throws Exception {
    TrustedProxies p = TrustedProxies.parse("10.0.0.0/8,fd00::/8");
    assertEquals("203.0.113.9", p.resolve(ip("10.1.2.3"), null, "for=198.51.100.1, for=203.0.113.9;proto=https"));
    assertEquals("2001:db8:0:0:0:0:0:1",
        p.resolve(ip("fd00::1"), null, "for=\"[2001:db8::1]:4711\";by=10.1.2.3"));
  }

  @Test
  void garbageOrHostNamesInTheChainAreNotBelieved() throws Exception {
    TrustedProxies p = TrustedProxies.parse("10.0.0.0/8");
    assertEquals("10.1.2.3", p.resolve(ip("10.1.2.3"), "evil.example.com", null));
    assertEquals("10.1.2.3", p.resolve(ip("10.1.2.3"), "dead.beef", null));
    assertEquals("10.1.2.3", p.resolve(ip("10.1.2.3"), "203.0.113.9, <script>", null));
  }

  @Test
  void badSettingsAreRefusedAtStart() {
    ConfigException e = assertThrows(ConfigException.class, () -> TrustedProxies.parse("10.0.0.0/8, proxy.local"));
    assertTrue(e.getMessage().contains("proxy.local"), e.getMessage());
    assertThrows(ConfigException.class, () -> TrustedProxies.parse("10.0.0.0/99"));
  }
}
