package dev.relaycluster.http;

import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.relay.RelayAnswer;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** Answers to API clients in their own dialect: the relay's errors as the real API words them, and relay answers. */
public final class DialectResponses {
  private DialectResponses() {}

  public static HttpResponse error(Dialect dialect, ErrorKind kind, String message) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(kind.status()))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, dialect.errorBody(kind, message)));
  }

  /** An error with {@code retry-after} (at least one second). */
  public static HttpResponse error(Dialect dialect, ErrorKind kind, String message, long retryAfterSeconds) {
    return error(dialect, kind, message)
        .addHeader(RawHeader.create("retry-after", Long.toString(Math.max(1, retryAfterSeconds))));
  }

  /** 404 for a path no route serves, in the dialect of the endpoints mounted around it (Anthropic elsewhere). */
  public static HttpResponse notFound(String path) {
    return error(GuardAnswers.dialectOf(path), ErrorKind.NOT_FOUND, "no such endpoint on this relay");
  }

  /** A relay answer as the HTTP response the client gets. */
  public static HttpResponse render(Dialect dialect, RelayAnswer answer) {
    if (answer instanceof RelayAnswer.Whole whole) {
      return whole.response();
    }
    if (answer instanceof RelayAnswer.Streamed streamed) {
      return streamed.response();
    }
    RelayAnswer.Refused refused = (RelayAnswer.Refused) answer;
    return (refused.retryAfterSeconds() > 0
        ? error(dialect, refused.kind(), refused.message(), refused.retryAfterSeconds())
        : error(dialect, refused.kind(), refused.message()))
        .addHeaders(refused.headers());
  }
}
