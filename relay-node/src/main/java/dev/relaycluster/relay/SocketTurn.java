package dev.relaycluster.relay;

import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.dialect.InvalidRequestException;
import dev.relaycluster.protocol.dialect.RequestView;
import dev.relaycluster.protocol.dialect.SocketFrames;
import dev.relaycluster.protocol.dialect.UsageTap;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.usage.RequestOutcome;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.util.ByteString;

/**
 * A turn of a client's socket in flight: its call and settlement, whether its frame may be sent again on
 * another upstream socket, the leg and attempt it is on, its tap, the frames held back until its first
 * output, and when its first frame came back. Guarded by its conversation's lock.
 */
final class SocketTurn {
  final RelayCall call;
  final Settlement settlement;
  final boolean replayable;
  final List<Message> held = new ArrayList<>();
  UsageTap tap;
  Attempt attempt;
  SocketLeg leg;
  boolean passedOn;
  long firstFrameNanos;
  /** The platform's verdict on the error that ends the turn before any output, when there is one. */
  AnswerVerdict verdict;

  SocketTurn(RelayCall call, Settlement settlement, boolean replayable, SocketLeg leg) {
    this.call = call;
    this.settlement = settlement;
    this.replayable = replayable;
    this.tap = call.dialect().newTap();
    this.attempt = Attempt.first(call, settlement, RouteTrace.OFF);
    this.leg = leg;
  }

  /** Reads one upstream frame of the turn into its tap: what the conversation does with it. */
  SocketTurnStep observe(byte[] frame, SocketFrames frames) {
    if (firstFrameNanos == 0) {
      firstFrameNanos = System.nanoTime();
    }
    tap.onEventJson(frame);
    boolean end = ended();
    verdict = !passedOn && tap.errorType() != null && replayable
        ? leg.platform.classifyStreamError(tap.errorType(), tap.errorJson(), System.currentTimeMillis()) : null;
    return SocketTurnStep.of(passedOn, end, !passedOn && !end && frames.announcesOnly(frame), replayable, verdict);
  }

  /** Whether the tap saw the turn's final event or its error. */
  boolean ended() {
    return tap.sawEnd() || tap.errorType() != null;
  }

  /** The frames held back so far and this one, in order: the turn has reached the client. */
  List<Message> passOn(Message message) {
    passedOn = true;
    List<Message> out = new ArrayList<>(held);
    out.add(message);
    held.clear();
    return out;
  }

  /** Settles the turn once with what its tap saw, on its leg's account. */
  void settle(UsageRecords records, RequestOutcome outcome) {
    boolean clean = outcome == RequestOutcome.COMPLETED || outcome == RequestOutcome.CLIENT_DISCONNECTED;
    String errorType = tap.errorType() != null ? tap.errorType()
        : clean ? null : call.dialect().errorType(ErrorKind.API_ERROR);
    AccountDefinition account = leg.account;
    settlement.settle(records.record(call, account.id(), attempt.number(), tap.model(), tap.usage(), clean ? 200 : 502,
        outcome, errorType, firstFrameNanos, 0, account.priceMultiplier()));
  }

  /** Settles a turn its leg's account could not take (no lease). */
  void settleUnserved(UsageRecords records) {
    settlement.settle(records.record(call, leg.account.id(), attempt.number(), null, TokenUsage.ZERO, 503,
        RequestOutcome.NO_ACCOUNT, call.dialect().errorType(ErrorKind.OVERLOADED), 0));
  }

  /**
   * The call of a turn: the socket's handshake with the turn frame as its body, and the frame's view.
   *
   * @throws InvalidRequestException when the dialect cannot read the frame as a request
   */
  static RelayCall call(String requestId, RelayCall handshake, ByteString frame) {
    RequestView view = handshake.dialect().read(handshake.endpoint(), frame.toArray(),
        name -> handshake.headers().stream().filter(h -> h.lowercaseName().equals(name)).map(h -> h.value())
            .findFirst().orElse(null), handshake.key().id());
    return new RelayCall(requestId, handshake.key(), handshake.dialect(), handshake.pool(),
        handshake.endpoint(), handshake.rawQuery(), handshake.headers(), ContentTypes.APPLICATION_JSON, frame,
        view.sessionKey().isPresent() ? view : new RequestView(view.model(), view.stream(), view.maxTokens(),
            view.generates(), handshake.request().sessionKey()),
        handshake.userAgent(), System.currentTimeMillis(), System.nanoTime());
  }
}
