package dev.relaycluster.relay;

import dev.relaycluster.protocol.dialect.StreamReframer;
import java.nio.ByteBuffer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The stream step that re-frames one streamed answer for the client (a platform's answer framing): each
 * chunk goes through the stream's {@link StreamReframer} as it comes, and its closing bytes follow the
 * last chunk however the stream ended (the error event a broken stream ends with is re-framed too).
 * Nothing is held back beyond the reframer's one partial event.
 */
final class ReframedStream {
  private ReframedStream() {}

  /** A flow for one stream; {@code reframer} is that stream's own. */
  static Flow<ByteString, ByteString, NotUsed> of(StreamReframer reframer) {
    return Flow.of(ByteString.class)
        .map(chunk -> feed(reframer, chunk))
        // concatLazy: plain concat pulls its second source as soon as the stream starts, which would end the
        // reframer before the first chunk.
        .concatLazy(Source.lazySingle(() -> ByteString.fromArrayUnsafe(reframer.end())))
        .filter(bytes -> !bytes.isEmpty());
  }

  private static ByteString feed(StreamReframer reframer, ByteString chunk) {
    // The chunk's own array (a read-only view from getByteBuffers hides it, and the reframer would copy it first).
    return ByteString.fromArrayUnsafe(reframer.feed(ByteBuffer.wrap(chunk.toArrayUnsafe())));
  }
}
