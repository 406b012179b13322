package dev.relaycluster.http;

import dev.relaycluster.protocol.anthropic.AnthropicErrors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** Errors to Anthropic-dialect clients: {"type":"error","error":{"type","message"}} with the real API's statuses. */
public final class AnthropicErrorResponses {
  private AnthropicErrorResponses() {}

  public static HttpResponse of(int status, String message) {
    return of(status, AnthropicErrors.typeForStatus(status), message);
  }

  public static HttpResponse of(int status, String type, String message) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, AnthropicErrors.body(type, message)));
  }

  public static HttpResponse withRetryAfter(int status, String message, long retryAfterSeconds) {
    return of(status, message).addHeader(RawHeader.create("retry-after", Long.toString(Math.max(1, retryAfterSeconds))));
  }
}
