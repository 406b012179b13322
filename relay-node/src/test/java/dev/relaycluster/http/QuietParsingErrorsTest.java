package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.pekko.http.scaladsl.model.StatusCodes;
import org.junit.jupiter.api.Test;

/** A request the node cannot parse is the client's error: pekko-http's 501 and 505 become 405 and 400. */
class QuietParsingErrorsTest {

  @Test
  void parsingErrorsAreNeverServerErrors() {
    assertEquals(405, QuietParsingErrors.clientError(StatusCodes.NotImplemented()).intValue());
    assertEquals(400, QuietParsingErrors.clientError(StatusCodes.HTTPVersionNotSupported()).intValue());
    assertEquals(431, QuietParsingErrors.clientError(StatusCodes.RequestHeaderFieldsTooLarge()).intValue());
    assertEquals(414, QuietParsingErrors.clientError(StatusCodes.UriTooLong()).intValue());
  }
}
