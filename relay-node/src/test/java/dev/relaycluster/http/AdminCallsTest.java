package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletionException;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.junit.jupiter.api.Test;

/** An admin call whose body is over its limit gets 413, one whose body breaks off 400: never 500. */
class AdminCallsTest {

  @Test
  void bodyReadFailuresAreTheClientsErrors() {
    EntityStreamException tooLarge = new EntityStreamException(new ErrorInfo(
        "Request too large: Request of size 70135 was longer than the maximum of 65536", "", ""));
    assertEquals(413, AdminCalls.error(new CompletionException(tooLarge)).status().intValue());
    EntityStreamException truncated = new EntityStreamException(new ErrorInfo("Entity stream truncation. The HTTP "
        + "parser was receiving an entity when the underlying connection was closed unexpectedly.", "", ""));
    assertEquals(400, AdminCalls.error(truncated).status().intValue());
    EntityStreamException badChunk = new EntityStreamException(new ErrorInfo("Illegal character '-' in chunk start",
        "", ""));
    assertEquals(400, AdminCalls.error(new CompletionException(badChunk)).status().intValue());
  }
}
