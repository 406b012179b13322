package dev.relaycluster.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.DefaultParsingErrorHandler$;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * pekko-http's handler of unparseable requests ({@code pekko.http.server.parsing.error-handler}), quiet about
 * one case: a connection that ends inside a request head, which pekko-http reports as an illegal message
 * start. That is what every connection cut by {@code relay.http.header-timeout} looks like (no answer is sent:
 * the connection is already closing), so under a slow-client attack pekko-http would warn once per connection;
 * it is logged at debug. Every other parsing error is answered and logged as pekko-http does.
 */
public final class QuietParsingErrors extends ParsingErrorHandler {
  static final String ILLEGAL_MESSAGE_START = "Illegal HTTP message start";

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    if (status.intValue() == 400 && ILLEGAL_MESSAGE_START.equals(info.summary())) {
      log.debug("A client connection ended inside a request head (or began with bytes that start no request)");
      return HttpResponse.create().withStatus(400).withEntity(info.summary());
    }
    return DefaultParsingErrorHandler$.MODULE$.handle(status, info, log, settings);
  }
}
