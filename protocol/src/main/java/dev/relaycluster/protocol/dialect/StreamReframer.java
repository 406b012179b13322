package dev.relaycluster.protocol.dialect;

import java.nio.ByteBuffer;

/**
 * Re-frames one streamed answer on its way to the client (an envelope taken off or put on each event, an
 * SSE stream turned into a JSON array). One instance per stream; not thread-safe. Bytes may arrive split
 * anywhere; what is returned is complete output to send now (possibly empty).
 */
public interface StreamReframer {

  /** Consumes the remaining bytes of {@code chunk} (without moving its position); returns bytes to send now. */
  byte[] feed(ByteBuffer chunk);

  /** The stream ended (however it ended): the bytes to send last (possibly empty). */
  byte[] end();
}
