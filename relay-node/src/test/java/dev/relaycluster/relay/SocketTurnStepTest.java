package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import org.junit.jupiter.api.Test;

class SocketTurnStepTest {
  private static final AnswerVerdict LIMIT = new AnswerVerdict(AnswerClass.RATE_LIMITED, 429, null, 0, -1, -1, -1,
      "usage_limit_reached");
  private static final AnswerVerdict BAD_REQUEST = new AnswerVerdict(AnswerClass.REQUEST_ERROR, 400, null, 0, -1, -1,
      -1, "context_length_exceeded");

  @Test
  void framesThatOnlyAnnounceTheTurnAreHeldUntilItsFirstOutput() {
    assertEquals(SocketTurnStep.HOLD, SocketTurnStep.of(false, false, true, true, null));
    assertEquals(SocketTurnStep.PASS, SocketTurnStep.of(false, false, false, true, null));
    assertEquals(SocketTurnStep.PASS, SocketTurnStep.of(true, false, true, true, null), "output already went out");
  }

  @Test
  void anErrorThatFailsOverBeforeAnyOutputMovesAReplayableTurn() {
    assertEquals(SocketTurnStep.FAIL_OVER, SocketTurnStep.of(false, true, false, true, LIMIT));
    assertEquals(SocketTurnStep.PASS, SocketTurnStep.of(false, true, false, false, LIMIT),
        "a turn continuing a previous response stays");
    assertEquals(SocketTurnStep.PASS, SocketTurnStep.of(true, true, false, true, LIMIT), "output already went out");
    assertEquals(SocketTurnStep.PASS, SocketTurnStep.of(false, true, false, true, BAD_REQUEST),
        "the request's own fault goes to the client");
    assertEquals(SocketTurnStep.PASS, SocketTurnStep.of(false, true, false, true, null));
  }
}
