package dev.relaycluster.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * A fast mock of Anthropic's Messages API and OpenAI's Responses API for the load benchmark (Netty,
 * HTTP/1.1 keep-alive): POST /v1/messages and POST /v1/responses ({@link MockHandler}).
 *
 * <pre>
 * java -jar bench/target/bench.jar [--host 127.0.0.1] [--port 8089] [--threads 2]
 *                                  [--chunk-delay-ms 0] [--hold-ms 0] [--ping-ms 0]
 * </pre>
 *
 * --chunk-delay-ms D pauses D ms before each of the 20 text deltas (10 gives a 200 ms stream);
 * --hold-ms H keeps each stream open H ms after its first events (for the idle-streams measurement),
 * sending a ping event every --ping-ms P ms meanwhile (0: none). All three are defaults that a
 * request overrides with ?delay_ms=, ?hold_ms= and ?ping_ms=.
 */
public final class MockUpstream {
  private MockUpstream() {}

  public static void main(String[] args) throws InterruptedException {
    String host = "127.0.0.1";
    int port = 8089;
    int threads = 2;
    long delayMs = 0;
    long holdMs = 0;
    long pingMs = 0;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--host" -> host = v;
        case "--port" -> port = Integer.parseInt(v);
        case "--threads" -> threads = Integer.parseInt(v);
        case "--chunk-delay-ms" -> delayMs = Long.parseLong(v);
        case "--hold-ms" -> holdMs = Long.parseLong(v);
        case "--ping-ms" -> pingMs = Long.parseLong(v);
        default -> {
          System.err.println("unknown argument " + args[i]
              + "; use --host, --port, --threads, --chunk-delay-ms, --hold-ms, --ping-ms");
          System.exit(2);
        }
      }
      i++;
    }
    MockHandler handler = new MockHandler(delayMs, holdMs, pingMs);
    EventLoopGroup boss = new NioEventLoopGroup(1);
    EventLoopGroup workers = new NioEventLoopGroup(threads);
    try {
      Channel server = new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 8192)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024 * 1024), handler);
            }
          })
          .bind(host, port).sync().channel();
      System.out.println("mock upstream listening on http://" + host + ":" + port + " (threads " + threads
          + ", chunk delay " + delayMs + " ms, hold " + holdMs + " ms, stream answer "
          + handler.streamSize() + " bytes, Responses stream answer " + handler.responsesStreamSize()
          + " bytes, Gemini stream answer "
          + handler.geminiStreamSize() + " bytes)");
      server.closeFuture().sync();
    } finally {
      boss.shutdownGracefully();
      workers.shutdownGracefully();
    }
  }
}
