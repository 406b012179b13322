package dev.relaycluster.relay;

import dev.relaycluster.account.AccountDefinition;
import dev.relaycluster.upstream.Platform;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.reactivestreams.Publisher;

/**
 * One upstream socket of a client's socket: the account it is open on, the queue of frames going up, and
 * upstream's frames coming back. A client socket has one leg at a time; a turn that fails over opens a
 * new leg on another account and retires the old one. Guarded by its conversation's lock.
 */
final class SocketLeg {
  final AccountDefinition account;
  final Platform platform;
  final SourceQueueWithComplete<Message> toUpstream;
  private final Source<Message, NotUsed> toUpstreamSource;
  private final Publisher<Message> fromUpstream;
  private final Sink<Message, NotUsed> fromUpstreamSink;
  private final SharedKillSwitch retire;
  /** A turn on this leg is failing over: the leg's end is not the end of the client's socket. */
  boolean leaving;
  /** Upstream's side of this leg has ended. */
  boolean ended;

  SocketLeg(AccountDefinition account, Platform platform, Materializer materializer) {
    this.account = account;
    this.platform = platform;
    Pair<SourceQueueWithComplete<Message>, Source<Message, NotUsed>> up =
        Source.<Message>queue(64, OverflowStrategy.backpressure()).preMaterialize(materializer);
    this.toUpstream = up.first();
    this.toUpstreamSource = up.second();
    Pair<Publisher<Message>, Sink<Message, NotUsed>> down =
        Sink.<Message>asPublisher(AsPublisher.WITHOUT_FANOUT).preMaterialize(materializer);
    this.fromUpstream = down.first();
    this.fromUpstreamSink = down.second();
    this.retire = KillSwitches.shared("socket-leg-" + account.id());
  }

  /** The client side of the upstream socket: what goes up, and where upstream's frames go. */
  Flow<Message, Message, NotUsed> upstreamFlow() {
    return Flow.fromSinkAndSourceCoupled(fromUpstreamSink, toUpstreamSource);
  }

  /** Upstream's frames, until upstream ends or the leg is retired. */
  Source<Message, NotUsed> frames() {
    return Source.fromPublisher(fromUpstream).via(retire.<Message>flow());
  }

  /** Closes the upstream socket; its frames stop at once. */
  void retire() {
    toUpstream.complete();
    retire.shutdown();
  }

  /** The handshake failed: nothing was relayed. */
  void abandon() {
    toUpstream.complete();
  }
}
