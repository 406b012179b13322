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

  /**
   * Whether a failed read was a body over the limit: pekko-http says so with its size exception for a sized
   * body and with a "too large" entity-stream error for a chunked one.
   */
  public static boolean tooLarge(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException) {
        return true;
      }
      if (t instanceof org.apache.pekko.http.scaladsl.model.EntityStreamException
          && String.valueOf(t.getMessage()).contains("too large")) {
        return true;
      }
    }
    return false;
  }
}
