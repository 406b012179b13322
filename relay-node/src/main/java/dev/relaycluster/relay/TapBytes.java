package dev.relaycluster.relay;

import dev.relaycluster.protocol.dialect.UsageTap;
import java.nio.ByteBuffer;
import org.apache.pekko.util.ByteString;

/**
 * Feeds a chunk to a usage tap from the chunk's own array. The buffers {@code ByteString.getByteBuffers} gives are
 * read-only views, which hide their array, so a tap had to copy every byte of every chunk out of them before it could
 * scan them; a chunk read from upstream is one array, handed over as it is.
 */
final class TapBytes {
  private TapBytes() {}

  /** The chunk's bytes to the tap: its array as it is when the chunk is one, else one copy. */
  static void feed(UsageTap tap, ByteString chunk) {
    if (!chunk.isEmpty()) {
      tap.feed(ByteBuffer.wrap(chunk.toArrayUnsafe()));
    }
  }
}
