package dev.relaycluster.reliability;

/**
 * One streamed request as its client saw it: when it started and ended (nanoTime), the node it went to, the
 * status (-1: no answer at all), the relay's request id from the answer's head (null without one), and whether
 * the stream arrived whole (200 and the final {@code message_stop} event as the last bytes).
 */
record StreamOutcome(int client, int node, long startNanos, long endNanos, int status, String requestId,
    boolean complete, String failure) {

  /** A 200 stream that did not arrive whole: cut by the relay or the connection. */
  boolean cut() {
    return status == 200 && !complete;
  }
}
