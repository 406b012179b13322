package dev.relaycluster.relay;

import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.account.AccountEntity;
import dev.relaycluster.apikey.RequestFacts;
import dev.relaycluster.cluster.NodeDrain;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.dialect.SocketFrames;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.util.TimeOrderedIds;
import dev.relaycluster.upstream.Platform;
import dev.relaycluster.usage.RequestOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket pinned to one account and one upstream socket (a {@link SocketLeg}). Client frames are
 * read by the dialect's {@link SocketFrames}: a turn (Responses {@code response.create}) is admitted by
 * the key like an HTTP request, leases the pinned account, goes up unchanged, and is settled once when the
 * dialect's usage tap sees its final event or error (or the socket ends mid-turn, then marked incomplete);
 * acknowledgements go up as they are; anything else gets an error frame and the socket is closed. Upstream
 * frames come back unchanged. One turn at a time; a draining node closes the socket between turns.
 *
 * <p>A turn whose upstream answers an error before any output may move to a new upstream socket on the
 * next account, which the client's socket is pinned to from then on: see {@link SocketTurnStep} for when.
 */
final class SocketConversation {
  private static final Logger log = LoggerFactory.getLogger(SocketConversation.class);
  private static final TimeOrderedIds IDS = TimeOrderedIds.systemClock();
  private static final Duration DRAIN_CHECK = Duration.ofSeconds(1);

  /** What every conversation on a node shares. */
  record Services(ActorSystem<?> system, RelayFlow flow, AccountChoice choice, UsageRecords usageRecords,
      RelaySettings settings) {}

  /** Opens an upstream socket on the account after {@code attempt} (SocketRelay's failover). */
  interface Reconnect {
    CompletionStage<SocketConnection> failOver(Attempt attempt, UpstreamRefusal refusal, SocketConversation conversation);
  }

  private final Services services;
  private final RelayCall handshake;
  private final SocketFrames frames;
  private final Function<RelayCall, RequestFacts> facts;
  private final Reconnect reconnect;
  private final Materializer materializer;
  private final NodeDrain drain;
  private final SocketOutlets out;
  private SocketLeg leg;
  private SocketTurn turn;
  private CompletableFuture<Done> turnEnded = CompletableFuture.completedFuture(Done.getInstance());
  private boolean closed;
  private Cancellable drainCheck;

  SocketConversation(Services services, RelayCall handshake, SocketFrames frames,
      Function<RelayCall, RequestFacts> facts, Reconnect reconnect) {
    this.services = services;
    this.handshake = handshake;
    this.frames = frames;
    this.facts = facts;
    this.reconnect = reconnect;
    this.materializer = Materializer.matFromSystem(services.system());
    this.drain = NodeDrain.get(services.system());
    this.out = new SocketOutlets(materializer);
  }

  /** A leg on {@code account}, not yet open. */
  SocketLeg leg(AccountDefinition account, Platform platform) {
    return new SocketLeg(account, platform, materializer);
  }

  /** The first leg is open: the client's socket is served from it. */
  void attach(SocketLeg first) {
    synchronized (this) {
      leg = first;
    }
    out.leg(first);
  }

  /** No upstream socket could be opened: nothing was relayed; free what was made for it. */
  void abandon() {
    out.complete();
  }

  /** The flow that serves the client's socket once the upstream socket is open. */
  Flow<Message, Message, NotUsed> clientFlow() {
    long maxFrame = services.settings().http().maxBodySize();
    long timeout = services.settings().upstream().bodyTimeout().toMillis();
    Sink<Message, NotUsed> fromClient = Flow.<Message>create()
        .mapAsync(1, m -> SocketText.strict(m, timeout, maxFrame, materializer))
        .mapAsync(1, this::onClientFrame)
        .watchTermination((mat, done) -> {
          done.whenComplete((d, failure) -> onEnd(false));
          return mat;
        })
        .to(Sink.ignore());
    Source<Message, NotUsed> toClient = out.toClient(l -> l.frames()
        .mapAsync(1, m -> SocketText.strict(m, timeout, Long.MAX_VALUE, materializer))
        .mapConcat(frame -> onUpstreamFrame(l, frame))
        .watchTermination((mat, done) -> {
          done.whenComplete((d, failure) -> onLegEnd(l));
          return mat;
        }), () -> onEnd(true));
    drainCheck = services.system().scheduler().scheduleWithFixedDelay(DRAIN_CHECK, DRAIN_CHECK, () -> {
      if (drain.draining()) {
        closeIfIdle();
      }
    }, services.system().executionContext());
    return Flow.fromSinkAndSourceCoupled(fromClient, toClient);
  }

  private CompletionStage<Done> onClientFrame(ByteString frame) {
    byte[] bytes = frame.toArray();
    SocketFrames.Frame kind = frames.classify(bytes);
    switch (kind.kind()) {
      case FORWARD -> {
        SocketLeg current;
        synchronized (this) {
          current = leg;
        }
        return current.toUpstream.offer(TextMessage.create(frame.utf8String())).thenApply(r -> Done.getInstance());
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
    RelayCall call;
    try {
      call = SocketTurn.call(IDS.next().toString(), handshake, frame);
    } catch (InvalidRequestException e) {
      sendOwn(frames.errorFrame(ErrorKind.INVALID_REQUEST, e.getMessage()));
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    boolean replayable = frames.replayable(bytes);
    return services.flow().admit(call, facts.apply(call)).thenCompose(admitted -> {
      if (admitted.refused() != null) {
        RelayAnswer.Refused refused = admitted.refused();
        sendOwn(frames.errorFrame(refused.kind(), refused.message()));
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      Settlement settlement = admitted.settlement();
      SocketLeg pinned;
      synchronized (this) {
        pinned = leg;
      }
      SocketTurn t = new SocketTurn(call, settlement, replayable, pinned);
      return services.choice().acquire(pinned.account.id(), t.attempt.accountLease(), null)
          .thenCompose(acquired -> leased(t, acquired) ? send(t) : CompletableFuture.completedFuture(Done.getInstance()));
    });
  }

  /** The turn's lease on its leg's account: true when granted; else the turn is refused and settled. */
  private boolean leased(SocketTurn t, AccountEntity.AcquireReply acquired) {
    String accountId = t.leg.account.id();
    if (acquired instanceof AccountEntity.Unavailable unavailable) {
      t.settleUnserved(services.usageRecords());
      sendOwn(frames.errorFrame(ErrorKind.OVERLOADED, "the account this connection is pinned to cannot "
          + "take a request now (" + unavailable.reason() + "); reconnect"));
      return false;
    }
    t.settlement.accountAcquired(services.choice().ref(accountId), ((AccountEntity.Granted) acquired).leaseId());
    return true;
  }

  /** The turn becomes the one in flight and its frame goes up on its leg. */
  private CompletionStage<Done> send(SocketTurn t) {
    synchronized (this) {
      if (closed) {
        t.settle(services.usageRecords(), RequestOutcome.CLIENT_DISCONNECTED);
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      turn = t;
      if (turnEnded.isDone()) {
        turnEnded = new CompletableFuture<>();
      }
    }
    return t.leg.toUpstream.offer(TextMessage.create(t.call.body().utf8String())).thenApply(r -> Done.getInstance());
  }

  private List<Message> onUpstreamFrame(SocketLeg from, ByteString frame) {
    Message message = TextMessage.create(frame.utf8String());
    SocketTurn ended = null;
    SocketTurn failing = null;
    AnswerVerdict verdict = null;
    List<Message> passed = List.of();
    synchronized (this) {
      if (from != leg || from.leaving) {
        return List.of(); // a retired leg's last frames, or what follows the error of a turn that fails over
      }
      SocketTurn t = turn;
      if (t == null) {
        return List.of(message);
      }
      SocketTurnStep step = t.observe(frame.toArray(), frames);
      if (step == SocketTurnStep.HOLD) {
        t.held.add(message);
        return List.of();
      }
      if (step == SocketTurnStep.FAIL_OVER) {
        from.leaving = true;
        failing = t;
        verdict = t.verdict;
      } else {
        passed = t.passOn(message);
        if (t.ended()) {
          ended = t;
          turn = null;
        }
      }
    }
    if (failing != null) {
      failOver(failing, verdict, frame.toArray());
    } else if (ended != null) {
      endTurn(ended);
    }
    return passed;
  }

  /** Tells the account, and moves the turn to the next account's upstream socket if one can be had. */
  private void failOver(SocketTurn t, AnswerVerdict verdict, byte[] errorFrame) {
    SocketLeg from = t.leg;
    String accountId = from.account.id();
    services.choice().reportFailover(accountId, from.platform, verdict, t.call.request().model());
    t.settlement.releaseAccount();
    log.info("socket turn {}: account {} answered {} before any output; failing over", t.call.requestId(),
        accountId, t.tap.errorType());
    UpstreamRefusal refusal = new UpstreamRefusal(accountId, verdict.status(), t.tap.errorType(),
        new RelayAnswer.Refused(ErrorKind.OVERLOADED, t.tap.errorType()), false);
    reconnect.failOver(t.attempt, refusal, this).whenComplete((connection, failure) -> {
      if (failure != null) {
        log.error("socket turn {} could not fail over", t.call.requestId(), failure);
      }
      if (connection instanceof SocketConnection.Connected connected) {
        resume(t, connected);
      } else {
        passOn(t, errorFrame);
      }
    });
  }

  /** The turn goes up again on the new leg, which the client's socket is pinned to from now on. */
  private void resume(SocketTurn t, SocketConnection.Connected connected) {
    SocketLeg from = t.leg;
    SocketLeg to = connected.leg();
    synchronized (this) {
      if (closed || turn != t) {
        to.retire(); // the client left while the new socket was opened
        if (connected.leaseId() != null) {
          services.choice().ref(to.account.id()).tell(new AccountEntity.Release(connected.leaseId()));
        }
        return;
      }
      leg = to;
      t.leg = to;
      t.attempt = connected.attempt();
      t.tap = t.call.dialect().newTap();
      t.held.clear();
      t.firstFrameNanos = 0;
    }
    from.retire();
    out.leg(to);
    CompletionStage<AccountEntity.AcquireReply> lease = connected.leaseId() != null
        ? CompletableFuture.completedFuture(new AccountEntity.Granted(connected.leaseId(), to.account, 0))
        : services.choice().acquire(to.account.id(), t.attempt.accountLease(), null);
    lease.thenAccept(acquired -> {
      if (leased(t, acquired)) {
        to.toUpstream.offer(TextMessage.create(t.call.body().utf8String()));
      } else {
        synchronized (this) {
          if (turn == t) {
            turn = null;
          }
        }
        turnEnded.complete(Done.getInstance());
      }
    });
  }

  /** No other account: the client gets upstream's frames as they came, and the socket stays on its account if it can. */
  private void passOn(SocketTurn t, byte[] errorFrame) {
    boolean gone;
    List<Message> held;
    synchronized (this) {
      t.leg.leaving = false;
      gone = t.leg.ended;
      if (turn != t) {
        return;
      }
      turn = null;
      held = List.copyOf(t.held);
      t.held.clear();
    }
    held.forEach(out::own);
    sendOwn(errorFrame);
    t.settle(services.usageRecords(), RequestOutcome.UPSTREAM_ERROR);
    turnEnded.complete(Done.getInstance());
    if (gone) {
      close();
    }
  }

  private void endTurn(SocketTurn t) {
    services.choice().reportStreamError(t.leg.account.id(), t.leg.platform, t.tap, t.call.request().model());
    t.settle(services.usageRecords(), t.tap.sawEnd() ? RequestOutcome.COMPLETED : RequestOutcome.UPSTREAM_ERROR);
    CompletableFuture<Done> ended;
    synchronized (this) {
      ended = turnEnded;
    }
    ended.complete(Done.getInstance());
    if (drain.draining()) {
      closeIfIdle();
    }
  }

  /** A leg's upstream ended: the end of the client's socket too, unless the leg was retired or is failing over. */
  private void onLegEnd(SocketLeg ended) {
    synchronized (this) {
      ended.ended = true;
      if (ended != leg || ended.leaving) {
        return;
      }
    }
    onEnd(true);
  }

  /** Either side ended: a turn in flight is settled with what was seen, and the other side is closed. */
  private void onEnd(boolean upstreamEnded) {
    SocketTurn open;
    synchronized (this) {
      open = turn;
      if (upstreamEnded && open != null && open.leg.leaving) {
        return; // the turn is failing over; its old upstream's end is expected
      }
      turn = null;
    }
    if (open != null) {
      log.info("socket of request {}: the {} closed during a response", open.call.requestId(),
          upstreamEnded ? "upstream" : "client");
      if (upstreamEnded) {
        sendOwn(frames.errorFrame(ErrorKind.BAD_GATEWAY, "upstream closed the connection during a response"));
      }
      open.settle(services.usageRecords(), upstreamEnded ? RequestOutcome.UPSTREAM_FAILED : RequestOutcome.CLIENT_DISCONNECTED);
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
    SocketLeg current;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      current = leg;
    }
    if (drainCheck != null) {
      drainCheck.cancel();
    }
    if (current != null) {
      current.toUpstream.complete();
    }
    out.complete();
  }

  private void sendOwn(byte[] frame) {
    out.own(TextMessage.create(new String(frame, StandardCharsets.UTF_8)));
  }
}
