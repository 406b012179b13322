package dev.relaycluster.upstream;

import java.io.IOException;

/**
 * Upstream ended a streamed answer cleanly (the chunked body's end, or the connection closed at an event
 * boundary) before the stream's final event: the answer is incomplete however cleanly it stopped.
 */
public final class IncompleteAnswerException extends IOException {
  public IncompleteAnswerException() {
    super("upstream ended the stream before its final event");
  }
}
