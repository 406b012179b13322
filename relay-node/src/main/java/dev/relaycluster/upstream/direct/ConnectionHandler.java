package dev.relaycluster.upstream.direct;

import dev.relaycluster.upstream.PeekableBody;
import dev.relaycluster.upstream.UpstreamTimeoutException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The HTTP/1.1 exchanges of one upstream connection, one at a time, on its event loop. A short answer
 * of known length is read whole and handed over strict; any other answer (every SSE stream) is handed
 * over as soon as its head arrives, with a body that gets each read's bytes in one piece. The
 * connection goes back to its pool when an answer has been read to its end and both sides keep it
 * alive; it is closed when the answer fails, times out, or its reader goes away first.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  /** Answers of known length up to this size are read whole before they are handed over. */
  static final int STRICT_LIMIT = 256 * 1024;
  /** A strict answer's first buffer; bigger bodies grow it. */
  private static final int FIRST_BUFFER = 4096;
  /**
   * Where a streamed answer's bytes of one read wait for the read to complete, one array per event-loop
   * thread: Netty runs a channel's reads and their completion one after the other on its event loop, with
   * no other channel's read in between, and the bytes are copied out (to their exact size) when the read
   * completes, so no connection keeps an array of its own while its stream waits for upstream.
   */
  private static final ThreadLocal<byte[][]> READS = ThreadLocal.withInitial(() -> new byte[][] {new byte[8192]});
  private static final int READS_KEPT = 64 * 1024;

  /** Where a finished connection goes. */
  interface Pool {
    void release(Origin origin, Channel channel);
  }

  private final Origin origin;
  private final Pool pool;
  private final Duration responseTimeout;
  private Channel channel;
  private Exchange current;
  private boolean reused;
  private boolean headReceived;
  /** Inside an interim (1xx) answer, whose end is not the exchange's. */
  private boolean interim;
  private boolean keepAlive;
  private ScheduledFuture<?> responseTimer;
  /** Streamed answers: the body, and this read's bytes not yet handed to it. */
  private ResponseBody body;
  /** Strict answers: the head, waiting for the whole body. */
  private HttpResponse strictHead;
  /**
   * The bytes read and not yet handed on: a strict answer's whole body in an array of its own, or a streamed
   * answer's bytes of the current read in this thread's {@link #READS} array (handed to the body when the
   * read completes). Null while nothing is buffered, so an open stream waiting for upstream holds no array
   * (10,000 idle streams would otherwise hold 80 MB of them).
   */
  private byte[] buffer;
  private int buffered;

  ConnectionHandler(Origin origin, Pool pool, Duration responseTimeout) {
    this.origin = origin;
    this.pool = pool;
    this.responseTimeout = responseTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  /** Starts an exchange on this idle connection; on the event loop. */
  void begin(Exchange exchange, boolean reusedConnection, Runnable onClosedBeforeSent) {
    current = exchange;
    reused = reusedConnection;
    headReceived = false;
    interim = false;
    body = null;
    strictHead = null;
    buffer = null;
    buffered = 0;
    long timeoutMillis = responseTimeout.toMillis();
    Exchange started = exchange;
    responseTimer = channel.eventLoop().schedule(() -> {
      if (current == started && !headReceived) {
        failCurrent(new UpstreamTimeoutException(
            "upstream did not respond within " + responseTimeout.toSeconds() + " s"));
      }
    }, timeoutMillis, TimeUnit.MILLISECONDS);
    io.netty.handler.codec.http.FullHttpRequest wire;
    try {
      wire = Messages.request(exchange.request, exchange.origin);
    } catch (RuntimeException e) {
      failCurrent(e);
      return;
    }
    channel.writeAndFlush(wire).addListener(f -> {
      if (!f.isSuccess() && current == started) {
        if (reused && !started.retried) {
          // The pooled connection was closed by upstream while idle: nothing reached it, so send again.
          started.retried = true;
          detach();
          channel.close();
          onClosedBeforeSent.run();
        } else {
          failCurrent(f.cause());
        }
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (current == null) {
        return;
      }
      if (msg instanceof io.netty.handler.codec.http.HttpResponse head) {
        onHead(head);
      }
      if (msg instanceof HttpContent content && current != null) {
        onContent(content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(io.netty.handler.codec.http.HttpResponse head) {
    if (head.status().code() / 100 == 1) {
      interim = true;
      return;
    }
    if (head.decoderResult().isFailure()) {
      failCurrent(new IOException("upstream sent an unreadable answer: " + head.decoderResult().cause()));
      return;
    }
    headReceived = true;
    responseTimer.cancel(false);
    keepAlive = HttpUtil.isKeepAlive(head);
    ContentType contentType = Messages.contentType(head.headers().get(HttpHeaderNames.CONTENT_TYPE));
    long length = HttpUtil.getContentLength(head, -1L);
    boolean eventStream = contentType.mediaType().equals(MediaTypes.TEXT_EVENT_STREAM);
    HttpResponse response = HttpResponse.create()
        .withStatus(Messages.status(head.status().code(), head.status().reasonPhrase()))
        .withHeaders(Messages.headers(head.headers()));
    if (length >= 0 && length <= STRICT_LIMIT && !eventStream) {
      strictHead = response.withEntity(HttpEntities.create(contentType, ByteString.emptyByteString()));
      return;
    }
    Exchange exchange = current;
    Channel ch = channel;
    body = new ResponseBody(new ResponseBody.Connection() {
      @Override
      public void reading(boolean on) {
        if (on) {
          ch.eventLoop().execute(() -> {
            if (current == exchange) {
              ch.config().setAutoRead(true);
            }
          });
        } else {
          ch.config().setAutoRead(false);
        }
      }

      @Override
      public void abandon() {
        ch.eventLoop().execute(() -> {
          if (current == exchange) {
            detach();
            ch.close();
          }
        });
      }
    });
    Source<ByteString, ?> bytes = Source.fromGraph(body);
    HttpEntity entity = length >= 0
        ? HttpEntities.create(contentType, length, bytes)
        : HttpEntities.createChunked(contentType, bytes);
    ResponseEntity withBody = (ResponseEntity) entity;
    current.answer(response.withEntity(withBody)
        .addAttribute(PeekableBody.KEY, new DirectPeek(withBody, body)));
  }

  private void onContent(HttpContent content) {
    if (interim) {
      interim = !(content instanceof LastHttpContent);
      return;
    }
    if (content.decoderResult().isFailure()) {
      failCurrent(new IOException("upstream sent an unreadable answer: " + content.decoderResult().cause()));
      return;
    }
    ByteBuf data = content.content();
    int n = data.readableBytes();
    if (n > 0) {
      if (strictHead != null && buffered + n > STRICT_LIMIT) {
        failCurrent(new IOException("upstream sent more than its Content-Length"));
        return;
      }
      if (buffer == null) {
        buffer = strictHead != null ? new byte[Math.max(n, FIRST_BUFFER)] : READS.get()[0];
      }
      if (buffered + n > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, buffered + n));
        if (strictHead == null && buffer.length <= READS_KEPT) {
          READS.get()[0] = buffer;
        }
      }
      data.readBytes(buffer, buffered, n);
      buffered += n;
    }
    if (content instanceof LastHttpContent) {
      finish();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (body != null) {
      handOver();
      body.signal();
    }
    ctx.fireChannelReadComplete();
  }

  /** The bytes read so far go to the body as one piece. */
  private void handOver() {
    if (buffered > 0) {
      body.append(ByteString.fromArrayUnsafe(Arrays.copyOf(buffer, buffered)));
    }
    buffer = null;
    buffered = 0;
  }

  private void finish() {
    Exchange done = current;
    HttpResponse strict = null;
    if (strictHead != null) {
      strict = strictHead.withEntity(HttpEntities.create(strictHead.entity().getContentType(),
          buffered == 0 ? ByteString.emptyByteString() : ByteString.fromArrayUnsafe(buffer, 0, buffered)));
      buffer = null;
    } else {
      handOver();
      body.end();
    }
    boolean reuse = keepAlive;
    detach();
    // Back in the pool before the caller hears of the answer, so that its next call can take it.
    if (reuse && channel.isActive()) {
      channel.config().setAutoRead(true);
      pool.release(origin, channel);
    } else {
      channel.close();
    }
    if (strict != null) {
      done.answer(strict);
    }
  }

  private void detach() {
    if (responseTimer != null) {
      responseTimer.cancel(false);
    }
    current = null;
    body = null;
    strictHead = null;
    buffer = null;
    buffered = 0;
  }

  private void failCurrent(Throwable cause) {
    Exchange failed = current;
    if (failed == null) {
      return;
    }
    if (body != null) {
      handOver();
      body.fail(cause);
    } else {
      failed.fail(cause);
    }
    detach();
    channel.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    failCurrent(new IOException("upstream connection closed unexpectedly"));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failCurrent(cause);
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (current != null && headReceived) {
        failCurrent(new UpstreamTimeoutException("upstream answer stalled: nothing read for a while (timed out)"));
      } else if (current == null) {
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }
}
