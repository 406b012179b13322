package dev.relaycluster.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A streamed Anthropic Messages request as Claude Code sends it (its own session id, a prompt of its own),
 * read incrementally so that the request id in the answer's head is kept even when the stream is cut later.
 * A stream that takes longer than {@link #BODY_LIMIT} is closed and counted as cut.
 */
final class StreamedRequest {
  /** The whole answer of the paced mock takes about half a second. */
  static final Duration BODY_LIMIT = Duration.ofSeconds(60);
  static final String MODEL = "mock-paced-outage";
  private static final String FINAL_EVENT = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "stream-watchdog");
    t.setDaemon(true);
    return t;
  });

  private StreamedRequest() {}

  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
  }

  /**
   * Sends one request; a connection the node refused (nothing was sent) comes back as the exception, so the
   * caller can send it to another node as a balancer would.
   */
  static StreamOutcome send(HttpClient http, String baseUrl, String apiKey, String session, int client, int node)
      throws ConnectException, InterruptedException {
    String body = "{\"model\":\"" + MODEL + "\",\"max_tokens\":256,\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"outage suite " + UUID.randomUUID() + "\"}]}";
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/messages"))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .header("anthropic-version", "2023-06-01")
        .header("x-api-key", apiKey)
        .header("x-claude-code-session-id", session)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    long start = System.nanoTime();
    HttpResponse<InputStream> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException refused) {
      throw refused;
    } catch (IOException e) {
      return new StreamOutcome(client, node, start, System.nanoTime(), -1, null, false, e.toString());
    }
    String requestId = r.headers().firstValue("x-relay-request-id").orElse(null);
    InputStream in = r.body();
    ScheduledFuture<?> limit = WATCHDOG.schedule(() -> close(in), BODY_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    String text;
    String failure = null;
    try (in) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      text = "";
      failure = e.toString();
    } finally {
      limit.cancel(false);
    }
    boolean complete = r.statusCode() == 200 && failure == null && text.endsWith(FINAL_EVENT);
    if (!complete && failure == null) {
      failure = r.statusCode() == 200 ? "stream ended without message_stop: " + tail(text) : tail(text);
    }
    return new StreamOutcome(client, node, start, System.nanoTime(), r.statusCode(), requestId, complete, failure);
  }

  private static String tail(String text) {
    return text.length() <= 300 ? text : "…" + text.substring(text.length() - 300);
  }

  private static void close(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // the reader sees the stream end
    }
  }
}
