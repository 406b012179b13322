package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.testing.RawHttp;
import dev.relaycluster.testing.RequestLineCapture;
import dev.relaycluster.testing.TestNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Login throttling and the request log's client address behind a balancer (RELAY_TRUSTED_PROXIES): the node trusts 127.0.0.2, which stands for
 * the balancer; 127.0.0.1 stands for a client that reaches the node directly and writes its own
 * X-Forwarded-For.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustedProxyTest {
  private TestNode node;
  private int port;
  private String relayKey;

  @BeforeAll
  void start() throws Exception {
    node = TestNode.embedded(Files.createTempDirectory("relay-proxy-"),
        Map.of("relay.http.trusted-proxies", "127.0.0.2", "relay.admin.max-failed-logins", "2"));
    port = URI.create(node.baseUrl()).getPort();
    // Made before any test locks 127.0.0.1 out of the admin login.
    relayKey = node.createKey("proxied", 0).get("key").asText();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private int login(String from, String forwardedFor, String password) throws Exception {
    String body = "{\"username\":\"admin\",\"password\":\"" + password + "\"}";
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    try (RawHttp c = RawHttp.openFrom(from, port, Duration.ofSeconds(20))) {
      String answer = c.send("POST /admin/api/login HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
          + "X-Forwarded-For: " + forwardedFor + "\r\nContent-Length: " + payload.length
          + "\r\nConnection: close\r\n\r\n" + body).readToClose();
      return RawHttp.status(answer);
    }
  }

  /** A relay call from {@code from} claiming {@code forwardedFor}: its request id. */
  private String relayCall(String from, String forwardedFor) throws Exception {
    String body = "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":5,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    try (RawHttp c = RawHttp.openFrom(from, port, Duration.ofSeconds(20))) {
      String answer = c.send("POST /api/v1/messages HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
          + "x-api-key: " + relayKey + "\r\nanthropic-version: 2023-06-01\r\n"
          + "X-Forwarded-For: " + forwardedFor + "\r\nContent-Length: " + payload.length
          + "\r\nConnection: close\r\n\r\n" + body).readToClose();
      Matcher id = Pattern.compile("(?im)^x-relay-request-id: *(\\S+)").matcher(answer);
      assertTrue(id.find(), answer);
      return id.group(1);
    }
  }

  @Test
  void theRequestLineNamesTheClientBehindTheTrustedBalancerAndNotASpoofedOne() throws Exception {
    try (RequestLineCapture lines = new RequestLineCapture()) {
      // No account serves the pool: the call is answered by the relay, and its line is logged all the same.
      String proxied = relayCall("127.0.0.2", "203.0.113.50");
      assertEquals("203.0.113.50", lines.await(proxied).get("client"),
          "behind the trusted balancer, the address it forwarded for");
      String spoofed = relayCall("127.0.0.1", "198.51.100.66");
      assertEquals("127.0.0.1", lines.await(spoofed).get("client"),
          "a direct client's own X-Forwarded-For is not believed");
    }
  }

  private void guessUntilRefused(String from, String forwardedFor) throws Exception {
    int status = 0;
    for (int i = 0; i < 10 && status != 429; i++) {
      status = login(from, forwardedFor, "guess-" + i);
    }
    assertEquals(429, status, "the guessing client is refused");
  }

  @Test
  void behindTheTrustedBalancerOneGuessingClientDoesNotLockOutAnotherAndASpoofedHeaderIsIgnored()
      throws Exception {
    guessUntilRefused("127.0.0.2", "203.0.113.9");
    assertEquals(429, login("127.0.0.2", "203.0.113.9", TestNode.ADMIN_PASSWORD),
        "the guessing client itself waits, even with the right password");
    assertEquals(200, login("127.0.0.2", "198.51.100.7", TestNode.ADMIN_PASSWORD),
        "another client behind the same balancer gets in");
    // A client that is not a trusted proxy cannot pick the address it is throttled by.
    guessUntilRefused("127.0.0.1", "198.51.100.8");
    assertEquals(429, login("127.0.0.1", "198.51.100.99", TestNode.ADMIN_PASSWORD),
        "its own X-Forwarded-For is not believed: the address it connects from stays refused");
  }
}
