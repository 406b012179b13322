package dev.relaycluster.upstream;

import dev.relaycluster.node.RelaySettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Calls upstream APIs with pekko-http's pooled client (one pool per host). A response that does not
 * start within the response timeout fails with {@link UpstreamTimeoutException}; if it arrives later
 * its body is discarded so the pooled connection is freed.
 */
public final class UpstreamClient {
  private final ActorSystem<?> system;
  private final Http http;
  private final Duration responseTimeout;

  public UpstreamClient(ActorSystem<?> system, RelaySettings.Upstream settings) {
    this.system = system;
    this.http = Http.get(system);
    this.responseTimeout = settings.responseTimeout();
  }

  public CompletionStage<HttpResponse> send(HttpRequest request) {
    return send(request, null);
  }

  /**
   * Sends through the account's proxy, or directly when {@code proxy} is null.
   * TODO(issue 5): proxies are not wired yet; a proxied send fails.
   */
  public CompletionStage<HttpResponse> send(HttpRequest request, ProxySpec proxy) {
    if (proxy != null) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          new IllegalStateException("outbound proxies are not supported yet"));
    }
    CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    Cancellable timer = system.scheduler().scheduleOnce(responseTimeout,
        () -> result.completeExceptionally(new UpstreamTimeoutException(
            "upstream did not respond within " + responseTimeout.toSeconds() + " s")),
        system.executionContext());
    http.singleRequest(request).whenComplete((response, failure) -> {
      timer.cancel();
      if (failure != null) {
        result.completeExceptionally(failure);
      } else if (!result.complete(response)) {
        response.discardEntityBytes(system);
      }
    });
    return result;
  }
}
