package dev.relaycluster.apikey;

import dev.relaycluster.node.CborSerializable;
import dev.relaycluster.node.LeaseHolder;
import dev.relaycluster.node.LeaseKeeper;
import dev.relaycluster.usage.UsageRecord;
import dev.relaycluster.usage.UsageTags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One API key: its definition, its usage ledger and its admission. Sharded and event-sourced; the
 * definition and every {@link UsageRecorded} are in the journal. Concurrency leases live in memory
 * only (they die with the requests that hold them) and are released when the holder says so or when
 * the holder actor, or its whole node, terminates.
 */
public final class ApiKeyEntity extends EventSourcedBehavior<ApiKeyEntity.Command, ApiKeyEntity.Event, ApiKeyEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "ApiKey");
  /** Tag carried by definition events, replayed at start-up to rebuild the key directory. */
  public static final String DEFINITION_TAG = "apikey-def";
  private static final int REMEMBERED_REQUEST_IDS = 512;
  private static final int MAX_USAGE_BATCH = 100;
  private static final Duration USAGE_BATCH_WINDOW = Duration.ofMillis(5);

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  public record Create(String name, String keyHash, String keyHint, int concurrencyLimit, long createdAt,
      ActorRef<StatusReply<KeyEntry>> replyTo) implements Command {}

  public record Revoke(long revokedAt, ActorRef<StatusReply<KeyEntry>> replyTo) implements Command {}

  /** Ask for a concurrency lease with the id the requester chose, held by the requesting node's lease holder. */
  public record Admit(String leaseId, ActorRef<LeaseHolder.Command> holder, ActorRef<AdmitReply> replyTo)
      implements Command {}

  public record Release(String leaseId) implements Command {}

  /** Records a request's usage exactly once (by request id) and releases its lease. */
  public record Settle(String leaseId, UsageRecord usage, ActorRef<Done> replyTo) implements Command {}

  public record GetStatus(ActorRef<KeyStatusReply> replyTo) implements Command {}

  /** Persist the usage queued by recent settlements. */
  private record FlushUsage() implements Command {}

  /** Lease bookkeeping (holder terminated, holders found, leases reported), handled by the LeaseKeeper. */
  private record LeaseMessage(Object message) implements Command {}

  // ---- replies

  public sealed interface AdmitReply extends CborSerializable {}

  public record Admitted(String leaseId) implements AdmitReply {}

  public record Refused(Refusal refusal, String message, long retryAfterSeconds) implements AdmitReply {}

  public record KeyStatusReply(boolean exists, boolean revoked, int leasesInFlight, long requests, long costMicros)
      implements CborSerializable {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record KeyCreated(String keyId, String name, String keyHash, String keyHint, int concurrencyLimit,
      long createdAt) implements Event {}

  public record KeyRevoked(String keyId, long revokedAt) implements Event {}

  public record UsageRecorded(UsageRecord usage) implements Event {}

  // ---- state

  /** The key as its events left it; {@code revision} counts definition events only. */
  public record State(
      String keyId,
      String name,
      String keyHash,
      String keyHint,
      int concurrencyLimit,
      long createdAt,
      long revokedAt,
      long revision,
      long requests,
      long totalTokens,
      long costMicros,
      List<String> recentRequestIds) implements CborSerializable {

    public static State empty(String keyId) {
      return new State(keyId, null, null, null, 0, 0, 0, 0, 0, 0, 0, List.of());
    }

    public boolean exists() {
      return keyHash != null;
    }

    public boolean revoked() {
      return revokedAt > 0;
    }

    public boolean recorded(String requestId) {
      return recentRequestIds.contains(requestId);
    }

    public State apply(Event event) {
      if (event instanceof KeyCreated c) {
        return new State(keyId, c.name(), c.keyHash(), c.keyHint(), c.concurrencyLimit(), c.createdAt(), 0,
            revision + 1, requests, totalTokens, costMicros, recentRequestIds);
      }
      if (event instanceof KeyRevoked r) {
        return new State(keyId, name, keyHash, keyHint, concurrencyLimit, createdAt, r.revokedAt(), revision + 1,
            requests, totalTokens, costMicros, recentRequestIds);
      }
      UsageRecord u = ((UsageRecorded) event).usage();
      List<String> recent = new ArrayList<>(recentRequestIds.size() + 1);
      int from = Math.max(0, recentRequestIds.size() + 1 - REMEMBERED_REQUEST_IDS);
      recent.addAll(recentRequestIds.subList(from, recentRequestIds.size()));
      recent.add(u.requestId());
      return new State(keyId, name, keyHash, keyHint, concurrencyLimit, createdAt, revokedAt, revision,
          requests + 1, totalTokens + u.totalTokens(), costMicros + u.costMicros(), List.copyOf(recent));
    }

    public KeyEntry toEntry() {
      return new KeyEntry(keyId, name, keyHash, keyHint, concurrencyLimit,
          revoked() ? KeyStatus.REVOKED : KeyStatus.ACTIVE, createdAt, revokedAt, revision);
    }
  }

  // ---- behavior

  private final String keyId;
  private final ActorContext<Command> context;
  private final KeyDirectory directory;
  private final int tagPartitions;
  /** In-memory only: leases in flight and the holders being watched. */
  private final LeaseKeeper<Command> leases;
  /** In-memory only: settlements whose usage waits for the next batch write (their senders retry if lost). */
  private final List<Settle> pendingUsage = new ArrayList<>();
  private boolean flushScheduled;

  public static void init(ActorSystem<?> system, KeyDirectory directory, int tagPartitions) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY,
        ctx -> create(ctx.getEntityId(), directory, tagPartitions)));
  }

  public static Behavior<Command> create(String keyId, KeyDirectory directory, int tagPartitions) {
    return Behaviors.setup(ctx -> new ApiKeyEntity(ctx, keyId, directory, tagPartitions));
  }

  public static PersistenceId persistenceId(String keyId) {
    return PersistenceId.of(ENTITY_TYPE_KEY.name(), keyId);
  }

  private ApiKeyEntity(ActorContext<Command> context, String keyId, KeyDirectory directory, int tagPartitions) {
    super(persistenceId(keyId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.context = context;
    this.leases = new LeaseKeeper<>(context, persistenceId(keyId).id(), LeaseMessage::new);
    this.keyId = keyId;
    this.directory = directory;
    this.tagPartitions = tagPartitions;
  }

  @Override
  public State emptyState() {
    return State.empty(keyId);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    if (event instanceof UsageRecorded) {
      return Set.of(UsageTags.forKey(keyId, tagPartitions));
    }
    return Set.of(DEFINITION_TAG);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    // Leases are not in the journal: after (re)starting, ask the nodes' lease holders which are still held.
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> leases.recover()).build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Snapshots keep recovery short; events are never deleted: the journal is the audit trail.
    return RetentionCriteria.snapshotEvery(200, 2);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Revoke.class, this::onRevoke)
        .onCommand(Admit.class, this::onAdmit)
        .onCommand(Release.class, (state, cmd) -> {
          leases.release(cmd.leaseId());
          return Effect().none();
        })
        .onCommand(Settle.class, this::onSettle)
        .onCommand(FlushUsage.class, (state, cmd) -> flushUsage(state))
        .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            new KeyStatusReply(state.exists(), state.revoked(), leases.size(), state.requests(), state.costMicros())))
        .onCommand(LeaseMessage.class, (state, cmd) ->
            leases.handle(cmd.message()) ? Effect().unstashAll() : Effect().none())
        .build();
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<Event, State> onCreate(State state, Create cmd) {
    if (state.exists()) {
      if (state.keyHash().equals(cmd.keyHash())) {
        return Effect().reply(cmd.replyTo(), StatusReply.success(state.toEntry()));
      }
      return Effect().reply(cmd.replyTo(), StatusReply.error("key " + keyId + " already exists"));
    }
    return Effect()
        .persist(new KeyCreated(keyId, cmd.name(), cmd.keyHash(), cmd.keyHint(), cmd.concurrencyLimit(), cmd.createdAt()))
        .thenRun(next -> directory.publish(next.toEntry()))
        .thenReply(cmd.replyTo(), next -> StatusReply.success(next.toEntry()));
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<Event, State> onRevoke(State state, Revoke cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown key"));
    }
    if (state.revoked()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(state.toEntry()));
    }
    return Effect()
        .persist(new KeyRevoked(keyId, cmd.revokedAt()))
        .thenRun(next -> directory.publish(next.toEntry()))
        .thenReply(cmd.replyTo(), next -> StatusReply.success(next.toEntry()));
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<Event, State> onAdmit(State state, Admit cmd) {
    if (leases.recovering()) {
      return Effect().stash();
    }
    if (leases.holds(cmd.leaseId())) {
      return Effect().reply(cmd.replyTo(), new Admitted(cmd.leaseId()));
    }
    return Admission.refuse(state, leases.size())
        .<org.apache.pekko.persistence.typed.javadsl.Effect<Event, State>>map(d ->
            Effect().reply(cmd.replyTo(), new Refused(d.refusal(), d.message(), d.retryAfterSeconds())))
        .orElseGet(() -> {
          leases.grant(cmd.leaseId(), cmd.holder());
          return Effect().reply(cmd.replyTo(), new Admitted(cmd.leaseId()));
        });
  }

  /**
   * Releases the lease at once and queues the usage; queued usage is persisted in one batch a moment
   * later (or as soon as the batch is full), so a busy key writes one journal batch for many requests
   * instead of one write each, and admissions do not queue behind every single write.
   */
  private org.apache.pekko.persistence.typed.javadsl.Effect<Event, State> onSettle(State state, Settle cmd) {
    leases.release(cmd.leaseId());
    if (cmd.usage() == null || state.recorded(cmd.usage().requestId())) {
      return Effect().reply(cmd.replyTo(), Done.getInstance());
    }
    pendingUsage.add(cmd);
    if (pendingUsage.size() >= MAX_USAGE_BATCH) {
      return flushUsage(state);
    }
    if (!flushScheduled) {
      flushScheduled = true;
      context.scheduleOnce(USAGE_BATCH_WINDOW, context.getSelf(), new FlushUsage());
    }
    return Effect().none();
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<Event, State> flushUsage(State state) {
    flushScheduled = false;
    if (pendingUsage.isEmpty()) {
      return Effect().none();
    }
    List<Settle> batch = List.copyOf(pendingUsage);
    pendingUsage.clear();
    java.util.Set<String> seen = new java.util.HashSet<>();
    List<Event> events = batch.stream()
        .filter(s -> seen.add(s.usage().requestId()) && !state.recorded(s.usage().requestId()))
        .<Event>map(s -> new UsageRecorded(s.usage()))
        .toList();
    return Effect().persist(events).thenRun(next -> batch.forEach(s -> s.replyTo().tell(Done.getInstance())));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return (state, event) -> state.apply(event);
  }
}
