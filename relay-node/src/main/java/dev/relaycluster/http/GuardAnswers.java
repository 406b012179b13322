package dev.relaycluster.http;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.dialect.Dialect;
import dev.relaycluster.protocol.openai.ChatDialect;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.gemini.GeminiDialect;
import dev.relaycluster.protocol.gemini.GeminiErrors;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import dev.relaycluster.relay.RelayFlow;

/**
 * The answers the connection guard gives itself, before or instead of the routes: 408 for a request whose
 * body stalled, 503 for an API call on a connection beyond the node's cap. The dialect is the one the routes
 * mount at the request's path ({@code /gemini}, {@code /v1beta}: Gemini; {@code /openai}, {@code /v1/responses}:
 * OpenAI Responses; anything else: Anthropic, as the node's 404). Both close the connection and carry a
 * request id, like every answer ({@link RequestIds}).
 */
final class GuardAnswers {
  private GuardAnswers() {}

  /** Paths a reserved connection serves: health checks, metrics and the admin (API and UI). */
  static boolean reservedPath(String path) {
    return path.equals("/health") || path.equals("/metrics") || path.equals("/admin") || path.startsWith("/admin/");
  }

  /** The dialect of the endpoints mounted at {@code path}. */
  static Dialect dialectOf(String path) {
    if (path.endsWith("/chat/completions")) {
      return ChatDialect.INSTANCE;
    }
    if (under(path, "/gemini") || under(path, "/v1beta")) {
      return GeminiDialect.INSTANCE;
    }
    if (under(path, "/openai") || under(path, "/v1/responses")) {
      return ResponsesDialect.INSTANCE;
    }
    return AnthropicDialect.INSTANCE;
  }

  /** 408: the request's body paused longer than {@code relay.http.body-idle-timeout}. */
  static HttpResponse bodyStalled(HttpRequest request, long idleSeconds) {
    String message = "the request body stalled: nothing arrived for " + idleSeconds + " s";
    Dialect dialect = dialectOf(request.getUri().path());
    byte[] body = dialect == GeminiDialect.INSTANCE
        ? GeminiErrors.body(StatusCodes.REQUEST_TIMEOUT.intValue(), message)
        : dialect.errorBody(ErrorKind.TIMEOUT, message);
    return HttpResponse.create()
        .withStatus(StatusCodes.REQUEST_TIMEOUT)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body))
        .addHeader(Connection.create("close"))
        .addHeader(RawHeader.create(RelayFlow.REQUEST_ID_HEADER, RequestIds.fresh()));
  }

  /** 503 with {@code retry-after}: the node holds its cap of API connections; a balancer may retry elsewhere. */
  static HttpResponse overCap(HttpRequest request, int cap) {
    return DialectResponses.error(dialectOf(request.getUri().path()), ErrorKind.OVERLOADED,
            "this relay node holds its maximum of " + cap + " client connections; retry", 1)
        .addHeader(Connection.create("close"))
        .addHeader(RawHeader.create(RelayFlow.REQUEST_ID_HEADER, RequestIds.fresh()));
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}
