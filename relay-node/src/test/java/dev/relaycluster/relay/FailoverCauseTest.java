package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.protocol.dialect.ErrorKind;
import org.junit.jupiter.api.Test;

class FailoverCauseTest {
  private static final RelayAnswer ANY = new RelayAnswer.Refused(ErrorKind.API_ERROR, "x");

  private static String cause(int status, boolean transport) {
    return FailoverCause.of(new UpstreamRefusal("acc", status, null, ANY, transport));
  }

  @Test
  void noAnswerIsATimeoutUnreachableOrUnusableCredentials() {
    assertEquals("timeout", cause(504, true));
    assertEquals("unreachable", cause(502, true));
    assertEquals("credentials", cause(503, true));
  }

  @Test
  void aStreamThatBeganWithUpstreamsErrorIsAStreamError() {
    assertEquals("stream_error", cause(200, true));
  }

  @Test
  void anUpstreamAnswerIsNamedByItsStatus() {
    assertEquals("rate_limited", cause(429, false));
    assertEquals("overloaded", cause(529, false));
    assertEquals("overloaded", cause(503, false));
    assertEquals("unauthorized", cause(401, false));
    assertEquals("unauthorized", cause(403, false));
    assertEquals("server_error", cause(500, false));
    assertEquals("refused", cause(400, false));
  }
}
