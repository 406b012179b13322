package dev.relaycluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.testing.RawHttp;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node whose API connections are all taken still answers {@code /health}, {@code /metrics} and the admin on
 * the connections it reserves for them, and turns further API calls away at once with 503 (issue 17, item 3). The
 * cap here is three, with two reserved, and the header timeout long enough for idle sockets to keep their places.
 */
class ConnectionReserveTest {
  private static final Duration READ_LIMIT = Duration.ofSeconds(30);
  private static final String API_CALL = "POST /api/v1/messages HTTP/1.1\r\nHost: relay\r\n"
      + "content-type: application/json\r\ncontent-length: 2\r\nConnection: close\r\n\r\n{}";

  @Test
  void healthAndTheAdminAnswerWhileIdleSocketsHoldEveryApiConnection() throws Exception {
    Path dataDir = Files.createTempDirectory("relay-reserve-");
    try (TestNode node = TestNode.embedded(dataDir, Map.of(
        "relay.http.max-connections", 3,
        "relay.http.reserved-connections", 2,
        "relay.http.header-timeout", "60s"))) {
      int port = node.node().port();
      // Before the cap is reached, an API call without a key is answered 401 like any other.
      assertEquals(401, RawHttp.status(RawHttp.exchange(port, API_CALL, READ_LIMIT)));

      List<RawHttp> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          idle.add(RawHttp.open(port, READ_LIMIT));
        }
        try (RawHttp health = RawHttp.open(port, READ_LIMIT)) {
          String answer = health.send("GET /health HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n")
              .readToClose();
          assertEquals(200, RawHttp.status(answer), answer);
        }
        try (RawHttp admin = RawHttp.open(port, READ_LIMIT)) {
          String answer = admin.send("GET /admin/api/keys HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n")
              .readToClose();
          assertEquals(401, RawHttp.status(answer), "the admin answers (without a token: 401): " + answer);
        }
        try (RawHttp metrics = RawHttp.open(port, READ_LIMIT)) {
          String answer = metrics.send("GET /metrics HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n")
              .readToClose();
          assertEquals(200, RawHttp.status(answer), answer);
          assertTrue(answer.contains("relay_requests_in_flight"), answer);
        }
        try (RawHttp api = RawHttp.open(port, READ_LIMIT)) {
          String answer = api.send(API_CALL).readToClose();
          assertEquals(503, RawHttp.status(answer), answer);
          assertTrue(answer.toLowerCase(Locale.ROOT).contains("retry-after: 1"), answer);
          assertTrue(answer.contains("overloaded_error"), answer);
        }
      } finally {
        for (RawHttp c : idle) {
          c.close();
        }
      }

      // Once the idle sockets are gone, API calls are served again (the node notices the closes shortly).
      int status = 0;
      for (int attempt = 0; attempt < 100 && status != 401; attempt++) {
        Thread.sleep(100);
        status = RawHttp.status(RawHttp.exchange(port, API_CALL, READ_LIMIT));
      }
      assertEquals(401, status);
    }
  }
}
