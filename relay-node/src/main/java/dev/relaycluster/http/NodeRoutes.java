package dev.relaycluster.http;

import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.dialect.ErrorKind;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's whole HTTP surface in one route: health and metrics, the admin API and UI, the relay's endpoints,
 * 404 for anything else; bodies of bodiless methods read away first ({@link BodilessRequests}); an unexpected
 * failure answered as a 500 in the Anthropic dialect; and a request id on every answer ({@link RequestIds}).
 */
public final class NodeRoutes {
  private static final Logger log = LoggerFactory.getLogger(NodeRoutes.class);

  private NodeRoutes() {}

  public static Route of(Route health, Route admin, Route relay, BodilessRequests bodiless) {
    AllDirectives d = new AllDirectives() {};
    ExceptionHandler unexpected = ExceptionHandler.newBuilder()
        .matchAny(t -> {
          log.error("unhandled error in a route", t);
          return d.complete(DialectResponses.error(AnthropicDialect.INSTANCE, ErrorKind.API_ERROR,
              "internal relay error"));
        })
        .build();
    Route adminUi = new AdminUiRoutes().route();
    // Built once: the supplier below is called for every request.
    Route all = d.concat(health, admin, adminUi, relay,
        d.extractUri(uri -> d.complete(DialectResponses.notFound(uri.path()))));
    Route drained = bodiless.around(all);
    Route handled = d.handleExceptions(unexpected, () -> drained);
    return new RequestIds().around(handled);
  }
}
