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
}
