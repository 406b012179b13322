package dev.relaycluster.protocol.convert;

/**
 * Writes {@link AnswerEvent}s as one client's stream (SSE bytes in its dialect, each event complete). One
 * instance per stream; not thread-safe; pure.
 */
public interface StreamEncoder {

  /** The bytes for one event (possibly empty: an event the dialect shows later or not at all). */
  byte[] encode(AnswerEvent event);

  /**
   * The stream ended: its closing bytes. When neither {@link AnswerEvent.Finished} nor
   * {@link AnswerEvent.Failed} was encoded, the stream broke off, and the dialect's error event says so
   * (never a silent clean end).
   */
  byte[] end();
}
