package dev.relaycluster.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.testing.TestDatabases;
import dev.relaycluster.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entity with snapshots and many events recovers to its last sequence number on the node's own
 * journal ({@link SeekingJournalDao} on embedded H2 and on PostgreSQL): the state is whole, and its next
 * event takes the next number. A lookup that stopped short would make that write collide with a stored
 * event.
 */
class SeekingJournalDaoTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dataDir;

  @Test
  void onTheEmbeddedJournalAnEntityRecoversFromItsSnapshotToItsLastEvent() {
    try (TestNode node = TestNode.embedded(dataDir, Map.of())) {
      recoversFromItsSnapshotToItsLastEventAndWritesTheNextNumber(node.node().system());
    }
  }

  @Test
  void onPostgresAnEntityRecoversFromItsSnapshotToItsLastEvent() throws Exception {
    String database = TestDatabases.create();
    try (TestNode node = TestNode.postgresAndRedis(dataDir, database, "seeking-dao-" + System.nanoTime() + ":", Map.of())) {
      recoversFromItsSnapshotToItsLastEventAndWritesTheNextNumber(node.node().system());
    } finally {
      TestDatabases.drop(database);
    }
  }

  private static void recoversFromItsSnapshotToItsLastEventAndWritesTheNextNumber(ActorSystem<Void> system) {
    assertEquals(SeekingJournalDao.class.getName(), system.settings().config().getString("jdbc-journal.dao"));
    TestProbe<long[]> replies = TestProbe.create(system);

    ActorRef<Command> first = system.systemActorOf(Counter.create("counter-1"), "counter-a", Props.empty());
    for (int i = 1; i <= 250; i++) {
      first.tell(new Add(i, replies.getRef()));
      assertEquals(i, replies.receiveMessage(WAIT)[1], "sequence number of event " + i);
    }
    first.tell(new Stop());
    replies.expectTerminated(first, WAIT);

    // Snapshots were taken at 100 and 200; recovery starts from the one at 200.
    ActorRef<Command> second = system.systemActorOf(Counter.create("counter-1"), "counter-b", Props.empty());
    second.tell(new Add(0, replies.getRef()));
    long[] afterRecovery = replies.receiveMessage(WAIT);
    assertEquals(250L * 251 / 2, afterRecovery[0], "state rebuilt from the snapshot and the events after it");
    assertEquals(251, afterRecovery[1], "the first event after recovery takes the next sequence number");

    // An entity without a snapshot still recovers through the plugin's own query.
    ActorRef<Command> fresh = system.systemActorOf(Counter.create("counter-2"), "counter-c", Props.empty());
    fresh.tell(new Add(7, replies.getRef()));
    assertEquals(1, replies.receiveMessage(WAIT)[1]);
  }

  interface Command {}

  record Add(int amount, ActorRef<long[]> replyTo) implements Command {}

  record Stop() implements Command {}

  /** Sums what it is given; replies with the sum and the sequence number of the event it wrote. */
  static final class Counter extends EventSourcedBehavior<Command, Integer, Long> {
    static Behavior<Command> create(String id) {
      return Behaviors.setup(ctx -> new Counter(ctx, PersistenceId.ofUniqueId("SeekingJournalDaoTest|" + id)));
    }

    private final ActorContext<Command> context;

    private Counter(ActorContext<Command> context, PersistenceId id) {
      super(id);
      this.context = context;
    }

    @Override
    public Long emptyState() {
      return 0L;
    }

    @Override
    public CommandHandler<Command, Integer, Long> commandHandler() {
      return newCommandHandlerBuilder().forAnyState()
          .onCommand(Add.class, (state, add) -> Effect().persist(add.amount())
              .thenRun(next -> add.replyTo().tell(new long[] {next, lastSequenceNumber(context)})))
          .onCommand(Stop.class, stop -> Effect().stop())
          .build();
    }

    @Override
    public EventHandler<Long, Integer> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onAnyEvent((state, amount) -> state + amount);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
      return RetentionCriteria.snapshotEvery(100, 2);
    }
  }
}
