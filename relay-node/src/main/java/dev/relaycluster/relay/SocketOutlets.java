package dev.relaycluster.relay;

import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;

/**
 * What a client's socket reads: the frames of its upstream legs, one leg after the other in the order they
 * were opened, merged with the frames the relay itself sends the client (its errors, held frames passed on).
 */
final class SocketOutlets {
  private final SourceQueueWithComplete<SocketLeg> legs;
  private final Source<SocketLeg, NotUsed> legsSource;
  private final SourceQueueWithComplete<Message> own;
  private final Source<Message, NotUsed> ownSource;

  SocketOutlets(Materializer materializer) {
    Pair<SourceQueueWithComplete<SocketLeg>, Source<SocketLeg, NotUsed>> l =
        Source.<SocketLeg>queue(16, OverflowStrategy.dropNew()).preMaterialize(materializer);
    this.legs = l.first();
    this.legsSource = l.second();
    Pair<SourceQueueWithComplete<Message>, Source<Message, NotUsed>> o =
        Source.<Message>queue(16, OverflowStrategy.dropNew()).preMaterialize(materializer);
    this.own = o.first();
    this.ownSource = o.second();
  }

  /** The next leg: its frames follow the previous leg's once that one ends. */
  void leg(SocketLeg leg) {
    legs.offer(leg);
  }

  /** A frame of the relay's own. */
  void own(Message frame) {
    own.offer(frame);
  }

  /**
   * The client's side: each leg's frames as {@code perLeg} reads them (a leg that fails ends quietly), then
   * {@code onLegsEnd} when the last leg has ended; the relay's own frames merged in.
   */
  Source<Message, NotUsed> toClient(Function<SocketLeg, Source<Message, NotUsed>> perLeg, Runnable onLegsEnd) {
    return legsSource
        .flatMapConcat(l -> perLeg.apply(l).recoverWithRetries(1, Throwable.class, Source::empty))
        .watchTermination((mat, done) -> {
          done.whenComplete((d, failure) -> onLegsEnd.run());
          return mat;
        })
        .merge(ownSource);
  }

  /** No more legs and no more frames of the relay's own. */
  void complete() {
    legs.complete();
    own.complete();
  }
}
