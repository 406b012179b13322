package dev.relaycluster.upstream.direct;

import static dev.relaycluster.upstream.direct.ScriptedUpstream.ascii;
import static dev.relaycluster.upstream.direct.ScriptedUpstream.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.SelfSignedTls;
import dev.relaycluster.upstream.UpstreamFailures;
import dev.relaycluster.upstream.UpstreamTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direct upstream client against real sockets: the mock Anthropic API, and a scripted server that
 * writes each answer byte by byte (chunk boundaries, keep-alive, early closes, a slow reader).
 */
class DirectHttpClientTest {
  private static final String BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
  private static ActorSystem<Void> system;
  private static Materializer materializer;
  private DirectHttpClient client;
  private ScriptedUpstream upstream;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create(Behaviors.empty(), "direct-client-test",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    materializer = Materializer.matFromSystem(system);
  }

  @AfterAll
  static void stopSystem() {
    system.terminate();
  }

  @AfterEach
  void close() throws IOException {
    if (client != null) {
      client.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private DirectHttpClient client(Duration responseTimeout, Duration idleTimeout) {
    client = new DirectHttpClient(Duration.ofSeconds(2), responseTimeout, idleTimeout, system.executionContext(), 1);
    return client;
  }

  private DirectHttpClient client() {
    return client(Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  private static HttpRequest post(String url) {
    return HttpRequest.create(url).withMethod(HttpMethods.POST)
        .withHeaders(List.of(RawHeader.create("x-api-key", "sk-ant-test"), RawHeader.create("anthropic-version", "2023-06-01"),
            RawHeader.create("user-agent", "claude-cli/2.0.0 (external, cli)")))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, BODY));
  }

  private static HttpResponse await(java.util.concurrent.CompletionStage<HttpResponse> answer) throws Exception {
    return answer.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String text(HttpResponse response) throws Exception {
    return response.entity().getDataBytes().runFold(ByteString.emptyByteString(), ByteString::concat, materializer)
        .toCompletableFuture().get(10, TimeUnit.SECONDS).utf8String();
  }

  private static Throwable failure(java.util.concurrent.CompletionStage<?> stage) throws Exception {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static Optional<String> header(HttpResponse response, String name) {
    return response.getHeader(name).map(HttpHeader::value);
  }

  @Test
  void theMockAnthropicStreamArrivesByteForByte() throws Exception {
    try (MockAnthropic mock = new MockAnthropic()) {
      HttpResponse response = await(client().send(post(mock.baseUrl() + "/v1/messages?beta=true")));
      assertEquals(200, response.status().intValue());
      assertEquals(MediaTypes.TEXT_EVENT_STREAM, response.entity().getContentType().mediaType());
      assertEquals(MockAnthropic.STREAM, text(response));
      MockAnthropic.Received received = mock.received().get(0);
      assertEquals("/v1/messages?beta=true", received.target());
      assertEquals("sk-ant-test", received.header("x-api-key"));
      assertEquals(BODY, received.bodyText());
    }
  }

  @Test
  void theRequestGoesOutInOriginFormWithItsHeadersAndBody() throws Exception {
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"));
      return true;
    });
    await(client().send(post(upstream.url("/v1/messages?beta=true"))));
    ScriptedUpstream.Request r = upstream.requests().get(0);
    assertEquals("POST /v1/messages?beta=true HTTP/1.1", r.line());
    assertEquals("127.0.0.1:" + upstream.port(), r.headers().get("host"));
    assertEquals("application/json", r.headers().get("content-type"));
    assertEquals(String.valueOf(BODY.getBytes(StandardCharsets.UTF_8).length), r.headers().get("content-length"));
    assertEquals("claude-cli/2.0.0 (external, cli)", r.headers().get("user-agent"));
    assertEquals("2023-06-01", r.headers().get("anthropic-version"));
    assertEquals(BODY, r.body());
  }

  @Test
  void aShortAnswerIsStrictWithItsStatusAndHeadersAndTheConnectionIsReused() throws Exception {
    String error = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii("HTTP/1.1 529 Overloaded\r\ncontent-type: application/json\r\nrequest-id: req_011\r\n"
          + "anthropic-ratelimit-unified-status: allowed\r\ncontent-length: " + error.length() + "\r\n\r\n" + error));
      return true;
    });
    DirectHttpClient c = client();
    for (int i = 0; i < 3; i++) {
      HttpResponse response = await(c.send(post(upstream.url("/v1/messages"))));
      assertEquals(529, response.status().intValue());
      assertInstanceOf(HttpEntity.Strict.class, response.entity());
      assertEquals(error, ((HttpEntity.Strict) response.entity()).getData().utf8String());
      assertEquals(Optional.of("req_011"), header(response, "request-id"));
      assertEquals(Optional.of("allowed"), header(response, "anthropic-ratelimit-unified-status"));
      assertTrue(header(response, "content-length").isEmpty(), "the body's length is the entity's, not a header");
    }
    assertEquals(1, upstream.connections(), "one kept-alive connection for three calls in a row");
  }

  @Test
  void eventsReachTheReaderAsTheyArriveNotWhenTheStreamEnds() throws Exception {
    CountDownLatch firstSeen = new CountDownLatch(1);
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
          + "transfer-encoding: chunked\r\n\r\n"));
      out.write(chunk("event: message_start\ndata: {\"type\":\"message_start\"}\n\n"));
      out.flush();
      // The rest is written only once the client has read the first event.
      assertTrue(firstSeen.await(10, TimeUnit.SECONDS));
      out.write(chunk("event: ping\ndata: {\"type\": \"ping\"}\n\n"));
      out.write(chunk("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
      out.write(ascii("0\r\n\r\n"));
      return true;
    });
    HttpResponse response = await(client().send(post(upstream.url("/v1/messages"))));
    SinkQueueWithCancel<ByteString> queue = response.entity().getDataBytes().runWith(Sink.queue(), materializer);
    ByteString first = queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
    assertEquals("event: message_start\ndata: {\"type\":\"message_start\"}\n\n", first.utf8String());
    firstSeen.countDown();
    StringBuilder rest = new StringBuilder();
    for (Optional<ByteString> next = queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS); next.isPresent();
        next = queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
      rest.append(next.get().utf8String());
    }
    assertEquals("event: ping\ndata: {\"type\": \"ping\"}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
        rest.toString());
  }

  @Test
  void aStreamCutByUpstreamFailsTheBodyAfterTheBytesThatCame() throws Exception {
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"));
      out.write(chunk("event: message_start\ndata: {}\n\n"));
      out.flush();
      Thread.sleep(100);
      return false;
    });
    HttpResponse response = await(client().send(post(upstream.url("/v1/messages"))));
    StringBuilder seen = new StringBuilder();
    Throwable cut = failure(response.entity().getDataBytes()
        .runForeach(b -> seen.append(b.utf8String()), materializer));
    assertEquals("event: message_start\ndata: {}\n\n", seen.toString());
    assertEquals("upstream closed the connection mid-answer", UpstreamFailures.describe(cut));
  }

  @Test
  void noAnswerWithinTheResponseTimeoutFailsAndClosesTheConnection() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    upstream = new ScriptedUpstream((r, out, s) -> {
      if (s.getInputStream().read() < 0) {
        closed.countDown();
      }
      return false;
    });
    Throwable late = failure(client(Duration.ofMillis(300), Duration.ofSeconds(30)).send(post(upstream.url("/v1/messages"))));
    assertInstanceOf(UpstreamTimeoutException.class, late);
    assertTrue(closed.await(5, TimeUnit.SECONDS), "the connection of a timed-out call is closed");
  }

  @Test
  void aStalledStreamFailsAfterTheIdleTimeout() throws Exception {
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"));
      out.write(chunk("event: ping\ndata: {}\n\n"));
      out.flush();
      Thread.sleep(5_000);
      return false;
    });
    HttpResponse response = await(client(Duration.ofSeconds(5), Duration.ofMillis(400))
        .send(post(upstream.url("/v1/messages"))));
    Throwable stalled = failure(response.entity().getDataBytes().runWith(Sink.ignore(), materializer));
    assertInstanceOf(UpstreamTimeoutException.class, stalled);
  }

  @Test
  void aReaderThatLeavesClosesTheUpstreamConnection() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"));
      try {
        for (int i = 0; i < 600; i++) {
          out.write(chunk("event: ping\ndata: {\"type\": \"ping\"}\n\n"));
          out.flush();
          Thread.sleep(10);
        }
      } catch (IOException gone) {
        closed.countDown();
      }
      return false;
    });
    HttpResponse response = await(client().send(post(upstream.url("/v1/messages"))));
    response.entity().getDataBytes().take(1).runWith(Sink.ignore(), materializer).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertTrue(closed.await(10, TimeUnit.SECONDS), "upstream sees the connection closed once the reader has gone");
  }

  @Test
  void aSlowReaderHoldsUpstreamBackAndStillGetsEveryByte() throws Exception {
    int total = 32 * 1024 * 1024;
    AtomicLong written = new AtomicLong();
    byte[] block = new byte[16 * 1024];
    java.util.Arrays.fill(block, (byte) 'x');
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: " + total + "\r\n\r\n"));
      for (int sent = 0; sent < total; sent += block.length) {
        out.write(block);
        written.addAndGet(block.length);
      }
      out.flush();
      return true;
    });
    HttpResponse response = await(client().send(post(upstream.url("/v1/messages"))));
    SinkQueueWithCancel<ByteString> queue = response.entity().getDataBytes().runWith(Sink.queue(), materializer);
    long received = queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow().size();
    Thread.sleep(1_000);
    assertTrue(written.get() < total, "upstream is held back while the reader waits (" + written.get() + " written)");
    for (Optional<ByteString> next = queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS); next.isPresent();
        next = queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
      received += next.get().size();
    }
    assertEquals(total, received);
  }

  @Test
  void aPooledConnectionUpstreamClosedIsNotUsedAgain() throws Exception {
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"));
      out.flush();
      // Kept alive as far as the client knows, then closed while idle.
      return false;
    });
    DirectHttpClient c = client();
    await(c.send(post(upstream.url("/v1/messages"))));
    Thread.sleep(300);
    HttpResponse second = await(c.send(post(upstream.url("/v1/messages"))));
    assertEquals(200, second.status().intValue());
    assertEquals(2, upstream.connections());
  }

  @Test
  void aRefusedConnectionSaysSo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Throwable refused = failure(client().send(post("http://127.0.0.1:" + port + "/v1/messages")));
    assertInstanceOf(ConnectException.class, refused);
    assertEquals("upstream refused the connection", UpstreamFailures.describe(refused));
  }

  @Test
  void aStreamedBodyCanBeReadOnlyOnce() throws Exception {
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"));
      out.write(chunk("event: ping\ndata: {}\n\n"));
      out.write(ascii("0\r\n\r\n"));
      return true;
    });
    HttpResponse response = await(client().send(post(upstream.url("/v1/messages"))));
    assertEquals("event: ping\ndata: {}\n\n", text(response));
    assertNotNull(failure(response.entity().getDataBytes().runWith(Sink.ignore(), materializer)));
  }

  @Test
  void anInterimContinueIsSkippedAndTheRealAnswerRead() throws Exception {
    upstream = new ScriptedUpstream((r, out, s) -> {
      out.write(ascii("HTTP/1.1 100 Continue\r\n\r\n"));
      out.write(ascii("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"));
      return true;
    });
    HttpResponse response = await(client().send(post(upstream.url("/v1/messages"))));
    assertEquals(200, response.status().intValue());
    assertEquals("{}", text(response));
  }

  /**
   * https: the certificate is checked against the host the URL names (localhost is in it, 127.0.0.1 is
   * not), with the trust the client was given.
   */
  @Test
  void httpsChecksTheCertificateAgainstTheHostName() throws Exception {
    SelfSignedTls certificate = SelfSignedTls.forNames("localhost");
    com.sun.net.httpserver.HttpsServer tls = certificate.messagesServer();
    client = new DirectHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30),
        system.executionContext(), 1, certificate.trust());
    try {
      int port = tls.getAddress().getPort();
      HttpResponse ok = await(client.send(post("https://localhost:" + port + "/v1/messages")));
      assertEquals(200, ok.status().intValue());
      assertEquals(MockAnthropic.MESSAGE, text(ok));
      Throwable wrongName = failure(client.send(post("https://127.0.0.1:" + port + "/v1/messages")));
      assertEquals("TLS handshake with upstream failed", UpstreamFailures.describe(wrongName), String.valueOf(wrongName));
    } finally {
      tls.stop(0);
    }
  }
}
