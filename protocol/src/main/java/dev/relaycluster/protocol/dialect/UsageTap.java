package dev.relaycluster.protocol.dialect;

import dev.relaycluster.protocol.usage.TokenUsage;
import java.nio.ByteBuffer;

/**
 * Watches one streamed answer in one dialect as it passes through, unchanged, and collects the served
 * model, the token usage, whether the stream's final event came, and any error event. One instance per
 * stream; not thread-safe. Bytes come either as an SSE byte stream ({@link #feed}) or as whole event
 * JSON documents ({@link #onEventJson}: a WebSocket text frame); a tap serves one of the two per stream.
 */
public interface UsageTap {

  /** Feeds the remaining SSE bytes of {@code chunk} without moving its position. */
  void feed(ByteBuffer chunk);

  /** Feeds one whole event (the JSON of an SSE data line, or one WebSocket text frame). */
  void onEventJson(byte[] json);

  /** The served model as the answer names it, or null before it was seen. */
  String model();

  /** Usage collected so far (what was seen, if the stream was cut). */
  TokenUsage usage();

  /** Whether the stream's final event (Anthropic message_stop, Responses response.completed) came. */
  boolean sawEnd();

  /** Whether the bytes fed so far end exactly between events (an error event may be appended). */
  boolean atEventBoundary();

  /** The type of an error event that came in the stream ({@code error.type} or its code), or null. */
  String errorType();

  /**
   * The JSON of that error event (the whole event data), for the platform to judge what it says about
   * the account; null when none came.
   */
  byte[] errorJson();
}
