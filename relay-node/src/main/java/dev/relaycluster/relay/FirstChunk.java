package dev.relaycluster.relay;

import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.sse.SseFormatException;
import dev.relaycluster.upstream.PeekableBody;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
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
 * A first chunk that is upstream's in-stream error (and not the stream's end), or that is no event stream at all,
 * is a refusal too: nothing reached the client yet, so the request can go to another account ({@link #refusal},
 * {@link #notAnEventStream}).
 */
final class FirstChunk {
  private FirstChunk() {}

  /**
   * The answer with its bytes as they came; its first chunk; and the rest of upstream's body, which is to be
   * cancelled ({@link #cancelRest}) when the answer is not used.
   */
  record Peeked(HttpResponse response, ByteString first, Consumer<Materializer> rest) {
    /** Stops reading upstream: the answer is not passed on. */
    void cancelRest(Materializer materializer) {
      rest.accept(materializer);
    }
  }

  /**
   * A new tap of {@code dialect} that read the first chunk when that chunk carries upstream's in-stream error and not
   * the stream's end; null otherwise. The chunk is read only when the dialect's quick byte check says it may hold an
   * error ({@link Dialect#mayHoldStreamError}): most first chunks are the start of an answer, read again by the
   * stream's own tap.
   */
  static UsageTap refusal(Dialect dialect, ByteString first) {
    byte[] bytes = first.toArrayUnsafe();
    if (!dialect.mayHoldStreamError(bytes, 0, bytes.length)) {
      return null;
    }
    return refusal(dialect.newTap(), first);
  }

  /**
   * The tap that read the first chunk when that chunk carries upstream's in-stream error and not the stream's
   * end (an overloaded_error, response.failed, a Chat or Google error object as the first event); null otherwise.
   */
  static UsageTap refusal(UsageTap fresh, ByteString first) {
    try {
      TapBytes.feed(fresh, first);
    } catch (SseFormatException absurd) {
      return null;
    }
    return fresh.errorType() != null && !fresh.sawEnd() ? fresh : null;
  }

  /** The starts an event stream's first line may have: a field of the SSE format, or a comment. */
  private static final List<String> EVENT_STREAM_STARTS = List.of("data:", "event:", "id:", "retry:", ":");

  /**
   * Whether a first chunk cannot be the start of an event stream: after blank lines (and a byte order mark) it
   * does not begin with an SSE field or comment, nor with the beginning of one (a chunk may end anywhere).
   * Such bytes after a 200 event-stream head are garbage, and nothing has reached the client yet.
   */
  static boolean notAnEventStream(ByteString first) {
    int i = 0;
    if (first.size() >= 3 && (first.apply(0) & 0xff) == 0xef && (first.apply(1) & 0xff) == 0xbb
        && (first.apply(2) & 0xff) == 0xbf) {
      i = 3;
    }
    while (i < first.size() && (first.apply(i) == '\n' || first.apply(i) == '\r')) {
      i++;
    }
    if (i == first.size()) {
      return false;
    }
    String start = first.slice(i, Math.min(first.size(), i + 6))
        .decodeString(java.nio.charset.StandardCharsets.ISO_8859_1);
    for (String field : EVENT_STREAM_STARTS) {
      if (start.startsWith(field) || field.startsWith(start)) {
        return false;
      }
    }
    return true;
  }

  static CompletionStage<Optional<Peeked>> await(HttpResponse response, Duration timeout,
      Materializer materializer) {
    Optional<PeekableBody> peekable = PeekableBody.of(response);
    if (peekable.isPresent()) {
      return peek(response, peekable.get(), timeout, materializer);
    }
    return response.entity().getDataBytes()
        .filter(chunk -> !chunk.isEmpty())
        .initialTimeout(timeout)
        .prefixAndTail(1)
        .runWith(Sink.<Pair<List<ByteString>, Source<ByteString, NotUsed>>>head(), materializer)
        .handle((split, failure) -> {
          if (failure != null) {
            return Optional.<Peeked>empty();
          }
          // The rest is subscribed to only once the first chunk went out: concat subscribes to it at once, and a
          // failure there (upstream breaking right after its first chunk) would overtake the chunk it follows.
          Source<ByteString, NotUsed> rest = Source.lazySource(split::second)
              .mapMaterializedValue(ignored -> NotUsed.getInstance());
          Source<ByteString, NotUsed> body = Source.from(split.first()).concatLazy(rest);
          return Optional.of(new Peeked(response.withEntity(
              HttpEntities.createChunked(response.entity().getContentType(), body)),
              split.first().get(0), m -> split.second().runWith(Sink.cancelled(), m)));
        });
  }

  /**
   * The same wait without a stream of its own, for a body that can be looked at first ({@link PeekableBody}): the
   * answer is passed on as it is, and its one stream starts with the bytes looked at here.
   */
  private static CompletionStage<Optional<Peeked>> peek(HttpResponse response, PeekableBody body, Duration timeout,
      Materializer materializer) {
    BiFunction<Optional<ByteString>, Throwable, Optional<Peeked>> peeked = (first, failure) -> {
      if (failure != null || first.isEmpty()) {
        body.abandon();
        return Optional.empty();
      }
      return Optional.of(new Peeked(response, first.get(), m -> body.abandon()));
    };
    CompletableFuture<Optional<ByteString>> first = body.firstBytes().toCompletableFuture();
    if (first.isDone()) {
      // Usually so: the first bytes came in the same read as the headers. Go on here, without a hop.
      return first.handle(peeked);
    }
    return first.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handleAsync(peeked, materializer.executionContext());
  }
}
