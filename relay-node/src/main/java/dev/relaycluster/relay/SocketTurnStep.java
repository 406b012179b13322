package dev.relaycluster.relay;

import dev.relaycluster.protocol.ratelimit.AnswerVerdict;

/**
 * What a client's socket does with one upstream frame of a turn (pure): hold it back (it only announces the
 * turn, and nothing of the turn has reached the client), move the turn to another account (an error that
 * fails over came before any output, and the turn can be sent again elsewhere), or pass it on.
 *
 * <p><b>Failover of a socket turn</b> ({@link SocketConversation}, {@link SocketRelay}). Upstream frames that
 * only announce a turn ({@code SocketFrames.announcesOnly}: Responses {@code response.created},
 * {@code response.in_progress}, a backend's rate-limit notice) are held until its first
 * output. If instead an error comes first that the platform's rules say should fail over (a usage limit,
 * overload, a refused credential: {@link AnswerVerdict#failover()}; the wrapped {@code error} frame or a
 * {@code response.failed}), and the turn frame is replayable ({@code SocketFrames.replayable}), the turn moves
 * like a refused HTTP request: the account is told the verdict (it cools), the next account is chosen under
 * the same bounds ({@code max-account-attempts}, {@link FailoverPolicy}), an upstream socket is opened on it,
 * the same turn frame is sent there, and the client's socket stays pinned to the new account from then on.
 * The turn is ledgered once, on the account that served it, with its attempts.
 *
 * <p>A turn that names a {@code previous_response_id} is not replayable: the response it continues lives on
 * the first upstream connection only (with {@code store:false}, nowhere else), so another account would
 * answer {@code previous_response_not_found} or, worse, answer without the context. Its error is passed on
 * as it came, as are errors after output began. With no account left, the client gets upstream's frames
 * as they came and the socket stays on its account. The new upstream's handshake headers (turn state,
 * rate limits) cannot reach the client, whose 101 was sent: only its frames do.
 */
enum SocketTurnStep {
  HOLD, FAIL_OVER, PASS;

  /**
   * @param passedOn a frame of the turn already reached the client
   * @param ends the frame ends the turn (its final event or an error)
   * @param announcesOnly the frame says only that the turn started
   * @param replayable the turn's frame may be sent on another upstream connection
   * @param error the platform's verdict on the frame's error, or null when it is none (or was not asked)
   */
  static SocketTurnStep of(boolean passedOn, boolean ends, boolean announcesOnly, boolean replayable,
      AnswerVerdict error) {
    if (passedOn) {
      return PASS;
    }
    if (!ends && announcesOnly) {
      return HOLD;
    }
    return replayable && error != null && error.failover() ? FAIL_OVER : PASS;
  }
}
