package dev.relaycluster.http;

import dev.relaycluster.config.ConnectionSettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's guard, between pekko-http's server layer and the routes; pekko-http runs one per
 * connection from the moment it accepts it. It closes the connection when a request head is not complete in
 * time (from the connection's start {@code header-timeout}, from the end of the previous answer
 * {@code keep-alive-timeout}; never while a request is in the routes or its answer is still being sent),
 * bounds the pauses of each request body ({@code body-idle-timeout}, then 408 and close), and counts the
 * node's open connections: a connection accepted beyond the API cap serves only {@code /health} and the
 * admin while the node stays over its cap, and answers API calls 503 with {@code retry-after}.
 */
final class ConnectionGuard extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final String WAIT_FOR_HEAD = "wait-for-head";
  private static final int SWITCHING_PROTOCOLS = 101;

  private final Inlet<HttpRequest> fromClient = Inlet.create("ConnectionGuard.fromClient");
  private final Outlet<HttpRequest> toRoutes = Outlet.create("ConnectionGuard.toRoutes");
  private final Inlet<HttpResponse> fromRoutes = Inlet.create("ConnectionGuard.fromRoutes");
  private final Outlet<HttpResponse> toClient = Outlet.create("ConnectionGuard.toClient");
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
      BidiShape.of(fromClient, toRoutes, fromRoutes, toClient);

  private final ConnectionSettings settings;
  private final ConnectionCap cap;
  private final AtomicInteger open;

  private ConnectionGuard(ConnectionSettings settings, ConnectionCap cap, AtomicInteger open) {
    this.settings = settings;
    this.cap = cap;
    this.open = open;
  }

  /** {@code routes} behind a guard per connection; {@code open} counts the connections open now. */
  static Flow<HttpRequest, HttpResponse, NotUsed> around(Flow<HttpRequest, HttpResponse, NotUsed> routes,
      ConnectionSettings settings, ConnectionCap cap, AtomicInteger open) {
    return BidiFlow.fromGraph(new ConnectionGuard(settings, cap, open)).join(routes);
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  /** A request passed to the routes whose answer has not come back, and whether its body stalled. */
  private record Asked(HttpRequest request, AtomicBoolean stalled) {}

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      /** Accepted while the node held its cap of API connections. */
      private boolean overCap;
      /** Requests passed to the routes whose answer has not been sent to its end. */
      private int unfinished;
      private boolean switchedProtocol;
      private final ArrayDeque<Asked> asked = new ArrayDeque<>();
      private AsyncCallback<Done> answerEnded;
      /** Set when the connection is gone: an answer body ending after that need not wake it. */
      private final AtomicBoolean stopped = new AtomicBoolean();
      /** When the next request head is due; one timer per connection, not one per request. */
      private final HeadDeadline head = new HeadDeadline();

      {
        setHandler(fromClient, new AbstractInHandler() {
          @Override
          public void onPush() {
            onRequest(grab(fromClient));
          }

          @Override
          public void onUpstreamFinish() {
            cancelTimer(WAIT_FOR_HEAD);
            head.disarmed();
            complete(toRoutes);
          }
        });
        setHandler(toRoutes, new AbstractOutHandler() {
          @Override
          public void onPull() {
            if (!hasBeenPulled(fromClient) && !isClosed(fromClient)) {
              pull(fromClient);
            }
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(fromClient);
          }
        });
        setHandler(fromRoutes, new AbstractInHandler() {
          @Override
          public void onPush() {
            onAnswer(grab(fromRoutes));
          }
        });
        setHandler(toClient, new AbstractOutHandler() {
          @Override
          public void onPull() {
            if (!hasBeenPulled(fromRoutes) && !isClosed(fromRoutes)) {
              pull(fromRoutes);
            }
          }
        });
      }

      @Override
      public void preStart() {
        overCap = open.incrementAndGet() > cap.api();
        answerEnded = createAsyncCallback(done -> onAnswerEnded());
        awaitHead(settings.headerTimeout());
      }

      private void awaitHead(Duration timeout) {
        arm(head.await(System.nanoTime(), timeout.toNanos()));
      }

      private void arm(long delayNanos) {
        if (delayNanos >= 0) {
          scheduleOnce(WAIT_FOR_HEAD, Duration.ofNanos(delayNanos));
        }
      }

      @Override
      public void postStop() {
        stopped.set(true);
        open.decrementAndGet();
      }

      private void onRequest(HttpRequest request) {
        head.arrived();
        if (overCap && asked.isEmpty() && open.get() > cap.api()
            && !GuardAnswers.reservedPath(request.getUri().path())) {
          request.discardEntityBytes(materializer());
          emit(toClient, GuardAnswers.overCap(request, cap.api()), () -> completeStage());
          return;
        }
        AtomicBoolean stalled = new AtomicBoolean();
        asked.add(new Asked(request, stalled));
        unfinished++;
        push(toRoutes, request.withEntity(
            GuardedEntities.bodyIdleBounded(request.entity(), settings.bodyIdleTimeout(), stalled)));
      }

      private void onAnswer(HttpResponse answer) {
        Asked request = asked.poll();
        if (request != null && request.stalled().get()) {
          // The routes answered the failed read in their own words (a 400, a 503): the client stalled.
          answer.discardEntityBytes(materializer());
          answer = GuardAnswers.bodyStalled(request.request(), settings.bodyIdleTimeout().toSeconds());
          log.debug("a request body stalled for {}: answered 408 and closing the connection",
              settings.bodyIdleTimeout());
        }
        if (answer.status().intValue() == SWITCHING_PROTOCOLS) {
          // A WebSocket now owns the connection; no request head follows.
          switchedProtocol = true;
          push(toClient, answer);
        } else if (answer.entity().isStrict()) {
          push(toClient, answer);
          onAnswerEnded();
        } else {
          push(toClient, answer.withEntity(
              GuardedEntities.withEnd(answer.entity(), () -> {
                if (!stopped.get()) {
                  answerEnded.invoke(Done.getInstance());
                }
              })));
        }
      }

      private void onAnswerEnded() {
        unfinished--;
        if (unfinished == 0 && !switchedProtocol && !isClosed(fromClient)) {
          awaitHead(settings.keepAliveTimeout());
        }
      }

      @Override
      public void onTimer(Object key) {
        long next = head.fired(System.nanoTime());
        if (next != HeadDeadline.CLOSE) {
          arm(next);
          return;
        }
        // pekko-http closes the connection once both sides of the routes have ended.
        log.debug("closing a client connection: its request head was not complete in time");
        completeStage();
      }
    };
  }
}
