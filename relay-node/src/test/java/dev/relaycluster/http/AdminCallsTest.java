package dev.relaycluster.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.relaycluster.admin.AdminInputException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.junit.jupiter.api.Test;

/**
 * An admin call whose body is over its limit gets 413, one whose body breaks off 400, one with a string its
 * events cannot hold (an unpaired surrogate) 400: never 500 or 503.
 */
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

  @Test
  void aStringWithAnUnpairedSurrogateIsRefused() {
    for (String body : new String[] {"{\"name\":\"a\\ud800b\"}", "{\"tags\":[\"\\udc00\"]}",
        "{\"\\ud800\":1}", "{\"a\":{\"b\":[{\"c\":\"\\ud83c\"}]}}"}) {
      HttpRequest req = HttpRequest.POST("/admin/api/keys")
          .withEntity(ContentTypes.APPLICATION_JSON, body.getBytes(StandardCharsets.UTF_8));
      CompletionException failed = assertThrows(CompletionException.class,
          () -> AdminCalls.jsonObject(req, 1024, null).toCompletableFuture().join(), body);
      assertInstanceOf(AdminInputException.class, failed.getCause(), body);
      assertEquals(400, AdminCalls.error(failed).status().intValue(), body);
    }
    HttpRequest paired = HttpRequest.POST("/admin/api/keys")
        .withEntity(ContentTypes.APPLICATION_JSON, "{\"name\":\"\\ud83c\\udf0d\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals("\ud83c\udf0d", AdminCalls.jsonObject(paired, 1024, null).toCompletableFuture().join()
        .get("name").asText());
  }
}
