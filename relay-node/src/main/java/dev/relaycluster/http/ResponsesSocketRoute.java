package dev.relaycluster.http;

import dev.relaycluster.cluster.NodeDrain;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.openai.ResponsesDialect;
import dev.relaycluster.protocol.openai.ResponsesSocketFrames;
import dev.relaycluster.protocol.session.SessionKeys;
import dev.relaycluster.protocol.util.TimeOrderedIds;
import dev.relaycluster.relay.RelayCall;
import dev.relaycluster.relay.SocketRelay;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;

/**
 * The Responses WebSocket mode (Codex with {@code supports_websockets}): {@code GET …/responses} with
 * {@code Upgrade: websocket}. The key is checked before the upgrade; the socket is then pinned to one
 * account and one upstream socket ({@link SocketRelay}). A refused upgrade is a plain HTTP answer in
 * OpenAI's error JSON, at once, so the client falls back to HTTP. Requests without an upgrade pass on.
 */
public final class ResponsesSocketRoute extends AllDirectives {
  private static final ResponsesDialect DIALECT = ResponsesDialect.INSTANCE;
  private final ClientRequests requests;
  private final SocketRelay sockets;
  private final NodeDrain drain;
  private final TimeOrderedIds ids = TimeOrderedIds.systemClock();

  public ResponsesSocketRoute(ClientRequests requests, SocketRelay sockets, NodeDrain drain) {
    this.requests = requests;
    this.sockets = sockets;
    this.drain = drain;
  }

  public Route route() {
    return get(() -> extractWebSocketUpgrade(upgrade -> extractRequest(req ->
        completeWithFuture(open(req, upgrade)))));
  }

  private CompletionStage<HttpResponse> open(HttpRequest req, WebSocketUpgrade upgrade) {
    if (drain.draining()) {
      return CompletableFuture.completedFuture(DialectResponses.error(DIALECT, ErrorKind.OVERLOADED,
          "this relay node is shutting down; retry", 1));
    }
    return requests.authenticated(req, DIALECT, key -> {
      if (key.settings().modelMap().stream().anyMatch(rule -> !RelayRoutes.OPENAI.equals(rule.pool()))) {
        // The socket is pinned to one openai account for its whole life; a key whose own map sends models to
        // other pools is served turn by turn over HTTP, where each request is routed and converted. Codex falls
        // back to HTTP on this answer.
        return CompletableFuture.completedFuture(DialectResponses.error(DIALECT, ErrorKind.NOT_FOUND,
            "this key's model map serves models from other pools, which have no WebSocket mode: use HTTP"));
      }
      List<HttpHeader> headers = new ArrayList<>();
      req.getHeaders().forEach(headers::add);
      String keyId = key.id();
      RequestView view = new RequestView(null, true, -1, false,
          SessionKeys.codex(name -> req.getHeader(name).map(HttpHeader::value).orElse(null), null, keyId));
      RelayCall handshake = new RelayCall(ids.next().toString(), key, DIALECT, RelayRoutes.OPENAI,
          ResponsesDialect.RESPONSES, ClientKeys.queryWithoutKey(req), headers, ContentTypes.APPLICATION_JSON,
          ByteString.emptyByteString(), view, req.getHeader("user-agent").map(HttpHeader::value).orElse(null),
          System.currentTimeMillis(), System.nanoTime());
      return sockets.open(handshake, ResponsesSocketFrames.INSTANCE, requests::facts).thenApply(opening ->
          // A refused upgrade is not a request of the ledger (each turn is): no request id to name.
          opening.refused() != null
              ? DialectResponses.render(DIALECT, opening.refused())
              : upgrade.handleMessagesWith(opening.clientFlow()).addHeaders(opening.headers()));
    });
  }
}
