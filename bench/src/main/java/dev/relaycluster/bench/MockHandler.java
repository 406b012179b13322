package dev.relaycluster.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves POST /v1/messages (any query): an SSE stream when the body says "stream": true, else the JSON
 * message. Query parameters override the defaults per request: delay_ms (pause before each text
 * delta), hold_ms (pause after ping before the deltas, to hold a stream open) and ping_ms (while
 * holding, a ping event every so often, as Anthropic sends them). GET /stats gives the counters,
 * GET /health answers ok.
 */
@Sharable
final class MockHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final SseAnswer answer = new SseAnswer();
  private final List<ByteBuf> head = shared(answer.head);
  private final List<ByteBuf> deltas = shared(answer.deltas);
  private final List<ByteBuf> tail = shared(answer.tail);
  private final long defaultDelayMs;
  private final long defaultHoldMs;
  private final long defaultPingMs;
  final AtomicLong requests = new AtomicLong();
  final AtomicLong streams = new AtomicLong();
  final AtomicInteger open = new AtomicInteger();
  final AtomicInteger maxOpen = new AtomicInteger();

  MockHandler(long defaultDelayMs, long defaultHoldMs, long defaultPingMs) {
    this.defaultDelayMs = defaultDelayMs;
    this.defaultHoldMs = defaultHoldMs;
    this.defaultPingMs = defaultPingMs;
  }

  int streamSize() {
    return answer.streamSize();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String path = uri.path();
    if (req.method().equals(HttpMethod.POST) && path.equals("/v1/messages")) {
      long n = requests.incrementAndGet();
      if (isStream(req.content())) {
        stream(ctx, keepAlive, n, param(uri, "delay_ms", defaultDelayMs), param(uri, "hold_ms", defaultHoldMs),
            param(uri, "ping_ms", defaultPingMs));
      } else {
        full(ctx, keepAlive, HttpResponseStatus.OK, "application/json", answer.json(n));
      }
    } else if (path.equals("/stats")) {
      full(ctx, keepAlive, HttpResponseStatus.OK, "application/json", ("{\"requests\":" + requests.get()
          + ",\"streams\":" + streams.get() + ",\"open\":" + open.get() + ",\"maxOpen\":" + maxOpen.get() + "}")
          .getBytes(StandardCharsets.UTF_8));
    } else if (path.equals("/health") || path.equals("/")) {
      full(ctx, keepAlive, HttpResponseStatus.OK, "text/plain", "ok".getBytes(StandardCharsets.UTF_8));
    } else {
      full(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "application/json",
          "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not found\"}}"
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  private void stream(ChannelHandlerContext ctx, boolean keepAlive, long n, long delayMs, long holdMs, long pingMs) {
    streams.incrementAndGet();
    maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
    AtomicBoolean finished = new AtomicBoolean();
    Runnable done = () -> {
      if (finished.compareAndSet(false, true)) {
        open.decrementAndGet();
      }
    };
    ctx.channel().closeFuture().addListener(f -> done.run());
    HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    res.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .set("request-id", String.format("req_01Bench%014d", n));
    HttpUtil.setTransferEncodingChunked(res, true);
    HttpUtil.setKeepAlive(res, keepAlive);
    ctx.write(res);
    ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(answer.messageStart(n))));
    for (ByteBuf b : head) {
      ctx.write(new DefaultHttpContent(b.duplicate()));
    }
    if (delayMs <= 0 && holdMs <= 0) {
      for (ByteBuf b : deltas) {
        ctx.write(new DefaultHttpContent(b.duplicate()));
      }
      finish(ctx, keepAlive, done);
      return;
    }
    ctx.flush();
    if (holdMs > 0 && pingMs > 0) {
      ctx.executor().schedule(() -> ping(ctx, System.nanoTime() + (holdMs - pingMs) * 1_000_000, pingMs),
          pingMs, TimeUnit.MILLISECONDS);
    }
    ctx.executor().schedule(() -> deltasFrom(ctx, keepAlive, done, 0, delayMs),
        holdMs + delayMs, TimeUnit.MILLISECONDS);
  }

  /** While a stream is held: a ping now, and another every pingMs until the hold ends. */
  private void ping(ChannelHandlerContext ctx, long lastPingBy, long pingMs) {
    if (!ctx.channel().isActive() || System.nanoTime() > lastPingBy) {
      return;
    }
    ctx.writeAndFlush(new DefaultHttpContent(head.get(1).duplicate()));
    ctx.executor().schedule(() -> ping(ctx, lastPingBy, pingMs), pingMs, TimeUnit.MILLISECONDS);
  }

  /** Writes delta i (or all of them when there is no delay), then schedules the next one. */
  private void deltasFrom(ChannelHandlerContext ctx, boolean keepAlive, Runnable done, int i, long delayMs) {
    if (!ctx.channel().isActive()) {
      done.run();
      return;
    }
    int last = delayMs <= 0 ? deltas.size() - 1 : i;
    for (int k = i; k <= last; k++) {
      ctx.write(new DefaultHttpContent(deltas.get(k).duplicate()));
    }
    if (last + 1 >= deltas.size()) {
      finish(ctx, keepAlive, done);
      return;
    }
    ctx.flush();
    ctx.executor().schedule(() -> deltasFrom(ctx, keepAlive, done, last + 1, delayMs), delayMs, TimeUnit.MILLISECONDS);
  }

  private void finish(ChannelHandlerContext ctx, boolean keepAlive, Runnable done) {
    for (ByteBuf b : tail) {
      ctx.write(new DefaultHttpContent(b.duplicate()));
    }
    var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    f.addListener(x -> done.run());
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static void full(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String type,
      byte[] body) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(res);
    } else {
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** True when the JSON body has "stream": true (a byte scan; the mock does not parse the request). */
  static boolean isStream(ByteBuf body) {
    String s = body.toString(StandardCharsets.UTF_8);
    int i = s.indexOf("\"stream\"");
    if (i < 0) {
      return false;
    }
    i += 8;
    while (i < s.length() && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == ':')) {
      i++;
    }
    return s.startsWith("true", i);
  }

  private static long param(QueryStringDecoder uri, String name, long dflt) {
    List<String> v = uri.parameters().get(name);
    return v == null || v.isEmpty() ? dflt : Long.parseLong(v.get(0));
  }

  private static List<ByteBuf> shared(List<byte[]> parts) {
    List<ByteBuf> out = new ArrayList<>();
    for (byte[] p : parts) {
      out.add(Unpooled.unreleasableBuffer(Unpooled.directBuffer(p.length).writeBytes(p)));
    }
    return out;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
