package dev.relaycluster.protocol.convert;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Reads one upstream's streamed answer (its SSE bytes, split anywhere) into {@link AnswerEvent}s. One
 * instance per stream; not thread-safe; pure. A decoder emits the final {@link AnswerEvent.UsageUpdate}
 * before {@link AnswerEvent.Finished}; an error event in the stream becomes {@link AnswerEvent.Failed}.
 */
public interface StreamDecoder {

  /** Consumes the remaining bytes of {@code chunk} (without moving its position). */
  void feed(ByteBuffer chunk, Consumer<AnswerEvent> out);

  /** The stream ended, however it ended: emits whatever a complete last event still held. */
  void end(Consumer<AnswerEvent> out);
}
