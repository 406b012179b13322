package dev.relaycluster.http;

import dev.relaycluster.protocol.util.TimeOrderedIds;
import dev.relaycluster.relay.RelayFlow;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Every answer of the node carries {@value RelayFlow#REQUEST_ID_HEADER}: the one the relay's flow (or an admin
 * error) gave it, which names its record in the ledger or its line in the node's log, else a fresh time-ordered
 * id added on the way out (a relay call turned away before the flow, an admin answer, /health, /metrics, the UI).
 * Never two: an answer that already has one keeps it.
 */
public final class RequestIds extends AllDirectives {
  private static final TimeOrderedIds IDS = TimeOrderedIds.systemClock();

  /** {@code inner}, each of its answers with a request id. */
  public Route around(Route inner) {
    return mapResponse(RequestIds::ensure, () -> inner);
  }

  /** A new request id. */
  static String fresh() {
    return IDS.next().toString();
  }

  /** {@code response} with a request id: its own if it has one, else a new one. */
  static HttpResponse ensure(HttpResponse response) {
    return response.getHeader(RelayFlow.REQUEST_ID_HEADER).isPresent() ? response
        : response.addHeader(RawHeader.create(RelayFlow.REQUEST_ID_HEADER, fresh()));
  }
}
