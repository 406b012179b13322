package dev.relaycluster.account;

import dev.relaycluster.upstream.ProxySpec;
import dev.relaycluster.upstream.UpstreamClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;

/**
 * Calls to an OAuth endpoint through an account's proxy, as every OAuth client here makes them: bounded by
 * the endpoint's timeout (a later answer's body is discarded so its connection is freed), and read whole up
 * to 256 KiB.
 */
final class OAuthCalls {
  private static final long MAX_ANSWER = 256 * 1024;

  /** A read answer: status and body. */
  record Answer(int status, byte[] body) {}

  private final UpstreamClient upstream;
  private final Materializer materializer;
  private final Duration timeout;

  OAuthCalls(ActorSystem<?> system, UpstreamClient upstream, Duration timeout) {
    this.upstream = upstream;
    this.materializer = Materializer.matFromSystem(system);
    this.timeout = timeout;
  }

  /** Sends, giving up after the timeout. */
  CompletionStage<HttpResponse> bounded(HttpRequest request, ProxySpec proxy) {
    CompletableFuture<HttpResponse> sent = upstream.send(request, proxy).toCompletableFuture();
    CompletableFuture<HttpResponse> result = sent.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    sent.thenAccept(response -> {
      if (result.isCompletedExceptionally()) {
        response.discardEntityBytes(materializer);
      }
    });
    return result;
  }

  /** Reads the answer whole. */
  CompletionStage<Answer> strict(HttpResponse response) {
    return response.entity().toStrict(timeout.toMillis(), MAX_ANSWER, materializer)
        .thenApply(e -> new Answer(response.status().intValue(), e.getData().toArray()));
  }
}
