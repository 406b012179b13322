package dev.relaycluster.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.stream.StreamIdleTimeoutException;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The connection guard's wrappers around message bodies, each keeping the body's kind (a sized body stays
 * sized, a chunked one keeps its chunks, a strict one is left alone): a request body whose pauses are
 * bounded, and an answer body that reports its end.
 */
final class GuardedEntities {
  private GuardedEntities() {}

  /**
   * {@code entity} with every pause in its arrival bounded by {@code idle}: a longer pause fails the body's
   * stream, and {@code stalled} is set before whoever reads the body sees the failure.
   */
  static RequestEntity bodyIdleBounded(RequestEntity entity, Duration idle, AtomicBoolean stalled) {
    if (entity instanceof HttpEntity.Chunked chunked) {
      return chunked(chunked, chunked.getChunks().idleTimeout(idle)
          .mapError(StreamIdleTimeoutException.class, e -> marked(stalled, e)));
    }
    if (entity instanceof HttpEntity.Default sized) {
      return HttpEntities.create(sized.getContentType(), sized.getContentLength(), sized.getDataBytes()
          .idleTimeout(idle).mapError(StreamIdleTimeoutException.class, e -> marked(stalled, e)));
    }
    return entity;
  }

  /**
   * {@code entity} that runs {@code onEnd} once its body has been sent, failed or been cancelled; a strict
   * body runs it at once. A body that ends only with its connection (close-delimited) is left as it is and
   * never runs it: there is no next request on that connection to wait for.
   */
  static ResponseEntity withEnd(ResponseEntity entity, Runnable onEnd) {
    if (entity.isStrict()) {
      onEnd.run();
      return entity;
    }
    if (entity instanceof HttpEntity.Chunked chunked) {
      return chunked(chunked, chunked.getChunks().watchTermination((mat, done) -> {
        done.whenComplete((d, t) -> onEnd.run());
        return mat;
      }));
    }
    if (entity instanceof HttpEntity.Default sized) {
      return HttpEntities.create(sized.getContentType(), sized.getContentLength(),
          sized.getDataBytes().watchTermination((mat, done) -> {
            done.whenComplete((d, t) -> onEnd.run());
            return mat;
          }));
    }
    return entity;
  }

  private static Throwable marked(AtomicBoolean stalled, Throwable e) {
    stalled.set(true);
    return e;
  }

  /** A chunked entity of {@code chunks} (chunk extensions and trailers kept) with {@code like}'s content type. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static HttpEntity.Chunked chunked(HttpEntity.Chunked like,
      Source<HttpEntity.ChunkStreamPart, ?> chunks) {
    return new org.apache.pekko.http.scaladsl.model.HttpEntity.Chunked(
        (org.apache.pekko.http.scaladsl.model.ContentType) like.getContentType(),
        (org.apache.pekko.stream.scaladsl.Source) chunks.asScala());
  }
}
