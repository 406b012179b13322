package dev.relaycluster.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PublicBaseUrlTest {
  private static PublicBaseUrl.Seen seen(String scheme, String host) {
    return new PublicBaseUrl.Seen(scheme, host, null, null, null);
  }

  @Test
  void theConfiguredUrlWins() {
    assertEquals("https://relay.example.com/x", PublicBaseUrl.of("https://relay.example.com/x",
        new PublicBaseUrl.Seen("http", "10.0.0.5:3000", "http", "evil.example", null), true));
  }

  @Test
  void elseTheRequestsOwnSchemeAndHost() {
    assertEquals("http://10.0.0.5:3000", PublicBaseUrl.of("", seen("http", "10.0.0.5:3000"), false));
    assertEquals("http://relay.example.com", PublicBaseUrl.of("", seen("http", "relay.example.com:80"), false));
    assertEquals("https://relay.example.com", PublicBaseUrl.of(null, seen("HTTPS", "relay.example.com:443"), false));
    assertEquals("https://relay.example.com:80", PublicBaseUrl.of("", seen("https", "relay.example.com:80"), false));
    assertEquals("http://[::1]:3000", PublicBaseUrl.of("", seen("http", "[::1]:3000"), false));
    assertEquals("http://[::1]", PublicBaseUrl.of("", seen("http", "[::1]:80"), false));
    assertEquals("http://[::1]", PublicBaseUrl.of("", seen("http", "[::1]"), false));
  }

  @Test
  void forwardedValuesOnlyFromATrustedProxy() {
    PublicBaseUrl.Seen s = new PublicBaseUrl.Seen("http", "node-1:3000", "https", "relay.example.com", null);
    assertEquals("http://node-1:3000", PublicBaseUrl.of("", s, false));
    assertEquals("https://relay.example.com", PublicBaseUrl.of("", s, true));
    PublicBaseUrl.Seen list = new PublicBaseUrl.Seen("http", "node-1:3000", "https, http", "a.example, b.internal",
        null);
    assertEquals("https://a.example", PublicBaseUrl.of("", list, true));
    PublicBaseUrl.Seen rfc = new PublicBaseUrl.Seen("http", "node-1:3000", null, null,
        "for=192.0.2.60;proto=https;host=\"relay.example.com:8443\", for=10.0.0.1");
    assertEquals("https://relay.example.com:8443", PublicBaseUrl.of("", rfc, true));
    assertEquals("http://node-1:3000", PublicBaseUrl.of("", rfc, false));
  }

  @Test
  void aHostThatIsNotANameOrAddressIsNeverUsed() {
    assertEquals(PublicBaseUrl.UNKNOWN, PublicBaseUrl.of("", seen("http", "a.example\"; rm -rf ~; \""), false));
    assertEquals(PublicBaseUrl.UNKNOWN, PublicBaseUrl.of("", seen("http", "$(id).example"), false));
    assertEquals(PublicBaseUrl.UNKNOWN, PublicBaseUrl.of("", seen("http", null), false));
    assertEquals(PublicBaseUrl.UNKNOWN, PublicBaseUrl.of("",
        new PublicBaseUrl.Seen("http", "ok.example", null, "bad host/path", null), true));
    assertEquals("http://ok.example", PublicBaseUrl.of("", seen("javascript", "ok.example"), false));
  }
}
