package dev.relaycluster.upstream.direct;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The body of one upstream answer, from the connection's event loop to a Pekko stream. What the
 * connection read since the stream last took is handed over as one element, the bytes unchanged: a
 * read that carried twenty SSE events crosses to the stream once, not twenty times, and nothing waits
 * for more bytes than were read. When the stream falls {@link #HIGH_WATER} bytes behind, the connection
 * stops reading until it catches up (TCP back-pressure to upstream). The source can be run once.
 */
final class ResponseBody extends GraphStage<SourceShape<ByteString>> {
  /** Bytes waiting for the stream at which the connection stops reading. */
  static final int HIGH_WATER = 256 * 1024;

  /** What the connection side needs from its channel. */
  interface Connection {
    /** Reading on (true) or off (false); called from any thread. */
    void reading(boolean on);

    /** The stream is gone before the body ended: the connection cannot be reused. Any thread. */
    void abandon();
  }

  private final Outlet<ByteString> out = Outlet.create("UpstreamBody.out");
  private final SourceShape<ByteString> shape = SourceShape.of(out);
  private final Connection connection;

  // Guarded by this: written by the event loop, taken by the stream.
  private ByteString pending = ByteString.emptyByteString();
  private boolean ended;
  private Throwable failure;
  private AsyncCallback<Boolean> wake;
  private boolean wakeSent;
  private boolean paused;
  private boolean materialized;
  /** Someone waiting to look at the first bytes (see {@link #firstBytes}). */
  private CompletableFuture<Optional<ByteString>> firstWaiter;

  ResponseBody(Connection connection) {
    this.connection = connection;
  }

  // ---- the connection's side (event loop)

  void append(ByteString bytes) {
    boolean pause;
    CompletableFuture<Optional<ByteString>> waiter = null;
    ByteString first;
    synchronized (this) {
      pending = pending.concat(bytes);
      pause = !paused && pending.size() > HIGH_WATER;
      if (pause) {
        paused = true;
      }
      first = pending;
      if (!first.isEmpty()) {
        waiter = firstWaiter;
        firstWaiter = null;
      }
    }
    if (waiter != null) {
      waiter.complete(Optional.of(first));
    }
    if (pause) {
      connection.reading(false);
    }
  }

  void end() {
    CompletableFuture<Optional<ByteString>> waiter;
    synchronized (this) {
      ended = true;
      waiter = firstWaiter;
      firstWaiter = null;
    }
    if (waiter != null) {
      waiter.complete(Optional.empty());
    }
    signal();
  }

  void fail(Throwable cause) {
    CompletableFuture<Optional<ByteString>> waiter;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      failure = cause;
      waiter = firstWaiter;
      firstWaiter = null;
    }
    if (waiter != null) {
      waiter.completeExceptionally(cause);
    }
    signal();
  }

  /**
   * The bytes read so far once there are any (left in place: the stream starts with them), empty when the body
   * ended without a byte, failed when it broke off before one. Completes on the event loop that read them.
   */
  CompletionStage<Optional<ByteString>> firstBytes() {
    synchronized (this) {
      if (!pending.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.of(pending));
      }
      if (ended) {
        return failure != null ? CompletableFuture.failedFuture(failure)
            : CompletableFuture.completedFuture(Optional.empty());
      }
      if (firstWaiter == null) {
        firstWaiter = new CompletableFuture<>();
      }
      return firstWaiter;
    }
  }

  /** Tells a running stream that there is something to take (at most one message until it takes). */
  void signal() {
    AsyncCallback<Boolean> w;
    synchronized (this) {
      if (wake == null || wakeSent || (pending.isEmpty() && !ended)) {
        return;
      }
      wakeSent = true;
      w = wake;
    }
    w.invoke(Boolean.TRUE);
  }

  /** The answer is not passed on: stops reading and gives up the connection, unless the body already ended. */
  void abandon() {
    if (!ended()) {
      connection.abandon();
    }
  }

  synchronized boolean ended() {
    return ended;
  }

  // ---- the stream's side

  private record Taken(ByteString bytes, boolean ended, Throwable failure, boolean resume) {}

  private Taken take() {
    synchronized (this) {
      wakeSent = false;
      ByteString bytes = pending;
      pending = ByteString.emptyByteString();
      boolean resume = paused && !ended;
      paused = false;
      return new Taken(bytes, ended, failure, resume);
    }
  }

  @Override
  public SourceShape<ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    boolean again;
    synchronized (this) {
      again = materialized;
      materialized = true;
    }
    if (again) {
      return new GraphStageLogic(shape) {
        {
          setHandler(out, new AbstractOutHandler() {
            @Override
            public void onPull() {}
          });
        }

        @Override
        public void preStart() {
          failStage(new IllegalStateException("an upstream body can be read once"));
        }
      };
    }
    return new GraphStageLogic(shape) {
      private boolean finished;
      /** A failure seen together with bytes still to push: failed after the push. */
      private Throwable failAfterPush;

      @Override
      public void preStart() {
        AsyncCallback<Boolean> callback = createAsyncCallback(ignored -> deliver());
        synchronized (ResponseBody.this) {
          wake = callback;
        }
        deliver();
      }

      private void deliver() {
        if (finished || !isAvailable(out)) {
          return;
        }
        if (failAfterPush != null) {
          terminate(failAfterPush);
          return;
        }
        Taken t = take();
        if (t.resume()) {
          connection.reading(true);
        }
        if (!t.bytes().isEmpty()) {
          push(out, t.bytes());
          if (t.ended() && t.failure() == null) {
            // The last bytes and the end together (as Source.single does): delivered in this order.
            terminate(null);
          } else if (t.ended()) {
            failAfterPush = t.failure();
          }
        } else if (t.ended()) {
          terminate(t.failure());
        }
      }

      private void terminate(Throwable cause) {
        finished = true;
        if (cause != null) {
          failStage(cause);
        } else {
          completeStage();
        }
      }

      {
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            deliver();
          }

          @Override
          public void onDownstreamFinish(Throwable cause) throws Exception {
            finished = true;
            if (!ended()) {
              connection.abandon();
            }
            super.onDownstreamFinish(cause);
          }
        });
      }

      @Override
      public void postStop() {
        if (!finished && !ended()) {
          connection.abandon();
        }
      }
    };
  }
}
