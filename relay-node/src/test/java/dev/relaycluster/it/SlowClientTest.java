package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.RawHttp;
import dev.relaycluster.testing.TestNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Slow and idle clients cannot hold a node's connections (issue 17, item 3): half a request head, a head
 * trickled byte by byte, a stalled body (sized and chunked) and an idle kept-alive connection are cut after
 * the node's short client timeouts, while a slow streamed answer, longer than each of them, still arrives
 * whole. The node runs with timeouts of a second or two; every read below waits up to 30 s, so a node
 * without them (pekko-http's 10-minute idle timeout alone) fails each test of a cut instead of passing it late.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration READ_LIMIT = Duration.ofSeconds(30);

  private Path dataDir;
  private MockAnthropic mock;
  private TestNode node;
  private String key;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("relay-slow-clients-");
    mock = new MockAnthropic();
    node = TestNode.embedded(dataDir, Map.of(
        "relay.http.header-timeout", "2s",
        "relay.http.keep-alive-timeout", "1s",
        "relay.http.body-idle-timeout", "1s"));
    node.createConsoleAccount("slow-clients", mock.baseUrl(), "sk-ant-api03-slow-clients", 10);
    key = node.createKey("slow-clients", 0).get("key").asText();
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

  @Test
  void halfARequestHeadIsCut() throws Exception {
    try (RawHttp c = RawHttp.open(node.node().port(), READ_LIMIT)) {
      c.send("POST /api/v1/messages HTTP/1.1\r\nHost: relay\r\nx-api-key: " + key + "\r\n");
      assertEquals("", c.readToClose(), "closed without an answer");
    }
  }

  @Test
  void aTrickledRequestHeadIsCutBeforeItEnds() throws Exception {
    try (RawHttp c = RawHttp.open(node.node().port(), READ_LIMIT)) {
      c.send("GET /health HTTP/1.1\r\nHost: relay\r\nx-padding: ");
      // One byte every 200 ms never leaves the connection idle; only a deadline on the whole head ends it.
      for (int i = 0; i < 150; i++) {
        try {
          c.send("a");
        } catch (IOException closed) {
          return;
        }
        Thread.sleep(200);
      }
      fail("a head trickled for 30 s was not cut");
    }
  }

  @Test
  void aStalledSizedBodyGets408InTheCallersDialectAndTheNodeServesOthers() throws Exception {
    try (RawHttp c = RawHttp.open(node.node().port(), READ_LIMIT)) {
      c.send("POST /api/v1/messages HTTP/1.1\r\nHost: relay\r\ncontent-type: application/json\r\nx-api-key: " + key
          + "\r\ncontent-length: 200\r\n\r\n{\"model\":\"claude");
      String answer = c.readToClose();
      assertEquals(408, RawHttp.status(answer), answer);
      JsonNode body = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
      assertEquals("timeout_error", body.at("/error/type").asText(), answer);
      assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
    }
    assertEquals(200, health());
    HttpResponse<String> relayed = messages("claude-sonnet-4-5-20250929", false);
    assertEquals(200, relayed.statusCode(), relayed.body());
  }

  @Test
  void aStalledChunkedGeminiBodyGets408InGeminiWords() throws Exception {
    try (RawHttp c = RawHttp.open(node.node().port(), READ_LIMIT)) {
      c.send("POST /gemini/v1beta/models/gemini-2.5-pro:generateContent HTTP/1.1\r\nHost: relay\r\n"
          + "content-type: application/json\r\nx-goog-api-key: " + key + "\r\ntransfer-encoding: chunked\r\n\r\n"
          + "a\r\n{\"content\r\n");
      String answer = c.readToClose();
      assertEquals(408, RawHttp.status(answer), answer);
      JsonNode body = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
      assertEquals(408, body.at("/error/code").asInt(), answer);
      assertEquals("DEADLINE_EXCEEDED", body.at("/error/status").asText(), answer);
    }
  }

  @Test
  void anIdleKeptAliveConnectionIsClosedAfterItsAnswer() throws Exception {
    try (RawHttp c = RawHttp.open(node.node().port(), READ_LIMIT)) {
      String answer = c.send("GET /health HTTP/1.1\r\nHost: relay\r\n\r\n").readAnswer();
      assertEquals(200, RawHttp.status(answer), answer);
      assertEquals("", c.readToClose(), "the node closes the idle connection without another answer");
    }
  }

  @Test
  void aConnectionInUseOutlivesItsKeepAliveTimeoutAndClosesOneAfterItsLastAnswer() throws Exception {
    // Each answer moves the connection's deadline for its next head (one timer per connection, armed again
    // when it fires before the deadline it finds): five requests 0.6 s apart span three times the 1 s
    // keep-alive on one connection, which then closes once idle.
    try (RawHttp c = RawHttp.open(node.node().port(), READ_LIMIT)) {
      for (int i = 0; i < 5; i++) {
        if (i > 0) {
          Thread.sleep(600);
        }
        String answer = c.send("GET /health HTTP/1.1\r\nHost: relay\r\n\r\n").readAnswer();
        assertEquals(200, RawHttp.status(answer), "request " + i + ": " + answer);
      }
      assertEquals("", c.readToClose(), "the node closes the connection once it is idle");
    }
  }

  @Test
  void aSlowStreamLongerThanEveryClientTimeoutArrivesWhole() throws Exception {
    // mock-slow spreads its events over about two seconds: longer than the keep-alive and body timeouts,
    // as long as the header timeout; none of them may cut an answer that is under way.
    HttpResponse<String> streamed = messages("mock-slow", true);
    assertEquals(200, streamed.statusCode(), streamed.body());
    assertTrue(streamed.body().endsWith(MockAnthropic.STREAM.substring(MockAnthropic.STREAM.indexOf(
        "event: message_delta"))), streamed.body());
  }

  private int health() throws Exception {
    return node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/health")).timeout(READ_LIMIT)
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private HttpResponse<String> messages(String model, boolean stream) throws Exception {
    String body = "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    return node.http().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/messages"))
        .timeout(READ_LIMIT).header("content-type", "application/json").header("x-api-key", key)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
