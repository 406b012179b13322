package dev.relaycluster.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** JSON answers of the admin and health APIs; errors are {"error":{"type","message"}}. */
public final class JsonResponses {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonResponses() {}

  public static HttpResponse of(int status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(StatusCodes.get(status))
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, MAPPER.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }

  public static HttpResponse ok(Object body) {
    return of(200, body);
  }

  public static HttpResponse error(int status, String type, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    body.putObject("error").put("type", type).put("message", message);
    return of(status, body);
  }
}
