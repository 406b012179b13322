package dev.relaycluster.relay;

import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.apikey.RequestFacts;
import dev.relaycluster.cluster.NodeDrain;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.dialect.SocketFrames;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.TimeOrderedIds;
import dev.relaycluster.upstream.Platform;
import dev.relaycluster.usage.RequestOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket pinned to one account and one upstream socket. Client frames are read by the
 * dialect's {@link SocketFrames}: a turn (Responses {@code response.create}) is admitted by the key like
 * an HTTP request, leases the pinned account, goes up unchanged, and is settled once when the dialect's
 * usage tap sees its final event or error (or the socket ends mid-turn, then marked incomplete);
 * acknowledgements go up as they are; anything else gets an error frame and the socket is closed. Upstream
 * frames come back unchanged. One turn at a time; a draining node closes the socket between turns.
 */
final class SocketConversation {
  private static final Logger log = LoggerFactory.getLogger(SocketConversation.class);
  private static final TimeOrderedIds IDS = TimeOrderedIds.systemClock();
  private static final Duration DRAIN_CHECK = Duration.ofSeconds(1);

  /** What every conversation on a node shares. */
  record Services(ActorSystem<?> system, RelayFlow flow, AccountChoice choice, UsageRecords usageRecords,
      RelaySettings settings) {}

  /** A turn in flight: its call, settlement, tap, and when its first frame came back. */
  private static final class Turn {
    final RelayCall call;
    final Settlement settlement;
    final UsageTap tap;
    long firstFrameNanos;

    Turn(RelayCall call, Settlement settlement, UsageTap tap) {
      this.call = call;
      this.settlement = settlement;
      this.tap = tap;
    }
  }

  private final Services services;
  private final RelayCall handshake;
  private final SocketFrames frames;
  private final Function<RelayCall, RequestFacts> facts;
  private final AccountDefinition account;
  private final Platform platform;
  private final Materializer materializer;
  private final NodeDrain drain;
  /** Frames to upstream, and frames the relay itself sends the client (errors). */
  private final SourceQueueWithComplete<Message> toUpstream;
  private final Source<Message, NotUsed> toUpstreamSource;
  private final SourceQueueWithComplete<Message> ownFrames;
  private final Source<Message, NotUsed> ownFramesSource;
  private final Publisher<Message> fromUpstream;
  private final Sink<Message, NotUsed> fromUpstreamSink;
  private Turn turn;
  private CompletableFuture<Done> turnEnded = CompletableFuture.completedFuture(Done.getInstance());
  private boolean closed;
  private Cancellable drainCheck;

  SocketConversation(Services services, RelayCall handshake, SocketFrames frames,
      Function<RelayCall, RequestFacts> facts, AccountDefinition account, Platform platform) {
    this.services = services;
    this.handshake = handshake;
    this.frames = frames;
    this.facts = facts;
    this.account = account;
    this.platform = platform;
    this.materializer = Materializer.matFromSystem(services.system());
    this.drain = NodeDrain.get(services.system());
    Pair<SourceQueueWithComplete<Message>, Source<Message, NotUsed>> up =
        Source.<Message>queue(64, OverflowStrategy.backpressure()).preMaterialize(materializer);
    this.toUpstream = up.first();
    this.toUpstreamSource = up.second();
    Pair<SourceQueueWithComplete<Message>, Source<Message, NotUsed>> own =
        Source.<Message>queue(16, OverflowStrategy.dropNew()).preMaterialize(materializer);
    this.ownFrames = own.first();
    this.ownFramesSource = own.second();
    Pair<Publisher<Message>, Sink<Message, NotUsed>> down =
        Sink.<Message>asPublisher(AsPublisher.WITHOUT_FANOUT).preMaterialize(materializer);
    this.fromUpstream = down.first();
    this.fromUpstreamSink = down.second();
  }

  /** The client side of the upstream socket: what goes up, and where upstream's frames go. */
  Flow<Message, Message, NotUsed> upstreamFlow() {
    return Flow.fromSinkAndSourceCoupled(fromUpstreamSink, toUpstreamSource);
  }

  /** The handshake failed: nothing was relayed; free what was made for it. */
  void abandon() {
    toUpstream.complete();
    ownFrames.complete();
  }

  /** The flow that serves the client's socket once the upstream socket is open. */
  Flow<Message, Message, NotUsed> clientFlow() {
    long maxFrame = services.settings().http().maxBodySize();
    long timeout = services.settings().upstream().bodyTimeout().toMillis();
    Sink<Message, NotUsed> fromClient = Flow.<Message>create()
        .mapAsync(1, m -> strictText(m, timeout, maxFrame))
        .mapAsync(1, this::onClientFrame)
        .watchTermination((mat, done) -> {
          done.whenComplete((d, failure) -> onEnd(false));
          return mat;
        })
        .to(Sink.ignore());
    Source<Message, NotUsed> toClient = Source.fromPublisher(fromUpstream)
        .mapAsync(1, m -> strictText(m, timeout, Long.MAX_VALUE))
        .map(this::onUpstreamFrame)
        .watchTermination((mat, done) -> {
          done.whenComplete((d, failure) -> onEnd(true));
          return mat;
        })
        .merge(ownFramesSource);
    drainCheck = services.system().scheduler().scheduleWithFixedDelay(DRAIN_CHECK, DRAIN_CHECK, () -> {
      if (drain.draining()) {
        closeIfIdle();
      }
    }, services.system().executionContext());
    return Flow.fromSinkAndSourceCoupled(fromClient, toClient);
  }

  private CompletionStage<ByteString> strictText(Message message, long timeoutMillis, long maxBytes) {
    if (!message.isText()) {
      // The protocol has text frames only: a binary one is read like text and refused as not JSON.
      return message.asBinaryMessage().toStrict(timeoutMillis, materializer).thenApply(b -> b.getStrictData());
    }
    TextMessage text = message.asTextMessage();
    if (text.isStrict()) {
      return CompletableFuture.completedFuture(ByteString.fromString(text.getStrictText()));
    }
    return text.getStreamedText().limitWeighted(maxBytes, s -> (long) s.length())
        .runFold(new StringBuilder(), StringBuilder::append, materializer)
        .thenApply(sb -> ByteString.fromString(sb.toString()));
  }

  private CompletionStage<Done> onClientFrame(ByteString frame) {
    byte[] bytes = frame.toArray();
    SocketFrames.Frame kind = frames.classify(bytes);
    switch (kind.kind()) {
      case FORWARD -> {
        return toUpstream.offer(TextMessage.create(frame.utf8String())).thenApply(r -> Done.getInstance());
      }
      case INVALID -> {
        sendOwn(frames.errorFrame(ErrorKind.INVALID_REQUEST, kind.reason()));
        close();
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      default -> {
        CompletableFuture<Done> previous;
        synchronized (this) {
          previous = turnEnded;
        }
        return previous.thenCompose(d -> startTurn(frame, bytes));
      }
    }
  }

  private CompletionStage<Done> startTurn(ByteString frame, byte[] bytes) {
    if (drain.draining()) {
      sendOwn(frames.errorFrame(ErrorKind.OVERLOADED, "this relay node is shutting down; reconnect"));
      close();
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    RequestView view;
    try {
      view = handshake.dialect().read(handshake.endpoint(), bytes,
          name -> handshake.headers().stream().filter(h -> h.lowercaseName().equals(name)).map(h -> h.value())
              .findFirst().orElse(null), handshake.key().id());
    } catch (InvalidRequestException e) {
      sendOwn(frames.errorFrame(ErrorKind.INVALID_REQUEST, e.getMessage()));
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    RelayCall call = new RelayCall(IDS.next().toString(), handshake.key(), handshake.dialect(), handshake.pool(),
        handshake.endpoint(), handshake.rawQuery(), handshake.headers(), ContentTypes.APPLICATION_JSON, frame,
        view.sessionKey().isPresent() ? view : new RequestView(view.model(), view.stream(), view.maxTokens(),
            view.generates(), handshake.request().sessionKey()),
        handshake.userAgent(), System.currentTimeMillis(), System.nanoTime());
    return services.flow().admit(call, facts.apply(call)).thenCompose(admitted -> {
      if (admitted.refused() != null) {
        RelayAnswer.Refused refused = admitted.refused();
        sendOwn(frames.errorFrame(refused.kind(), refused.message()));
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      Settlement settlement = admitted.settlement();
      var ref = services.choice().ref(account.id());
      String lease = call.requestId() + "/1";
      return services.choice().acquire(account.id(), lease)
          .thenCompose(acquired -> {
            if (acquired instanceof AccountEntity.Unavailable unavailable) {
              settlement.settle(services.usageRecords().record(call, account.id(), 1, null, TokenUsage.ZERO, 503,
                  RequestOutcome.NO_ACCOUNT, call.dialect().errorType(ErrorKind.OVERLOADED), 0));
              sendOwn(frames.errorFrame(ErrorKind.OVERLOADED, "the account this connection is pinned to cannot "
                  + "take a request now (" + unavailable.reason() + "); reconnect"));
              return CompletableFuture.completedFuture(Done.getInstance());
            }
            settlement.accountAcquired(ref, ((AccountEntity.Granted) acquired).leaseId());
            synchronized (this) {
              if (closed) {
                settle(new Turn(call, settlement, call.dialect().newTap()), RequestOutcome.CLIENT_DISCONNECTED);
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              turn = new Turn(call, settlement, call.dialect().newTap());
              turnEnded = new CompletableFuture<>();
            }
            return toUpstream.offer(TextMessage.create(frame.utf8String())).thenApply(r -> Done.getInstance());
          });
    });
  }

  private Message onUpstreamFrame(ByteString frame) {
    Turn ended = null;
    synchronized (this) {
      Turn t = turn;
      if (t != null) {
        if (t.firstFrameNanos == 0) {
          t.firstFrameNanos = System.nanoTime();
        }
        t.tap.onEventJson(frame.toArray());
        if (t.tap.sawEnd() || t.tap.errorType() != null) {
          ended = t;
          turn = null;
        }
      }
    }
    if (ended != null) {
      endTurn(ended);
    }
    return TextMessage.create(frame.utf8String());
  }

  private void endTurn(Turn t) {
    services.choice().reportStreamError(account.id(), platform, t.tap, t.call.request().model());
    settle(t, t.tap.sawEnd() ? RequestOutcome.COMPLETED : RequestOutcome.UPSTREAM_ERROR);
    CompletableFuture<Done> ended;
    synchronized (this) {
      ended = turnEnded;
    }
    ended.complete(Done.getInstance());
    if (drain.draining()) {
      closeIfIdle();
    }
  }

  private void settle(Turn t, RequestOutcome outcome) {
    String errorType = t.tap.errorType() != null ? t.tap.errorType()
        : outcome == RequestOutcome.COMPLETED || outcome == RequestOutcome.CLIENT_DISCONNECTED ? null
        : t.call.dialect().errorType(ErrorKind.API_ERROR);
    int status = outcome == RequestOutcome.COMPLETED || outcome == RequestOutcome.CLIENT_DISCONNECTED ? 200 : 502;
    t.settlement.settle(services.usageRecords().record(t.call, account.id(), 1, t.tap.model(), t.tap.usage(), status,
        outcome, errorType, t.firstFrameNanos, 0, account.priceMultiplier()));
  }

  /** Either side ended: a turn in flight is settled with what was seen, and the other side is closed. */
  private void onEnd(boolean upstreamEnded) {
    Turn open;
    synchronized (this) {
      open = turn;
      turn = null;
    }
    if (open != null) {
      log.info("socket of request {}: the {} closed during a response", open.call.requestId(),
          upstreamEnded ? "upstream" : "client");
      if (upstreamEnded) {
        sendOwn(frames.errorFrame(ErrorKind.BAD_GATEWAY, "upstream closed the connection during a response"));
      }
      settle(open, upstreamEnded ? RequestOutcome.UPSTREAM_FAILED : RequestOutcome.CLIENT_DISCONNECTED);
      turnEnded.complete(Done.getInstance());
    }
    close();
  }

  private void closeIfIdle() {
    synchronized (this) {
      if (turn != null) {
        return;
      }
    }
    close();
  }

  private void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (drainCheck != null) {
      drainCheck.cancel();
    }
    toUpstream.complete();
    ownFrames.complete();
  }

  private void sendOwn(byte[] frame) {
    ownFrames.offer(TextMessage.create(new String(frame, StandardCharsets.UTF_8)));
  }
}
