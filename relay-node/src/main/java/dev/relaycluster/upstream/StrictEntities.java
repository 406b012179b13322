package dev.relaycluster.upstream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.stream.Materializer;

/**
 * A body read whole, bounded in size and time. pekko-http's {@code toStrict} runs a stream (an actor of
 * its own) even for a body that is already strict, as most request bodies and short answers are; this
 * one hands such a body back as it is.
 */
public final class StrictEntities {
  private StrictEntities() {}

  public static CompletionStage<HttpEntity.Strict> of(HttpEntity entity, long timeoutMillis, long maxBytes,
      Materializer materializer) {
    if (entity instanceof HttpEntity.Strict strict && strict.getData().size() <= maxBytes) {
      return CompletableFuture.completedFuture(strict);
    }
    // Over the limit, or still arriving: pekko-http reads it, and fails with its size error when too large.
    return entity.toStrict(timeoutMillis, maxBytes, materializer);
  }
}
