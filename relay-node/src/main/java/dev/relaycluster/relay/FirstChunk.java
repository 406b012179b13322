package dev.relaycluster.relay;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Waits for the first chunk of a streamed upstream answer before anything is sent to the client, so that an
 * account that sent its headers and then nothing can still be failed over: the answer with the same bytes
 * (first chunk, then the rest as it comes), or empty when no chunk came in time (upstream is then cancelled).
 */
final class FirstChunk {
  private FirstChunk() {}

  static CompletionStage<Optional<HttpResponse>> await(HttpResponse response, Duration timeout,
      Materializer materializer) {
    return response.entity().getDataBytes()
        .filter(chunk -> !chunk.isEmpty())
        .initialTimeout(timeout)
        .prefixAndTail(1)
        .runWith(Sink.<Pair<List<ByteString>, Source<ByteString, NotUsed>>>head(), materializer)
        .handle((split, failure) -> {
          if (failure != null) {
            return Optional.<HttpResponse>empty();
          }
          // The rest is subscribed to only once the first chunk went out: concat subscribes to it at once, and a
          // failure there (upstream breaking right after its first chunk) would overtake the chunk it follows.
          Source<ByteString, NotUsed> rest = Source.lazySource(split::second)
              .mapMaterializedValue(ignored -> NotUsed.getInstance());
          Source<ByteString, NotUsed> body = Source.from(split.first()).concatLazy(rest);
          return Optional.of(response.withEntity(
              HttpEntities.createChunked(response.entity().getContentType(), body)));
        });
  }
}
