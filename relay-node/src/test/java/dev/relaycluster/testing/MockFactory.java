package dev.relaycluster.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A mock of Factory's LLM proxy ({@code https://api.factory.ai/api/llm}) for Droid accounts. It checks what the
 * proxy requires of every call (a bearer Factory key or WorkOS access token it knows, {@code x-factory-client:
 * cli}) and answers each path in its vendor's real wire format by passing the call on to the mock of that
 * vendor (so the SSE bytes are theirs, not a copy): {@code POST /a/v1/messages} to a {@link MockAnthropic},
 * {@code POST /o/v1/responses} and {@code POST /o/v1/chat/completions} to a {@link MockOpenAi} (API side),
 * streamed back as they come. A credential can be made to fail: 401 (credential refused), 402 (out of credits,
 * a body in none of the vendors' shapes, as the proxy's own refusals are), 429 (with retry-after) or 400 (the
 * client's own error, in Anthropic's shape). Every request is recorded.
 */
public final class MockFactory implements AutoCloseable {
  /** A request as it arrived. */
  public record Received(String method, String path, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  public static final String PAYMENT_REQUIRED_BODY = "{\"detail\":\"Payment Required: your Factory plan is out of "
      + "credits\"}";
  public static final String UNAUTHORIZED_BODY = "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
      + "\"message\":\"Invalid or expired credentials\"}}";
  public static final String RATE_LIMIT_BODY = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
      + "\"message\":\"Too many requests\"}}";
  public static final String BAD_REQUEST_BODY = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
      + "\"message\":\"max_tokens: must be at least 1\"}}";
  private static final Set<String> NOT_COPIED = Set.of("content-length", "transfer-encoding", "connection", "date",
      "keep-alive");

  private final MockAnthropic anthropic;
  private final MockOpenAi openai;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "mock-factory");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Set<String> credentials = ConcurrentHashMap.newKeySet();
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private volatile java.util.function.Predicate<String> acceptedWhen = c -> false;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

  public MockFactory() throws IOException {
    anthropic = new MockAnthropic();
    openai = new MockOpenAi();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL a Droid account names: {@code http://127.0.0.1:port/api/llm}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/llm";
  }

  /** Accepts this Factory key ({@code fk-…}) or WorkOS access token from now on. */
  public void accept(String credential) {
    credentials.add(credential);
  }

  /** Also accepts every credential {@code test} holds for (the tokens a login server issued). */
  public void acceptWhen(java.util.function.Predicate<String> test) {
    acceptedWhen = test;
  }

  /** No longer accepts it (a token WorkOS no longer honours): 401. */
  public void refuse(String credential) {
    credentials.remove(credential);
    refused.add(credential);
  }

  /** Every call with this credential answers {@code status} (401, 402, 429 or 400); 0 to answer normally again. */
  public void failWith(String credential, int status) {
    if (status == 0) {
      failures.remove(credential);
    } else {
      failures.put(credential, status);
    }
  }

  public List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The requests made with this credential. */
  public List<Received> receivedWith(String credential) {
    return received().stream().filter(r -> ("Bearer " + credential).equals(r.header("authorization"))).toList();
  }

  public void clear() {
    received.clear();
    anthropic.clear();
    openai.clear();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      Map<String, String> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v)));
      String path = ex.getRequestURI().getPath();
      Received req = new Received(ex.getRequestMethod(), path, headers, body);
      received.add(req);
      String auth = req.header("authorization");
      String credential = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
      if (credential == null || refused.contains(credential)
          || !(credentials.contains(credential) || acceptedWhen.test(credential))) {
        send(ex, 401, UNAUTHORIZED_BODY, Map.of());
        return;
      }
      if (!"cli".equals(req.header("x-factory-client"))) {
        send(ex, 400, "{\"detail\":\"x-factory-client header is required\"}", Map.of());
        return;
      }
      Integer failure = failures.get(credential);
      if (failure != null) {
        switch (failure) {
          case 402 -> send(ex, 402, PAYMENT_REQUIRED_BODY, Map.of());
          case 429 -> send(ex, 429, RATE_LIMIT_BODY, Map.of("retry-after", "30"));
          case 400 -> send(ex, 400, BAD_REQUEST_BODY, Map.of());
          default -> send(ex, failure, UNAUTHORIZED_BODY, Map.of());
        }
        return;
      }
      String target;
      Map<String, String> up = new LinkedHashMap<>();
      up.put("content-type", "application/json");
      switch (path) {
        case "/api/llm/a/v1/messages" -> {
          if (!"anthropic".equals(req.header("x-api-provider"))) {
            send(ex, 400, "{\"detail\":\"x-api-provider must be anthropic on this path\"}", Map.of());
            return;
          }
          target = anthropic.baseUrl() + "/v1/messages";
          up.put("x-api-key", "mock-factory-upstream");
          up.put("anthropic-version", headers.getOrDefault("anthropic-version", "2023-06-01"));
          if (headers.containsKey("anthropic-beta")) {
            up.put("anthropic-beta", headers.get("anthropic-beta"));
          }
        }
        case "/api/llm/o/v1/responses", "/api/llm/o/v1/chat/completions" -> {
          if (req.header("x-api-provider") == null) {
            send(ex, 400, "{\"detail\":\"x-api-provider is required\"}", Map.of());
            return;
          }
          target = openai.baseUrl() + path.substring("/api/llm/o".length());
          up.put("authorization", "Bearer " + MockOpenAi.API_KEY);
        }
        default -> {
          send(ex, 404, "{\"detail\":\"Not Found\"}", Map.of());
          return;
        }
      }
      relay(ex, target, up, body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Passes the call on and streams the answer back as it comes. */
  private void relay(HttpExchange ex, String target, Map<String, String> headers, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    HttpResponse<InputStream> answer = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    answer.headers().map().forEach((k, v) -> {
      if (!NOT_COPIED.contains(k.toLowerCase(Locale.ROOT))) {
        ex.getResponseHeaders().put(k, v);
      }
    });
    ex.sendResponseHeaders(answer.statusCode(), 0);
    try (InputStream in = answer.body(); OutputStream out = ex.getResponseBody()) {
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    }
  }

  private static void send(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", "application/json");
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() throws IOException {
    server.stop(0);
    threads.shutdownNow();
    anthropic.close();
    openai.close();
  }
}
