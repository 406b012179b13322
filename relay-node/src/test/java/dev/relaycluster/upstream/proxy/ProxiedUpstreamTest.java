package dev.relaycluster.upstream.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import com.typesafe.config.ConfigFactory;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.testing.HttpConnectProxy;
import dev.relaycluster.testing.MockAnthropic;
import dev.relaycluster.testing.SelfSignedTls;
import dev.relaycluster.testing.Socks5Proxy;
import dev.relaycluster.upstream.ProxySpec;
import dev.relaycluster.upstream.UpstreamClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upstream calls through real proxies on loopback: a small HTTP CONNECT proxy and a small SOCKS5
 * proxy (each with and without credentials), in front of the mock Anthropic API.
 */
class ProxiedUpstreamTest {
  private static final String BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
  private static final String SOCKS_ONLY_NAME = "api.only-the-proxy-knows.test";

  private static ActorSystem<Void> system;
  private static UpstreamClient client;
  private static MockAnthropic upstream;

  @BeforeAll
  static void start() throws IOException {
    system = ActorSystem.create(Behaviors.empty(), "proxy-test",
        ConfigFactory.parseString("pekko.actor.provider = local\npekko.http.client.connecting-timeout = 1s").withFallback(ConfigFactory.load()));
    client = new UpstreamClient(system, new RelaySettings.Upstream(Duration.ofSeconds(5), Duration.ofSeconds(20),
        Duration.ofSeconds(30), Duration.ofSeconds(30), 1 << 20, 3));
    upstream = new MockAnthropic();
  }

  @AfterAll
  static void stop() throws IOException {
    upstream.close();
    system.terminate();
  }

  private static HttpRequest messages(String baseUrl) {
    return messages(baseUrl, "sk-ant-api03-test");
  }

  /** A Messages request; the API key tells the mock's received requests apart. */
  private static HttpRequest messages(String baseUrl, String apiKey) {
    return HttpRequest.POST(baseUrl + "/v1/messages")
        .addHeader(RawHeader.create("x-api-key", apiKey))
        .addHeader(RawHeader.create("anthropic-version", "2023-06-01"))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, BODY));
  }

  private static String body(HttpResponse response) throws Exception {
    return response.entity().toStrict(10_000, Materializer.matFromSystem(system)).toCompletableFuture()
        .get(15, TimeUnit.SECONDS).getData().utf8String();
  }

  private static HttpResponse call(HttpRequest request, ProxySpec proxy) throws Exception {
    return client.send(request, proxy).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static Throwable failure(HttpRequest request, ProxySpec proxy) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> client.send(request, proxy).toCompletableFuture().get(20, TimeUnit.SECONDS));
    Throwable cause = e.getCause();
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static long upstreamSaw(String apiKey) {
    return upstream.received().stream().filter(r -> apiKey.equals(r.header("x-api-key"))).count();
  }

  @Test
  void httpConnectProxyWithoutCredentialsCarriesTheRequest() throws Exception {
    try (HttpConnectProxy proxy = new HttpConnectProxy()) {
      HttpResponse response = call(messages(upstream.baseUrl(), "sk-http-open"),
          ProxySpec.parse("http://127.0.0.1:" + proxy.port()));
      assertEquals(200, response.status().intValue());
      assertEquals(MockAnthropic.MESSAGE, body(response));
      assertEquals(1, proxy.tunnels());
      assertEquals("127.0.0.1:" + upstream.baseUrl().substring(upstream.baseUrl().lastIndexOf(':') + 1),
          proxy.targets().get(0));
      assertEquals(1, upstreamSaw("sk-http-open"));
    }
  }

  @Test
  void httpConnectProxyWithBasicAuthAndAWrongPassword() throws Exception {
    try (HttpConnectProxy proxy = new HttpConnectProxy("relay", "s3cret-pass")) {
      HttpResponse ok = call(messages(upstream.baseUrl(), "sk-http-auth"),
          ProxySpec.parse("http://relay:s3cret-pass@127.0.0.1:" + proxy.port()));
      assertEquals(200, ok.status().intValue());
      assertEquals(MockAnthropic.MESSAGE, body(ok));
      assertEquals(1, proxy.tunnels());
      assertEquals(1, upstreamSaw("sk-http-auth"));

      Throwable refused = failure(messages(upstream.baseUrl(), "sk-http-wrong"),
          ProxySpec.parse("http://relay:not-the-password@127.0.0.1:" + proxy.port()));
      assertInstanceOf(UpstreamProxyException.class, refused);
      assertTrue(refused.getMessage().contains("407"), refused.getMessage());
      assertTrue(refused.getMessage().contains("username/password"), refused.getMessage());
      assertFalse(refused.getMessage().contains("not-the-password"), refused.getMessage());
      assertEquals(1, proxy.tunnels());
      assertEquals(0, upstreamSaw("sk-http-wrong"));
    }
  }

  @Test
  void socks5ProxyResolvesTheHostNameItself() throws Exception {
    try (Socks5Proxy proxy = new Socks5Proxy(null, null, Map.of(SOCKS_ONLY_NAME, "127.0.0.1"))) {
      int port = Integer.parseInt(upstream.baseUrl().substring(upstream.baseUrl().lastIndexOf(':') + 1));
      HttpResponse response = call(messages("http://" + SOCKS_ONLY_NAME + ":" + port, "sk-socks-open"),
          ProxySpec.parse("socks5://127.0.0.1:" + proxy.port()));
      assertEquals(200, response.status().intValue());
      assertEquals(MockAnthropic.MESSAGE, body(response));
      assertEquals(1, proxy.tunnels());
      assertEquals(new Socks5Proxy.Request(3, SOCKS_ONLY_NAME, port), proxy.requests().get(0));
      assertEquals(1, upstreamSaw("sk-socks-open"));
    }
  }

  @Test
  void socks5ProxyWithUsernamePasswordAndAWrongPassword() throws Exception {
    try (Socks5Proxy proxy = new Socks5Proxy("relay", "socks-pass", Map.of())) {
      HttpResponse ok = call(messages(upstream.baseUrl(), "sk-socks-auth"),
          ProxySpec.parse("socks5://relay:socks-pass@127.0.0.1:" + proxy.port()));
      assertEquals(200, ok.status().intValue());
      assertEquals(MockAnthropic.MESSAGE, body(ok));
      assertEquals(1, proxy.tunnels());
      assertEquals(1, upstreamSaw("sk-socks-auth"));

      Throwable refused = failure(messages(upstream.baseUrl(), "sk-socks-wrong"),
          ProxySpec.parse("socks5://relay:wrong-pass@127.0.0.1:" + proxy.port()));
      assertInstanceOf(UpstreamProxyException.class, refused);
      assertTrue(refused.getMessage().contains("refused the username/password"), refused.getMessage());
      assertFalse(refused.getMessage().contains("wrong-pass"), refused.getMessage());
      assertEquals(1, proxy.authFailures());

      Throwable noCredentials = failure(messages(upstream.baseUrl()),
          ProxySpec.parse("socks5://127.0.0.1:" + proxy.port()));
      assertInstanceOf(UpstreamProxyException.class, noCredentials);
      assertTrue(noCredentials.getMessage().contains("requires authentication"), noCredentials.getMessage());
      assertEquals(1, proxy.tunnels());
      assertEquals(0, upstreamSaw("sk-socks-wrong"));
    }
  }

  @Test
  void aSocksReplyCodeAndAnUnreachableProxyAreNamed() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (Socks5Proxy proxy = new Socks5Proxy(null, null, Map.of())) {
      Throwable targetDown = failure(messages("http://127.0.0.1:" + closedPort),
          ProxySpec.parse("socks5://127.0.0.1:" + proxy.port()));
      assertInstanceOf(UpstreamProxyException.class, targetDown);
      assertTrue(targetDown.getMessage().contains("the target refused the connection"), targetDown.getMessage());
    }
    Throwable socksDown = failure(messages(upstream.baseUrl()), ProxySpec.parse("socks5://u:pw@127.0.0.1:" + closedPort));
    assertInstanceOf(UpstreamProxyException.class, socksDown);
    assertTrue(socksDown.getMessage().contains("is unreachable"), socksDown.getMessage());
    assertFalse(socksDown.getMessage().contains(":pw@"), socksDown.getMessage());
    Throwable httpDown = failure(messages(upstream.baseUrl()), ProxySpec.parse("http://127.0.0.1:" + closedPort));
    assertInstanceOf(UpstreamProxyException.class, httpDown);
    assertTrue(httpDown.getMessage().contains("is unreachable"), httpDown.getMessage());
  }

  /**
   * A keep-alive upstream (the mock Anthropic closes every connection): pooled connections are
   * reused, so a pool shared between proxies, or with direct calls, would send requests down the
   * wrong path and the tunnel counts would show it.
   */
  @Test
  void eachProxyHasItsOwnPoolAndDirectCallsUseNone() throws Exception {
    java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
    HttpServer keepAlive = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    keepAlive.createContext("/v1/messages", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] bytes = MockAnthropic.MESSAGE.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
      answered.incrementAndGet();
    });
    keepAlive.start();
    try (HttpConnectProxy a = new HttpConnectProxy(); Socks5Proxy b = new Socks5Proxy(null, null, Map.of())) {
      String base = "http://127.0.0.1:" + keepAlive.getAddress().getPort();
      ProxySpec viaA = ProxySpec.parse("http://127.0.0.1:" + a.port());
      ProxySpec viaB = ProxySpec.parse("socks5://127.0.0.1:" + b.port());
      for (ProxySpec proxy : new ProxySpec[] {viaA, viaB, null, viaA, viaB, null}) {
        assertEquals(MockAnthropic.MESSAGE, body(call(messages(base), proxy)));
      }
      assertEquals(6, answered.get());
      assertEquals(1, a.tunnels(), "both requests via A shared A's one connection");
      assertEquals(1, b.tunnels(), "both requests via B shared B's one connection");
    } finally {
      keepAlive.stop(0);
    }
  }

  @Test
  void aSocksProxyThatNeverAnswersTimesOutTheHandshake() throws Exception {
    // The accepted connection is held until the end: a socket nothing refers to is closed when the collector
    // finds it, and the proxy would then have hung up rather than stayed silent.
    AtomicReference<Socket> accepted = new AtomicReference<>();
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          accepted.set(silent.accept());
        } catch (IOException ignored) {
          // closed by the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Throwable t = failure(messages(upstream.baseUrl()), ProxySpec.parse("socks5://127.0.0.1:" + silent.getLocalPort()));
      assertInstanceOf(UpstreamProxyException.class, t);
      assertTrue(t.getMessage().contains("did not finish the SOCKS5 handshake within 1 s"), t.getMessage());
    } finally {
      Socket socket = accepted.get();
      if (socket != null) {
        socket.close();
      }
    }
  }

  /**
   * A proxy that takes the connection and then resets it (RST, not FIN) was reported as unreachable, because
   * pekko's "The connection closed with error: Connection reset by peer" contains "Connect". It is said as a
   * dropped connection, for either kind of proxy; the proxy is reachable, so "unreachable" would send an admin
   * to the wrong place.
   */
  @Test
  void aProxyThatResetsTheConnectionIsNotCalledUnreachable() throws Exception {
    try (ServerSocket resetting = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!resetting.isClosed()) {
          try (Socket socket = resetting.accept()) {
            socket.getInputStream().read(new byte[512]);
            socket.setSoLinger(true, 0);
          } catch (IOException ignored) {
            // closed by the test
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      for (String scheme : List.of("socks5", "http")) {
        Throwable t = failure(messages(upstream.baseUrl()), ProxySpec.parse(scheme + "://127.0.0.1:" + resetting.getLocalPort()));
        assertInstanceOf(UpstreamProxyException.class, t, scheme);
        assertTrue(t.getMessage().contains("dropped the connection"), scheme + ": " + t.getMessage());
        assertFalse(t.getMessage().contains("unreachable"), scheme + ": " + t.getMessage());
      }
    }
  }

  /**
   * TLS runs end to end through both kinds of tunnel: the client checks the upstream's certificate
   * against the name it asked for (a name only the SOCKS proxy can resolve, or localhost), and the
   * proxies see only ciphertext.
   */
  @Test
  void httpsPassesThroughBothKindsOfProxy() throws Exception {
    SelfSignedTls certificate = SelfSignedTls.forNames("localhost", SOCKS_ONLY_NAME);
    Http.get(system).setDefaultClientHttpsContext(ConnectionContext.httpsClient(certificate.clientContext()));
    HttpsServer tls = certificate.messagesServer();
    int port = tls.getAddress().getPort();
    try (HttpConnectProxy http = new HttpConnectProxy("u", "p");
         Socks5Proxy socks = new Socks5Proxy("u", "p", Map.of(SOCKS_ONLY_NAME, "127.0.0.1"))) {
      HttpResponse viaHttp = call(messages("https://localhost:" + port), ProxySpec.parse("http://u:p@127.0.0.1:" + http.port()));
      assertEquals(MockAnthropic.MESSAGE, body(viaHttp));
      assertEquals(List.of("localhost:" + port), http.targets());
      // The certificate is checked against the requested name: 127.0.0.1 is not in it.
      Throwable wrongName = failure(messages("https://127.0.0.1:" + port), ProxySpec.parse("http://u:p@127.0.0.1:" + http.port()));
      boolean tlsRefused = false;
      for (Throwable t = wrongName; t != null; t = t.getCause()) {
        tlsRefused |= t instanceof javax.net.ssl.SSLException;
      }
      assertTrue(tlsRefused, String.valueOf(wrongName));
      HttpResponse viaSocks = call(messages("https://" + SOCKS_ONLY_NAME + ":" + port),
          ProxySpec.parse("socks5://u:p@127.0.0.1:" + socks.port()));
      assertEquals(MockAnthropic.MESSAGE, body(viaSocks));
      assertEquals(1, socks.tunnels());
      assertEquals(SOCKS_ONLY_NAME, socks.requests().get(0).host());
    } finally {
      tls.stop(0);
    }
  }

  @Test
  void aStreamPassesThroughAnHttpProxyChunkByChunk() throws Exception {
    try (HttpConnectProxy proxy = new HttpConnectProxy("u", "p")) {
      streamsUnbuffered(ProxySpec.parse("http://u:p@127.0.0.1:" + proxy.port()));
      assertEquals(1, proxy.tunnels());
    }
  }

  @Test
  void aStreamPassesThroughASocksProxyChunkByChunk() throws Exception {
    try (Socks5Proxy proxy = new Socks5Proxy("u", "p", Map.of())) {
      streamsUnbuffered(ProxySpec.parse("socks5://u:p@127.0.0.1:" + proxy.port()));
      assertEquals(1, proxy.tunnels());
    }
  }

  /**
   * The upstream sends message_start, then waits until the client has seen it before it sends the
   * rest; a proxy path that buffered the answer would leave the client waiting for bytes the
   * upstream holds back, and the upstream would give up waiting.
   */
  private static void streamsUnbuffered(ProxySpec proxy) throws Exception {
    String first = MockAnthropic.STREAM.substring(0, MockAnthropic.STREAM.indexOf("event: content_block_start"));
    String rest = MockAnthropic.STREAM.substring(first.length());
    CountDownLatch clientSawFirst = new CountDownLatch(1);
    AtomicBoolean upstreamWaitedForClient = new AtomicBoolean();
    HttpServer sse = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    sse.createContext("/v1/messages", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("content-type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().add("request-id", "req_011CStreamTest");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(first.getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        upstreamWaitedForClient.set(clientSawFirst.await(15, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.write(rest.getBytes(StandardCharsets.UTF_8));
      out.close();
    });
    sse.start();
    try {
      HttpResponse response = call(messages("http://127.0.0.1:" + sse.getAddress().getPort()), proxy);
      assertEquals(200, response.status().intValue());
      StringBuilder seen = new StringBuilder();
      response.entity().getDataBytes().runWith(Sink.foreach((ByteString chunk) -> {
        synchronized (seen) {
          seen.append(chunk.utf8String());
          if (seen.indexOf("message_start") >= 0) {
            clientSawFirst.countDown();
          }
        }
      }), Materializer.matFromSystem(system)).toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertTrue(upstreamWaitedForClient.get(), "the client did not see message_start while the upstream held the rest");
      assertEquals(MockAnthropic.STREAM, seen.toString());
    } finally {
      sse.stop(0);
    }
  }
}
