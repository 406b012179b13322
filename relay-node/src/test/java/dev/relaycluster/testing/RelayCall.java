package dev.relaycluster.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One Messages call through a node or a balancer, as a client sees it. */
public record RelayCall(int status, String body, String requestId, String failure) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A streamed answer that arrived whole: 200 and the full event sequence through message_stop. */
  public boolean completeStream() {
    return status == 200 && body != null && body.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }

  public static String body(boolean stream, String model) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":256,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  public static CompletableFuture<RelayCall> send(String baseUrl, String key, boolean stream, String model, String session) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/messages"))
        .timeout(Duration.ofSeconds(60))
        .header("content-type", "application/json")
        .header("anthropic-version", "2023-06-01")
        .header("x-api-key", key)
        .POST(HttpRequest.BodyPublishers.ofString(body(stream, model)));
    if (session != null) {
      b.header("x-claude-code-session-id", session);
    }
    return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new RelayCall(r.statusCode(), r.body(), r.headers().firstValue("x-relay-request-id").orElse(null),
            null))
        .exceptionally(t -> new RelayCall(-1, null, null, t.toString()));
  }

  public static RelayCall call(String baseUrl, String key, boolean stream, String model, String session) {
    return send(baseUrl, key, stream, model, session).join();
  }
}
