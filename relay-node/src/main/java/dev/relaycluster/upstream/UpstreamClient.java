package dev.relaycluster.upstream;

import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.upstream.direct.DirectHttpClient;
import dev.relaycluster.upstream.proxy.ProxyErrors;
import dev.relaycluster.upstream.proxy.ProxyTransports;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * Calls upstream APIs. Without an outbound proxy, by default through {@link DirectHttpClient} (HTTP/1.1
 * on Netty with kept-alive connections per origin: no actor or stream graph per call). With
 * {@code relay.upstream.client = pekko-http}, and always for accounts with an outbound proxy, with
 * pekko-http's pooled client: one pool per host, and per (host, proxy) for accounts with an outbound
 * proxy (HTTP CONNECT or SOCKS5; the pool settings carry the proxy's transport, so each proxy gets
 * pools of its own). A response that does not start within the
 * response timeout fails with {@link UpstreamTimeoutException}; if it arrives later its body is
 * discarded so the pooled connection is freed. A proxy that cannot carry the request fails it with
 * an {@link dev.relaycluster.upstream.proxy.UpstreamProxyException} saying why.
 */
public final class UpstreamClient implements AutoCloseable {
  private final ActorSystem<?> system;
  private final Http http;
  private final Duration responseTimeout;
  private final ConnectionPoolSettings directPool;
  private final LoggingAdapter log;
  private final Map<ProxySpec, ConnectionPoolSettings> proxiedPools = new ConcurrentHashMap<>();
  /** Null when relay.upstream.client is pekko-http. */
  private final DirectHttpClient direct;

  public UpstreamClient(ActorSystem<?> system, RelaySettings.Upstream settings) {
    this.system = system;
    this.http = Http.get(system);
    this.responseTimeout = settings.responseTimeout();
    this.directPool = ConnectionPoolSettings.create(system.classicSystem());
    this.log = system.classicSystem().log();
    this.direct = settings.client() == RelaySettings.Upstream.Client.DIRECT
        ? new DirectHttpClient(settings.connectTimeout(), settings.responseTimeout(), settings.idleTimeout(),
            system.executionContext(), 1)
        : null;
  }

  public CompletionStage<HttpResponse> send(HttpRequest request) {
    return send(request, null);
  }

  /** Sends through the account's proxy, or directly when {@code proxy} is null. */
  public CompletionStage<HttpResponse> send(HttpRequest request, ProxySpec proxy) {
    if (proxy == null && direct != null) {
      // Its own response timeout, and a late answer closes its connection.
      return direct.send(request);
    }
    CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    Cancellable timer = system.scheduler().scheduleOnce(responseTimeout,
        () -> result.completeExceptionally(new UpstreamTimeoutException(
            "upstream did not respond within " + responseTimeout.toSeconds() + " s")),
        system.executionContext());
    CompletionStage<HttpResponse> call = proxy == null
        ? http.singleRequest(request)
        : http.singleRequest(request, http.defaultClientHttpsContext(), poolFor(proxy), log);
    call.whenComplete((response, failure) -> {
      timer.cancel();
      if (failure != null) {
        result.completeExceptionally(proxy == null ? failure
            : ProxyErrors.translate(failure, proxy.display(), target(request)));
      } else if (!result.complete(response)) {
        response.discardEntityBytes(system);
      }
    });
    return result;
  }

  /**
   * Opens an upstream WebSocket through the account's proxy (null: direct) with {@code flow} as the
   * client side; the stage completes with the handshake's answer (a refused upgrade is a normal HTTP
   * response in it), or fails when upstream cannot be reached or does not answer in the response timeout.
   */
  public <T> Pair<CompletionStage<WebSocketUpgradeResponse>, T> openSocket(WebSocketRequest request,
      Flow<Message, Message, T> flow, ProxySpec proxy) {
    ClientConnectionSettings connection = ClientConnectionSettings.create(system.classicSystem());
    if (proxy != null) {
      connection = connection.withTransport(ProxyTransports.of(proxy));
    }
    Pair<CompletionStage<WebSocketUpgradeResponse>, T> opened = http.singleWebSocketRequest(request, flow,
        http.defaultClientHttpsContext(), java.util.Optional.empty(), connection, log,
        Materializer.matFromSystem(system));
    CompletionStage<WebSocketUpgradeResponse> bounded = opened.first().toCompletableFuture()
        .orTimeout(responseTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .exceptionally(t -> {
          Throwable cause = UpstreamFailures.unwrap(t);
          if (cause instanceof java.util.concurrent.TimeoutException) {
            throw new UpstreamTimeoutException("upstream did not answer the WebSocket handshake within "
                + responseTimeout.toSeconds() + " s");
          }
          throw new java.util.concurrent.CompletionException(
              proxy == null ? cause : ProxyErrors.translate(cause, proxy.display(), request.asScala().uri().authority().toString()));
        });
    return Pair.create(bounded, opened.second());
  }

  /** Closes the direct client's connections (pekko-http's pools close with the actor system). */
  @Override
  public void close() {
    if (direct != null) {
      direct.close();
    }
  }

  private ConnectionPoolSettings poolFor(ProxySpec proxy) {
    return proxiedPools.computeIfAbsent(proxy, p -> directPool.withTransport(ProxyTransports.of(p)));
  }

  private static String target(HttpRequest request) {
    var uri = request.getUri();
    return uri.host().address() + ":" + uri.port();
  }
}
