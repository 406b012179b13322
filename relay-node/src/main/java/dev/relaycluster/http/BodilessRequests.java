package dev.relaycluster.http;

import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A GET, HEAD, OPTIONS or DELETE that carries a body anyway has it read and dropped before it is routed. No
 * route reads such a body, and an answer sent while the client is still sending makes pekko-http close the
 * connection with the rest of the body unread; the client's kernel then gets a reset, which can destroy the
 * answer before the client reads it (a client sending a 300 kB GET body saw its connection reset instead of its
 * 200). Reading costs no memory, so the limit is the larger of the node's body limit and {@link #FLOOR_BYTES};
 * bodies larger than that are not read: their route answers and the connection closes, as for any request too
 * large to take. How long a body may pause is bounded by the connection guard.
 */
public final class BodilessRequests extends AllDirectives {
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "OPTIONS", "DELETE");
  static final long FLOOR_BYTES = 8L * 1024 * 1024;

  private final Materializer materializer;
  private final long limitBytes;

  public BodilessRequests(Materializer materializer, long limitBytes) {
    this.materializer = materializer;
    this.limitBytes = Math.max(limitBytes, FLOOR_BYTES);
  }

  /** {@code inner}, with such bodies read and dropped first. */
  public Route around(Route inner) {
    return extractRequest(req -> {
      if (!METHODS.contains(req.method().name()) || req.entity().isKnownEmpty()) {
        return inner;
      }
      return onComplete(req.entity().withSizeLimit(limitBytes).getDataBytes().runWith(Sink.ignore(), materializer),
          drained -> mapRequest(r -> drained.isSuccess() ? r.withEntity(HttpEntities.EMPTY)
              : r.withEntity(failed(r, drained.failed().get())), () -> inner));
    });
  }

  /**
   * A body that could not be read (too large, cut, stalled) fails again for a route that reads it, so the route
   * (and the connection guard, for a stalled one) answers as it would have; the body's bytes are not read twice.
   */
  private static RequestEntity failed(HttpRequest req, Throwable cause) {
    return HttpEntities.create(req.entity().getContentType(), Source.<ByteString>failed(cause));
  }
}
