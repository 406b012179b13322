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
 * Serves POST /v1/messages (Anthropic Messages, {@link SseAnswer}), POST /v1/responses (OpenAI
 * Responses, {@link ResponsesAnswer}) and POST /v1beta/models/{model}:streamGenerateContent or :generateContent
 * (Gemini, {@link GeminiAnswer}), any query: an SSE stream when the body says "stream": true (Gemini: for
 * :streamGenerateContent), else the JSON message or response. Query parameters override the defaults per request: delay_ms (pause
 * before each text delta), hold_ms (pause after the first events before the deltas, to hold a stream
 * open) and ping_ms (while holding, a ping event every so often, as Anthropic sends them; a Responses
 * stream has no ping event and stays silent). GET /stats gives the counters, GET /health answers ok.
 */
@Sharable
final class MockHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final SseAnswer answer = new SseAnswer();
  private final ResponsesAnswer responses = new ResponsesAnswer(answer.pieces);
  private final Wire messagesWire = new MessagesWire();
  private final Wire responsesWire = new ResponsesWire();
  private final GeminiAnswer gemini = new GeminiAnswer(answer.pieces);
  private final Wire geminiWire = new GeminiWire();
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

  int responsesStreamSize() {
    return responses.streamSize();
  }

  int geminiStreamSize() {
    return gemini.streamSize();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String path = uri.path();
    boolean geminiPath = path.startsWith("/v1beta/models/");
    Wire wire = !req.method().equals(HttpMethod.POST) ? null
        : path.equals("/v1/messages") ? messagesWire
        : path.equals("/v1/responses") ? responsesWire
        : geminiPath ? geminiWire : null;
    if (wire != null) {
      long n = requests.incrementAndGet();
      // Gemini streams by its method (:streamGenerateContent), the others by the body's "stream".
      if (geminiPath ? path.endsWith(":streamGenerateContent") : isStream(req.content())) {
        stream(ctx, keepAlive, n, param(uri, "delay_ms", defaultDelayMs), param(uri, "hold_ms", defaultHoldMs),
            param(uri, "ping_ms", defaultPingMs), wire);
      } else {
        FullHttpResponse res = full(HttpResponseStatus.OK, "application/json", wire.json(n));
        wire.jsonHeaders(res, n);
        send(ctx, keepAlive, res);
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

  private void stream(ChannelHandlerContext ctx, boolean keepAlive, long n, long delayMs, long holdMs, long pingMs,
      Wire wire) {
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
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    wire.headers(res, n);
    HttpUtil.setTransferEncodingChunked(res, true);
    HttpUtil.setKeepAlive(res, keepAlive);
    ctx.write(res);
    wire.writeStart(ctx, n);
    if (delayMs <= 0 && holdMs <= 0) {
      for (ByteBuf b : wire.deltas) {
        ctx.write(new DefaultHttpContent(b.duplicate()));
      }
      finish(ctx, keepAlive, done, n, wire);
      return;
    }
    ctx.flush();
    if (holdMs > 0 && pingMs > 0 && wire.ping != null) {
      ctx.executor().schedule(() -> ping(ctx, System.nanoTime() + (holdMs - pingMs) * 1_000_000, pingMs, wire.ping),
          pingMs, TimeUnit.MILLISECONDS);
    }
    ctx.executor().schedule(() -> deltasFrom(ctx, keepAlive, done, 0, delayMs, n, wire),
        holdMs + delayMs, TimeUnit.MILLISECONDS);
  }

  /** While a stream is held: a ping now, and another every pingMs until the hold ends. */
  private void ping(ChannelHandlerContext ctx, long lastPingBy, long pingMs, ByteBuf event) {
    if (!ctx.channel().isActive() || System.nanoTime() > lastPingBy) {
      return;
    }
    ctx.writeAndFlush(new DefaultHttpContent(event.duplicate()));
    ctx.executor().schedule(() -> ping(ctx, lastPingBy, pingMs, event), pingMs, TimeUnit.MILLISECONDS);
  }

  /** Writes delta i (or all of them when there is no delay), then schedules the next one. */
  private void deltasFrom(ChannelHandlerContext ctx, boolean keepAlive, Runnable done, int i, long delayMs, long n,
      Wire wire) {
    if (!ctx.channel().isActive()) {
      done.run();
      return;
    }
    List<ByteBuf> deltas = wire.deltas;
    int last = delayMs <= 0 ? deltas.size() - 1 : i;
    for (int k = i; k <= last; k++) {
      ctx.write(new DefaultHttpContent(deltas.get(k).duplicate()));
    }
    if (last + 1 >= deltas.size()) {
      finish(ctx, keepAlive, done, n, wire);
      return;
    }
    ctx.flush();
    ctx.executor().schedule(() -> deltasFrom(ctx, keepAlive, done, last + 1, delayMs, n, wire), delayMs,
        TimeUnit.MILLISECONDS);
  }

  private void finish(ChannelHandlerContext ctx, boolean keepAlive, Runnable done, long n, Wire wire) {
    wire.writeEnd(ctx, n);
    var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    f.addListener(x -> done.run());
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** One API's answer on the wire: its headers, the events before and after the text deltas, the JSON body. */
  private abstract static class Wire {
    final List<ByteBuf> deltas;
    /** The keep-alive event sent while a stream is held, or null. */
    final ByteBuf ping;

    Wire(List<ByteBuf> deltas, ByteBuf ping) {
      this.deltas = deltas;
      this.ping = ping;
    }

    abstract void headers(HttpResponse res, long n);

    /** Headers of the non-streaming answer: the same as the stream's unless a wire says otherwise. */
    void jsonHeaders(HttpResponse res, long n) {
      headers(res, n);
    }

    abstract void writeStart(ChannelHandlerContext ctx, long n);

    abstract void writeEnd(ChannelHandlerContext ctx, long n);

    abstract byte[] json(long n);
  }

  /** Anthropic Messages: message_start, content_block_start, ping; deltas; the three closing events. */
  private final class MessagesWire extends Wire {
    private final List<ByteBuf> head = shared(answer.head);
    private final List<ByteBuf> tail = shared(answer.tail);

    MessagesWire() {
      super(shared(answer.deltas), shared(answer.head).get(1));
    }

    @Override
    void headers(HttpResponse res, long n) {
      res.headers().set("request-id", String.format("req_01Bench%014d", n));
    }

    /** The JSON message goes without request-id, as it always has in this mock (runs stay comparable). */
    @Override
    void jsonHeaders(HttpResponse res, long n) {}

    @Override
    void writeStart(ChannelHandlerContext ctx, long n) {
      ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(answer.messageStart(n))));
      for (ByteBuf b : head) {
        ctx.write(new DefaultHttpContent(b.duplicate()));
      }
    }

    @Override
    void writeEnd(ChannelHandlerContext ctx, long n) {
      for (ByteBuf b : tail) {
        ctx.write(new DefaultHttpContent(b.duplicate()));
      }
    }

    @Override
    byte[] json(long n) {
      return answer.json(n);
    }
  }

  /**
   * OpenAI Responses: response.created and response.in_progress (with this answer's id),
   * output_item.added, content_part.added; deltas; output_text.done, content_part.done, output_item.done
   * and response.completed with usage. The headers are the API's: x-request-id and the x-ratelimit-* pairs
   * the relay reads for the account's health (constant, far from any limit).
   */
  private final class ResponsesWire extends Wire {
    private final List<ByteBuf[]> start = new ArrayList<>();
    private final List<ByteBuf> head = shared(responses.head);
    private final List<ByteBuf> tail = shared(responses.tail);
    private final ByteBuf[] completed = sharedSplit(responses.completed);

    ResponsesWire() {
      super(shared(responses.deltas), null);
      for (byte[][] s : responses.start) {
        start.add(sharedSplit(s));
      }
    }

    @Override
    void headers(HttpResponse res, long n) {
      res.headers()
          .set("x-request-id", String.format("req_bench%023d", n))
          .set("openai-processing-ms", "42")
          .set("openai-version", "2020-10-01")
          .set("x-ratelimit-limit-requests", "10000")
          .set("x-ratelimit-remaining-requests", "9999")
          .set("x-ratelimit-reset-requests", "6ms")
          .set("x-ratelimit-limit-tokens", "30000000")
          .set("x-ratelimit-remaining-tokens", "29956000")
          .set("x-ratelimit-reset-tokens", "88ms");
    }

    @Override
    void writeStart(ChannelHandlerContext ctx, long n) {
      byte[] id = ResponsesAnswer.id(n);
      for (ByteBuf[] s : start) {
        writeWithId(ctx, s, id);
      }
      for (ByteBuf b : head) {
        ctx.write(new DefaultHttpContent(b.duplicate()));
      }
    }

    @Override
    void writeEnd(ChannelHandlerContext ctx, long n) {
      for (ByteBuf b : tail) {
        ctx.write(new DefaultHttpContent(b.duplicate()));
      }
      writeWithId(ctx, completed, ResponsesAnswer.id(n));
    }

    /** One event as one HTTP chunk: the shared bytes before and after the response id around this id. */
    private void writeWithId(ChannelHandlerContext ctx, ByteBuf[] parts, byte[] id) {
      ctx.write(new DefaultHttpContent(
          Unpooled.wrappedBuffer(parts[0].duplicate(), Unpooled.wrappedBuffer(id), parts[1].duplicate())));
    }

    @Override
    byte[] json(long n) {
      return responses.json(n);
    }
  }

  /** Gemini API: the chunks with the text, the last one with finishReason and usage; no other events. */
  private final class GeminiWire extends Wire {
    GeminiWire() {
      super(shared(gemini.chunks), null);
    }

    @Override
    void headers(HttpResponse res, long n) {
      res.headers().set("server", "scaffolding on HTTPServer2").set("x-content-type-options", "nosniff");
    }

    @Override
    void writeStart(ChannelHandlerContext ctx, long n) {}

    @Override
    void writeEnd(ChannelHandlerContext ctx, long n) {}

    @Override
    byte[] json(long n) {
      return gemini.json;
    }
  }

  private static void full(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String type,
      byte[] body) {
    send(ctx, keepAlive, full(status, type, body));
  }

  private static FullHttpResponse full(HttpResponseStatus status, String type, byte[] body) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return res;
  }

  private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse res) {
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
      out.add(shared(p));
    }
    return out;
  }

  private static ByteBuf shared(byte[] p) {
    return Unpooled.unreleasableBuffer(Unpooled.directBuffer(p.length).writeBytes(p));
  }

  private static ByteBuf[] sharedSplit(byte[][] parts) {
    return new ByteBuf[] {shared(parts[0]), shared(parts[1])};
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
