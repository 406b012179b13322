package dev.relaycluster.upstream.direct;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The upstream client for calls without an outbound proxy: HTTP/1.1 (TLS for https) on Netty, with a
 * pool of kept-alive connections per origin, most recently used first. It does for a relayed call
 * only what the relay needs: the request goes out with its strict body; the answer's head is handed
 * over as soon as it is read, its body as a Pekko stream that gets each read's bytes unchanged and in
 * one piece, with back-pressure to the connection. Compared with pekko-http's pooled client it spends
 * no actor, stream graph or stream boundary per request, and a read that carried many SSE events
 * crosses into the relay once.
 *
 * <p>Timeouts: {@code responseTimeout} from sending to the answer's head, {@code idleTimeout} for a
 * silent connection (a stalled answer fails; an idle pooled connection is closed).
 */
public final class DirectHttpClient implements AutoCloseable {
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final SslContext tls;
  private final Executor callbacks;
  private final Duration responseTimeout;
  private final Duration idleTimeout;
  private final Map<Origin, ConcurrentLinkedDeque<Channel>> idle = new ConcurrentHashMap<>();
  private final ConnectionHandler.Pool pool = this::release;

  /**
   * @param callbacks where answers are completed (the actor system's dispatcher)
   * @param threads event-loop threads for all connections
   */
  public DirectHttpClient(Duration connectTimeout, Duration responseTimeout, Duration idleTimeout,
      Executor callbacks, int threads) {
    this(connectTimeout, responseTimeout, idleTimeout, callbacks, threads, null);
  }

  /** @param trust the certificates https upstreams are checked against; null for the JDK's own */
  public DirectHttpClient(Duration connectTimeout, Duration responseTimeout, Duration idleTimeout,
      Executor callbacks, int threads, javax.net.ssl.TrustManagerFactory trust) {
    this.callbacks = callbacks;
    this.responseTimeout = responseTimeout;
    this.idleTimeout = idleTimeout;
    this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("relay-upstream", true),
        NioIoHandler.newFactory());
    try {
      this.tls = SslContextBuilder.forClient().trustManager(trust).build();
    } catch (SSLException e) {
      throw new IllegalStateException("TLS for upstream calls could not be set up", e);
    }
    this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
  }

  /** Sends the request (absolute http or https URI, strict body); the answer, or why there is none. */
  public CompletionStage<HttpResponse> send(HttpRequest request) {
    Origin origin;
    try {
      origin = Origin.of(request.getUri());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (!(request.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("the direct upstream client sends strict bodies only"));
    }
    Exchange exchange = new Exchange(request, origin, callbacks);
    dispatch(exchange);
    return exchange.result();
  }

  private void dispatch(Exchange exchange) {
    Channel reused = pollIdle(exchange.origin);
    if (reused != null) {
      reused.eventLoop().execute(() -> start(reused, exchange, true));
      return;
    }
    ChannelFuture connecting = bootstrap.clone().handler(initializer(exchange.origin))
        .connect(exchange.origin.host(), exchange.origin.port());
    connecting.addListener(f -> {
      if (f.isSuccess()) {
        start(connecting.channel(), exchange, false);
      } else {
        exchange.fail(f.cause());
      }
    });
  }

  private void start(Channel channel, Exchange exchange, boolean reused) {
    if (!channel.isActive()) {
      // Closed while it waited in the pool: take another.
      dispatch(exchange);
      return;
    }
    channel.pipeline().get(ConnectionHandler.class).begin(exchange, reused, () -> dispatch(exchange));
  }

  private Channel pollIdle(Origin origin) {
    ConcurrentLinkedDeque<Channel> channels = idle.get(origin);
    if (channels == null) {
      return null;
    }
    for (Channel c = channels.pollLast(); c != null; c = channels.pollLast()) {
      if (c.isActive()) {
        return c;
      }
    }
    return null;
  }

  private void release(Origin origin, Channel channel) {
    ConcurrentLinkedDeque<Channel> channels = idle.computeIfAbsent(origin, o -> new ConcurrentLinkedDeque<>());
    channels.offerLast(channel);
  }

  private ChannelInitializer<SocketChannel> initializer(Origin origin) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        if (origin.tls()) {
          SslHandler ssl = tls.newHandler(ch.alloc(), origin.host(), origin.port());
          SSLEngine engine = ssl.engine();
          SSLParameters params = engine.getSSLParameters();
          params.setEndpointIdentificationAlgorithm("HTTPS");
          engine.setSSLParameters(params);
          ch.pipeline().addLast(ssl);
        }
        ch.pipeline().addLast(new HttpClientCodec(8192, 64 * 1024, 16 * 1024));
        ch.pipeline().addLast(new IdleStateHandler(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        ch.pipeline().addLast(new ConnectionHandler(origin, pool, responseTimeout));
        // A pooled connection that upstream closes leaves the pool.
        ch.closeFuture().addListener(f -> {
          ConcurrentLinkedDeque<Channel> channels = idle.get(origin);
          if (channels != null) {
            channels.remove(ch);
          }
        });
      }
    };
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
