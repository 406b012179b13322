package dev.relaycluster.account;

import dev.relaycluster.node.CborSerializable;
import dev.relaycluster.node.LeaseHolder;
import dev.relaycluster.node.LeaseKeeper;
import java.time.Duration;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One upstream account: its definition and sealed credentials (event-sourced), and the leases of
 * requests using it right now (in memory, released by the requester or when its node dies).
 * Every change of definition is published to the {@link PoolView}.
 */
public final class AccountEntity
    extends EventSourcedBehavior<AccountEntity.Command, AccountEntity.Event, AccountEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "Account");
  /** Tag of every account event, replayed at start-up to rebuild the pool view. */
  public static final String DEFINITION_TAG = "account-def";

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  public record Create(AccountDefinition definition, ActorRef<StatusReply<PoolEntry>> replyTo) implements Command {}

  public record Update(AccountPatch patch, ActorRef<StatusReply<PoolEntry>> replyTo) implements Command {}

  public record Delete(long deletedAt, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Ask for a lease on this account for one request, with the credentials to call upstream. */
  public record Acquire(String leaseId, ActorRef<LeaseHolder.Command> holder, ActorRef<AcquireReply> replyTo)
      implements Command {}

  public record Release(String leaseId) implements Command {}

  public record GetStatus(ActorRef<AccountStatusReply> replyTo) implements Command {}

  /** Lease bookkeeping (holder terminated, holders found, leases reported), handled by the LeaseKeeper. */
  private record LeaseMessage(Object message) implements Command {}

  // ---- replies

  public sealed interface AcquireReply extends CborSerializable {}

  public record Granted(String leaseId, AccountDefinition account) implements AcquireReply {}

  public record Unavailable(String reason) implements AcquireReply {}

  /** {@code node} is the cluster address of the node hosting this entity right now. */
  public record AccountStatusReply(boolean exists, AccountStatus status, int leasesInFlight, long lastUsedAt,
      String node) implements CborSerializable {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record AccountCreated(AccountDefinition definition) implements Event {}

  public record AccountUpdated(AccountDefinition definition) implements Event {}

  public record AccountDeleted(String accountId, long deletedAt) implements Event {}

  // ---- state

  /** The account as its events left it; {@code revision} counts events. */
  public record State(String accountId, AccountDefinition definition, long deletedAt, long revision)
      implements CborSerializable {

    public boolean exists() {
      return definition != null && deletedAt == 0;
    }

    public AccountStatus status() {
      if (deletedAt > 0) {
        return AccountStatus.DELETED;
      }
      return definition.paused() ? AccountStatus.PAUSED : AccountStatus.ACTIVE;
    }

    public State apply(Event event) {
      if (event instanceof AccountCreated c) {
        return new State(accountId, c.definition(), 0, revision + 1);
      }
      if (event instanceof AccountUpdated u) {
        return new State(accountId, u.definition(), deletedAt, revision + 1);
      }
      return new State(accountId, definition, ((AccountDeleted) event).deletedAt(), revision + 1);
    }

    public PoolEntry toEntry() {
      AccountDefinition d = definition;
      return new PoolEntry(accountId, d.name(), d.platform(), d.type(), d.baseUrl(), d.priority(),
          d.maxConcurrency(), status(), d.createdAt(), deletedAt > 0 ? deletedAt : d.updatedAt(), revision);
    }
  }

  // ---- behavior

  private final String accountId;
  private final ActorContext<Command> context;
  private final PoolView pool;
  /** In-memory only: requests using this account right now, and when it was last handed out. */
  private final LeaseKeeper<Command> leases;
  private long lastUsedAt;

  public static void init(ActorSystem<?> system, PoolView pool) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY, ctx -> create(ctx.getEntityId(), pool)));
  }

  public static Behavior<Command> create(String accountId, PoolView pool) {
    return Behaviors.setup(ctx -> new AccountEntity(ctx, accountId, pool));
  }

  public static PersistenceId persistenceId(String accountId) {
    return PersistenceId.of(ENTITY_TYPE_KEY.name(), accountId);
  }

  private AccountEntity(ActorContext<Command> context, String accountId, PoolView pool) {
    super(persistenceId(accountId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.context = context;
    this.leases = new LeaseKeeper<>(context, persistenceId(accountId).id(), LeaseMessage::new);
    this.accountId = accountId;
    this.pool = pool;
  }

  @Override
  public State emptyState() {
    return new State(accountId, null, 0, 0);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(DEFINITION_TAG);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    // Leases are not in the journal: after (re)starting, ask the nodes' lease holders which are still held.
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> leases.recover()).build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Update.class, this::onUpdate)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Acquire.class, this::onAcquire)
        .onCommand(Release.class, (state, cmd) -> {
          leases.release(cmd.leaseId());
          return Effect().none();
        })
        .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new AccountStatusReply(
            state.exists(), state.definition() == null ? AccountStatus.DELETED : state.status(),
            leases.size(), lastUsedAt, context.getSystem().address().toString())))
        .onCommand(LeaseMessage.class, (state, cmd) ->
            leases.handle(cmd.message()) ? Effect().unstashAll() : Effect().none())
        .build();
  }

  private Effect<Event, State> onCreate(State state, Create cmd) {
    if (state.definition() != null) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("account " + accountId + " already exists"));
    }
    return Effect().persist(new AccountCreated(cmd.definition()))
        .thenRun(next -> pool.publish(next.toEntry()))
        .thenReply(cmd.replyTo(), next -> StatusReply.success(next.toEntry()));
  }

  private Effect<Event, State> onUpdate(State state, Update cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown account"));
    }
    return Effect().persist(new AccountUpdated(cmd.patch().applyTo(state.definition())))
        .thenRun(next -> pool.publish(next.toEntry()))
        .thenReply(cmd.replyTo(), next -> StatusReply.success(next.toEntry()));
  }

  private Effect<Event, State> onDelete(State state, Delete cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown account"));
    }
    return Effect().persist(new AccountDeleted(accountId, cmd.deletedAt()))
        .thenRun(next -> pool.publish(next.toEntry()))
        .thenReply(cmd.replyTo(), next -> StatusReply.ack());
  }

  private Effect<Event, State> onAcquire(State state, Acquire cmd) {
    if (leases.recovering()) {
      return Effect().stash();
    }
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), new Unavailable("account no longer exists"));
    }
    AccountDefinition d = state.definition();
    if (leases.holds(cmd.leaseId())) {
      return Effect().reply(cmd.replyTo(), new Granted(cmd.leaseId(), d));
    }
    if (d.paused()) {
      return Effect().reply(cmd.replyTo(), new Unavailable("account is paused"));
    }
    if (d.maxConcurrency() > 0 && leases.size() >= d.maxConcurrency()) {
      return Effect().reply(cmd.replyTo(),
          new Unavailable("account is at its concurrency limit of " + d.maxConcurrency()));
    }
    String leaseId = cmd.leaseId();
    leases.grant(leaseId, cmd.holder());
    lastUsedAt = System.currentTimeMillis();
    return Effect().reply(cmd.replyTo(), new Granted(leaseId, d));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return (state, event) -> state.apply(event);
  }
}
