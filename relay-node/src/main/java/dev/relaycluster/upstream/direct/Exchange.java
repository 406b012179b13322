package dev.relaycluster.upstream.direct;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * One request and the answer it waits for. The answer is completed on the relay's executor, never on
 * the connection's event loop, so that nothing the caller chains onto it runs there.
 */
final class Exchange {
  final HttpRequest request;
  final Origin origin;
  private final CompletableFuture<HttpResponse> result = new CompletableFuture<>();
  private final Executor callbacks;
  /** Sent again on a new connection once, when a reused connection turned out closed before it took the request. */
  boolean retried;

  Exchange(HttpRequest request, Origin origin, Executor callbacks) {
    this.request = request;
    this.origin = origin;
    this.callbacks = callbacks;
  }

  CompletableFuture<HttpResponse> result() {
    return result;
  }

  boolean answered() {
    return result.isDone();
  }

  void answer(HttpResponse response) {
    callbacks.execute(() -> result.complete(response));
  }

  void fail(Throwable cause) {
    callbacks.execute(() -> result.completeExceptionally(cause));
  }
}
