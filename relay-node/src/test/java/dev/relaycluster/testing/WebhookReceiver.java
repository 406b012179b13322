package dev.relaycluster.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on loopback standing in for Slack, Discord, Feishu, DingTalk, WeCom, Telegram,
 * Bark and generic webhook endpoints: it records every request (path, query, headers, body) and
 * answers with scripted responses per path (queued first, then the path's default, else 200 "ok").
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One request as received; header names lower-case. */
  public record Received(String method, String path, String query, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** An answer: status, content type and body. */
  public record Answer(int status, String contentType, String body) {
    public static Answer json(int status, String body) {
      return new Answer(status, "application/json", body);
    }
  }

  private final HttpServer server;
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Deque<Answer>> scripted = new HashMap<>();
  private final Map<String, Answer> defaults = new HashMap<>();

  public WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "webhook-receiver");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers the next requests to {@code path} with these, in order. */
  public synchronized void script(String path, Answer... answers) {
    Deque<Answer> queue = scripted.computeIfAbsent(path, p -> new ArrayDeque<>());
    queue.addAll(List.of(answers));
  }

  /** Answers every request to {@code path} with this once the script is used up. */
  public synchronized void answer(String path, Answer answer) {
    defaults.put(path, answer);
  }

  public List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  public List<Received> received(String path) {
    return received().stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    String path = exchange.getRequestURI().getRawPath();
    received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(), headers, body));
    Answer answer;
    synchronized (this) {
      Deque<Answer> queue = scripted.get(path);
      answer = queue != null && !queue.isEmpty() ? queue.poll()
          : defaults.getOrDefault(path, new Answer(200, "text/plain", "ok"));
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("content-type", answer.contentType());
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
