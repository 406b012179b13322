package dev.relaycluster.relay;

import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.sse.SseFormatException;
import dev.relaycluster.upstream.IncompleteAnswerException;
import java.util.function.Function;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Passes an upstream SSE body to the client chunk by chunk, unchanged, while the dialect's usage tap reads it.
 * Reports exactly once how the stream ended: completed, upstream failed (then a final SSE error event
 * is sent, never a silent clean end; a clean end before the dialect's final event counts as failed), or the
 * client went away (upstream is cancelled).
 */
public final class UsageTapStage extends GraphStage<FlowShape<ByteString, ByteString>> {

  /** Told once, when the stream ends, with the time the first chunk passed (nanoTime, 0 if none). */
  public interface Listener {
    void ended(StreamEnd end, long firstChunkNanos, Throwable failure);

    /** Told when the stage starts running, i.e. the client's response is being written. */
    default void started() {}
  }

  private final Inlet<ByteString> in = Inlet.create("UsageTap.in");
  private final Outlet<ByteString> out = Outlet.create("UsageTap.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final UsageTap tap;
  private final Function<Throwable, ByteString> errorEvent;
  private final Listener listener;

  public UsageTapStage(UsageTap tap, Function<Throwable, ByteString> errorEvent, Listener listener) {
    this.tap = tap;
    this.errorEvent = errorEvent;
    this.listener = listener;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private long firstChunkNanos;
      private boolean reported;
      private boolean tapping = true;

      private void report(StreamEnd end, Throwable failure) {
        if (!reported) {
          reported = true;
          listener.ended(end, firstChunkNanos, failure);
        }
      }

      @Override
      public void preStart() {
        listener.started();
      }

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString chunk = grab(in);
            if (firstChunkNanos == 0) {
              firstChunkNanos = System.nanoTime();
            }
            if (tapping) {
              try {
                TapBytes.feed(tap, chunk);
              } catch (SseFormatException e) {
                // An absurd line stops the usage reading, never the client's bytes.
                tapping = false;
              }
            }
            push(out, chunk);
          }

          @Override
          public void onUpstreamFinish() {
            if (tapping && !tap.sawEnd() && tap.errorType() == null) {
              // A clean end without the final event (message_stop, response.completed, finishReason) is a
              // cut answer: the client gets the dialect's error event, the ledger an incomplete request.
              onUpstreamFailure(new IncompleteAnswerException());
              return;
            }
            report(StreamEnd.COMPLETED, null);
            completeStage();
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            report(StreamEnd.UPSTREAM_FAILED, ex);
            ByteString tail = errorEvent.apply(ex);
            if (!tap.atEventBoundary()) {
              tail = ByteString.fromString("\n\n").concat(tail);
            }
            emit(out, tail, () -> completeStage());
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(in);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) throws Exception {
            report(StreamEnd.CLIENT_CANCELLED, null);
            super.onDownstreamFinish(cause);
          }
        });
      }

      @Override
      public void postStop() {
        report(StreamEnd.CLIENT_CANCELLED, null);
      }
    };
  }
}
