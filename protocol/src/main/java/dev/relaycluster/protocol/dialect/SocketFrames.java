package dev.relaycluster.protocol.dialect;

/**
 * The frames of a dialect's WebSocket mode (the Responses WebSocket of Codex): which client frames start
 * a turn (a generation that is admitted, settled and ends with the dialect's final event), which go up
 * as they are, which are refused; and the error frame the dialect's clients read.
 */
public interface SocketFrames {

  enum Kind {
    /** Starts a turn: a request the dialect can read, admitted and settled like one HTTP request. */
    TURN,
    /** Goes upstream as it is (an acknowledgement, no generation). */
    FORWARD,
    /** Not a frame of this protocol: refused with {@link Frame#reason()}. */
    INVALID
  }

  record Frame(Kind kind, String reason) {}

  /** What a client text frame is. */
  Frame classify(byte[] text);

  /** An error as one frame, the way the real API sends it on a socket. */
  byte[] errorFrame(ErrorKind kind, String message);

  /**
   * Whether a turn's frame (one {@link Kind#TURN} classified) stands on its own, so that it can be sent
   * again on another upstream connection: false when it continues state only the first connection holds.
   */
  default boolean replayable(byte[] turnFrame) {
    return false;
  }

  /**
   * Whether an upstream frame says only that a turn started (no output yet), so that the relay may hold
   * it back until the turn's first output and still move the turn to another account if an error follows.
   */
  default boolean announcesOnly(byte[] upstreamFrame) {
    return false;
  }
}
