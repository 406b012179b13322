package dev.relaycluster.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.DefaultParsingErrorHandler$;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * pekko-http's handler of unparseable requests ({@code pekko.http.server.parsing.error-handler}), quiet about
 * one case: a connection that ends inside a request head, which pekko-http reports as an illegal message
 * start. That is what every connection cut by {@code relay.http.header-timeout} looks like (no answer is sent:
 * the connection is already closing), so under a slow-client attack pekko-http would warn once per connection;
 * it is logged at debug. Every other parsing error is answered and logged as pekko-http does, except that a
 * request the relay cannot parse is the client's error, never a 5xx: an unknown method gets 405 (not 501) and
 * a request line with another HTTP version or a broken one gets 400 (not 505), so junk from scanners does not
 * count as server errors in a balancer's or a dashboard's figures.
 */
public final class QuietParsingErrors extends ParsingErrorHandler {
  static final String ILLEGAL_MESSAGE_START = "Illegal HTTP message start";

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    if (status.intValue() == 400 && ILLEGAL_MESSAGE_START.equals(info.summary())) {
      log.debug("A client connection ended inside a request head (or began with bytes that start no request)");
      return HttpResponse.create().withStatus(400).withEntity(info.summary());
    }
    return DefaultParsingErrorHandler$.MODULE$.handle(clientError(status), info, log, settings);
  }

  /** The status a parsing error is answered with: pekko-http's, with 501 and 505 made the 4xx they stand for. */
  static StatusCode clientError(StatusCode status) {
    return switch (status.intValue()) {
      case 501 -> StatusCodes.MethodNotAllowed();
      case 505 -> StatusCodes.BadRequest();
      default -> status;
    };
  }
}
