package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.relaycluster.testing.RawHttp;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A GET that carries a body (the fuzzer's 300 kB one) is answered after the body was read, and its connection
 * stays open for the next request: answered while the client was still sending, the connection used to be closed
 * with the body unread, and a client could read a reset instead of its answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BodilessRequestTest {
  private TestNode node;

  @BeforeAll
  void start() throws Exception {
    node = TestNode.embedded(Files.createTempDirectory("relay-bodiless-"), Map.of());
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aGetWithALargeBodyIsAnsweredAndTheConnectionServesTheNextRequest() throws Exception {
    String body = "{\"model\":\"" + "x".repeat(300_000) + "\"}";
    for (String path : new String[] {"/health", "/v1/models", "/admin/api/usage/requests.csv?period=%09"}) {
      try (RawHttp c = RawHttp.open(node.node().port(), Duration.ofSeconds(20))) {
        String request = "GET " + path + " HTTP/1.1\r\nHost: relay\r\ncontent-type: application/json\r\n"
            + "content-length: " + body.length() + "\r\n\r\n" + body;
        // Sent beside the read: a node that answers without reading would leave this write blocked.
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
          try {
            c.send(request);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        String first = c.readAnswer();
        assertFalse(first.toLowerCase(Locale.ROOT).contains("connection: close"), path + ": " + head(first));
        sent.get();
        String second = c.send("GET /health HTTP/1.1\r\nHost: relay\r\n\r\n").readAnswer();
        assertEquals(200, RawHttp.status(second), path + " then /health: " + head(second));
      }
    }
  }

  private static String head(String answer) {
    int end = answer.indexOf("\r\n\r\n");
    return end < 0 ? answer : answer.substring(0, end);
  }
}
