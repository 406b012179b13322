package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.cluster.LeaseKeeper;
import dev.relaycluster.usage.UsageEvent;
import dev.relaycluster.usage.UsageRecord;
import dev.relaycluster.usage.UsageTags;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One API key: its definition, its usage ledger and its admission. Sharded and event-sourced; the
 * definition and every request's usage ({@link UsageBatchRecorded}) are in the journal. Concurrency
 * leases live in memory only (they die with the requests that hold them) and are released when the
 * holder says so or when the holder actor, or its whole node, terminates.
 */
public final class ApiKeyEntity extends EventSourcedBehavior<ApiKeyEntity.Command, ApiKeyEntity.Event, ApiKeyState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "ApiKey");
  /** Tag carried by definition events, replayed at start-up to rebuild the key directory. */
  public static final String DEFINITION_TAG = "apikey-def";

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /**
   * Creates the key. {@code legacySalt} (sealed) is set for a key imported from claude-relay-service, whose
   * {@code keyHash} is salted with it (see {@link KeyEntry}); null for the relay's own keys.
   */
  public record Create(String keyHash, String keyHint, KeySettings settings, long createdAt, String legacySalt,
      ActorRef<StatusReply<KeyEntry>> replyTo) implements Command {
    public Create(String keyHash, String keyHint, KeySettings settings, long createdAt,
        ActorRef<StatusReply<KeyEntry>> replyTo) {
      this(keyHash, keyHint, settings, createdAt, null, replyTo);
    }

    /** A key with a name and a concurrency limit only. */
    public Create(String name, String keyHash, String keyHint, int concurrencyLimit, long createdAt,
        ActorRef<StatusReply<KeyEntry>> replyTo) {
      this(keyHash, keyHint, KeySettings.basic(name, concurrencyLimit), createdAt, replyTo);
    }
  }

  /**
   * Replaces the key's settings. {@code expectedRevision} is the definition revision the new settings were
   * computed from (an admin's read-modify-write); if the key changed since, the update is refused so the
   * caller can re-read and try again. A negative value skips the check.
   */
  public record Update(KeySettings settings, long at, long expectedRevision, ActorRef<StatusReply<KeyEntry>> replyTo)
      implements Command {
    public Update(KeySettings settings, long at, ActorRef<StatusReply<KeyEntry>> replyTo) {
      this(settings, at, -1, replyTo);
    }
  }

  /** The message of the error an {@link Update} gets when the key changed since its settings were read. */
  public static final String CHANGED_CONCURRENTLY = "the key changed while it was being edited";

  public record Revoke(long revokedAt, ActorRef<StatusReply<KeyEntry>> replyTo) implements Command {}

  /** Soft delete: the key stops working until restored. */
  public record Delete(long at, ActorRef<StatusReply<KeyEntry>> replyTo) implements Command {}

  public record Restore(long at, ActorRef<StatusReply<KeyEntry>> replyTo) implements Command {}

  /**
   * Ask for a concurrency lease with the id the requester chose, held by the requesting node's lease
   * holder; every limit is checked against the request's facts, and its estimate reserved, in this one step.
   */
  public record Admit(String leaseId, ActorRef<LeaseHolder.Command> holder, RequestFacts facts,
      ActorRef<AdmitReply> replyTo) implements Command {
    public Admit(String leaseId, ActorRef<LeaseHolder.Command> holder, ActorRef<AdmitReply> replyTo) {
      this(leaseId, holder, RequestFacts.UNKNOWN, replyTo);
    }
  }

  public record Release(String leaseId) implements Command {}

  /** A node asks for these slots of the key's concurrency for its share (see {@link SlotGrants}). */
  public record GrantSlots(List<String> slotIds, ActorRef<LeaseHolder.Command> holder,
      ActorRef<SlotsGranted> replyTo) implements Command {}

  /**
   * A node asks for a budget share of the key ({@link BudgetGrants}): {@code leaseId} names the most it may
   * reserve ({@link BudgetLease}); less than {@code minCostMicros} or {@code minTokens} is not worth granting.
   */
  public record GrantBudget(String leaseId, long minCostMicros, long minTokens, ActorRef<LeaseHolder.Command> holder,
      ActorRef<BudgetGranted> replyTo) implements Command {}

  /** A node gives its budget share back, with the window's requests it did not use. */
  public record ReturnBudget(String leaseId, long unusedRequests) implements Command {}

  /**
   * Records a request's usage exactly once (by request id) and releases its lease; once written, answers
   * {@code receipts} with {@code receipt} (see {@link SettleAnswers}), or {@code replyTo} when it is null.
   */
  public record Settle(String leaseId, UsageRecord usage, ActorRef<Done> replyTo, long receipt,
      ActorRef<SettleReceipts> receipts) implements Command {
    public Settle(String leaseId, UsageRecord usage, ActorRef<Done> replyTo) {
      this(leaseId, usage, replyTo, 0, null);
    }
  }

  /**
   * Usage imported from another relay's history (claude-relay-service), written as it is: one event per record
   * the key has not recorded yet (by request id), in the order given. Answers how many were written.
   */
  public record ImportUsage(List<UsageRecord> usage, ActorRef<Integer> replyTo) implements Command {}

  public record GetStatus(ActorRef<KeyStatusReply> replyTo) implements Command {}

  /** The key's definition with its usage and where it stands against its limits. */
  public record GetUsage(ActorRef<KeyUsage> replyTo) implements Command {}

  /** Persist the usage queued by recent settlements. */
  private record FlushUsage() implements Command {}

  /** Lease bookkeeping (holder terminated, holders found, leases reported), handled by the LeaseKeeper. */
  private record LeaseMessage(Object message) implements Command {}

  // ---- replies

  public sealed interface AdmitReply extends CborSerializable {}

  public record Admitted(String leaseId) implements AdmitReply {}

  /** {@code resetAt}: when the limit that refused resets (epoch ms), 0 when it does not. */
  public record Refused(Refusal refusal, String message, long retryAfterSeconds, long resetAt) implements AdmitReply {
    public Refused(Refusal refusal, String message, long retryAfterSeconds) {
      this(refusal, message, retryAfterSeconds, 0);
    }
  }

  /** The slots of a {@link GrantSlots} that were granted; the others were not. */
  public record SlotsGranted(List<String> slotIds) implements CborSerializable {}

  public record KeyStatusReply(boolean exists, boolean revoked, int leasesInFlight, long requests, long costMicros)
      implements CborSerializable {}

  // ---- events

  public sealed interface Event extends CborSerializable {
    String keyId();
  }

  /** {@code legacySalt}: see {@link Create}; null in events written before imports existed. */
  public record KeyCreated(String keyId, String name, String keyHash, String keyHint, int concurrencyLimit,
      long createdAt, String legacySalt) implements Event {
    public KeyCreated(String keyId, String name, String keyHash, String keyHint, int concurrencyLimit, long createdAt) {
      this(keyId, name, keyHash, keyHint, concurrencyLimit, createdAt, null);
    }
  }

  /** The key's settings replaced (limits, access rules, expiry, rates, bindings, labels). */
  public record KeyUpdated(String keyId, KeySettings settings, long at) implements Event {}

  public record KeyRevoked(String keyId, long revokedAt) implements Event {}

  public record KeyDeleted(String keyId, long at) implements Event {}

  public record KeyRestored(String keyId, long at) implements Event {}

  /** An activation-mode key's first use: its expiry clock starts. */
  public record KeyActivated(String keyId, long at) implements Event {}

  /** One request's usage: what usage writes persisted before {@link UsageBatchRecorded}, and imports still do. */
  public record UsageRecorded(UsageRecord usage) implements Event, UsageEvent {
    @Override
    public String keyId() {
      return usage.keyId();
    }

    @Override
    public List<UsageRecord> records() {
      return List.of(usage);
    }
  }

  /** The usage of the requests one batch write took ({@link UsageBatch}): one journal row for up to 500. */
  public record UsageBatchRecorded(String keyId, List<UsageRecord> usage) implements Event, UsageEvent {
    public UsageBatchRecorded {
      usage = List.copyOf(usage);
    }

    @Override
    public List<UsageRecord> records() {
      return usage;
    }
  }

  // ---- behavior

  private final String keyId;
  private final ActorContext<Command> context;
  private final KeyDirectory directory;
  private final int tagPartitions;
  private final Clock clock;
  private final ZoneId zone;
  /** In-memory only: leases in flight and the holders being watched. */
  private final LeaseKeeper<Command> leases;
  /** In-memory only: usage settled and not yet written, and the ids this incarnation wrote. */
  private final UsageBatch usageBatch = new UsageBatch();
  /** In-memory only: what each admitted request in flight reserved, and the current rate window. */
  private final Reservations reservations = new Reservations();
  private final UsageWrites usageWrites;
  private final BudgetShares budgetShares;
  private final KeyDefinitionChanges definitions;

  /**
   * @param zone where days (daily cost) and weekly resets are counted
   */
  public static void init(ActorSystem<?> system, KeyDirectory directory, int tagPartitions, Clock clock, ZoneId zone) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY,
        ctx -> create(ctx.getEntityId(), directory, tagPartitions, clock, zone)));
  }

  public static Behavior<Command> create(String keyId, KeyDirectory directory, int tagPartitions) {
    return create(keyId, directory, tagPartitions, Clock.systemUTC(), ZoneOffset.UTC);
  }

  /**
   * @param clock the time admission decides by (expiry, activation, windows, daily and weekly resets)
   * @param zone where days and weekly resets are counted
   */
  public static Behavior<Command> create(String keyId, KeyDirectory directory, int tagPartitions, Clock clock,
      ZoneId zone) {
    return Behaviors.setup(ctx -> new ApiKeyEntity(ctx, keyId, directory, tagPartitions, clock, zone));
  }

  public static PersistenceId persistenceId(String keyId) {
    return PersistenceId.of(ENTITY_TYPE_KEY.name(), keyId);
  }

  private ApiKeyEntity(ActorContext<Command> context, String keyId, KeyDirectory directory, int tagPartitions,
      Clock clock, ZoneId zone) {
    super(persistenceId(keyId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.context = context;
    this.leases = new LeaseKeeper<>(context, persistenceId(keyId).id(), LeaseMessage::new);
    this.keyId = keyId;
    this.directory = directory;
    this.tagPartitions = tagPartitions;
    this.clock = clock;
    this.zone = zone;
    this.budgetShares = new BudgetShares(leases, reservations);
    this.usageWrites = new UsageWrites(context, Effect(), leases, reservations, usageBatch, FlushUsage::new);
    this.definitions = new KeyDefinitionChanges(keyId, directory, Effect());
  }

  @Override
  public ApiKeyState emptyState() {
    return ApiKeyState.empty(keyId);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    if (event instanceof UsageEvent) {
      return Set.of(UsageTags.forKey(keyId, tagPartitions));
    }
    return Set.of(DEFINITION_TAG);
  }

  @Override
  public SignalHandler<ApiKeyState> signalHandler() {
    // Leases are not in the journal: after (re)starting, ask the nodes' lease holders which are still held.
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> leases.recover()).build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Snapshots keep recovery short; events are never deleted: the journal is the audit trail.
    return RetentionCriteria.snapshotEvery(200, 2);
  }

  @Override
  public CommandHandler<Command, Event, ApiKeyState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Create.class, definitions::create)
        .onCommand(Update.class, (state, cmd) -> definitions.apply(state,
            KeyChange.update(state, cmd.settings(), cmd.expectedRevision(), cmd.at()), cmd.replyTo()))
        .onCommand(Revoke.class, (state, cmd) ->
            definitions.apply(state, KeyChange.revoke(state, cmd.revokedAt()), cmd.replyTo()))
        .onCommand(Delete.class, (state, cmd) ->
            definitions.apply(state, KeyChange.delete(state, cmd.at()), cmd.replyTo()))
        .onCommand(Restore.class, (state, cmd) ->
            definitions.apply(state, KeyChange.restore(state, cmd.at()), cmd.replyTo()))
        .onCommand(Admit.class, this::onAdmit)
        .onCommand(Release.class, usageWrites::release)
        .onCommand(Settle.class, usageWrites::settle)
        .onCommand(GrantSlots.class, (state, cmd) -> leases.recovering() ? Effect().stash()
            : Effect().reply(cmd.replyTo(), new SlotsGranted(SlotGrants.grant(state.exists() ? state.toEntry() : null,
                cmd.slotIds(), cmd.holder(), leases, () -> meter(state, clock.millis(), false), clock.millis(), zone))))
        .onCommand(GrantBudget.class, (state, cmd) -> leases.recovering() ? Effect().stash()
            : Effect().reply(cmd.replyTo(), budgetShares.grant(state.exists() ? state.toEntry() : null,
                meter(state, clock.millis(), false), cmd, clock.millis(), zone)))
        .onCommand(ReturnBudget.class, (state, cmd) -> {
          budgetShares.returned(cmd);
          return Effect().none();
        })
        .onCommand(ImportUsage.class, usageWrites::importUsage)
        .onCommand(FlushUsage.class, (state, cmd) -> usageWrites.flush(state))
        .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            new KeyStatusReply(state.exists(), state.revoked(), meter(state, clock.millis(), false).leasesInFlight(),
                state.requests(), state.costMicros())))
        .onCommand(GetUsage.class, (state, cmd) -> Effect().reply(cmd.replyTo(), usage(state)))
        .onCommand(LeaseMessage.class, (state, cmd) -> {
          if (!leases.handle(cmd.message())) {
            return Effect().none();
          }
          reservations.restoreBudgets(leases.ids());
          return Effect().unstashAll();
        })
        .build();
  }

  private Effect<Event, ApiKeyState> onAdmit(ApiKeyState state, Admit cmd) {
    if (leases.recovering()) {
      return Effect().stash();
    }
    if (leases.holds(cmd.leaseId())) {
      return Effect().reply(cmd.replyTo(), new Admitted(cmd.leaseId()));
    }
    if (leases.released(cmd.leaseId())) {
      // The requester gave up waiting and released this lease already; its reply goes nowhere.
      return Effect().reply(cmd.replyTo(), new Refused(Refusal.CONCURRENCY, "the request gave up waiting", 1, 0));
    }
    long now = clock.millis();
    RequestFacts facts = cmd.facts() == null ? RequestFacts.UNKNOWN : cmd.facts();
    KeyEntry key = state.exists() ? state.toEntry() : null;
    Admission.Decision decision = Admission.decide(key, meter(state, now, false), facts, now, zone);
    if (decision instanceof Admission.Refuse r) {
      return Effect().reply(cmd.replyTo(), new Refused(r.refusal(), r.message(), r.retryAfterSeconds(), r.resetAt()));
    }
    Admission.Admit admit = (Admission.Admit) decision;
    leases.grant(cmd.leaseId(), cmd.holder());
    KeyLimits limits = state.currentSettings().limits();
    reservations.admitted(cmd.leaseId(), admit.window(), admit.reservation(),
        limits.reservesCost() || limits.rateWindow() != null);
    if (admit.activate()) {
      return Effect()
          .persist(new KeyActivated(keyId, now))
          .thenRun(next -> directory.publish(next.toEntry()))
          .thenReply(cmd.replyTo(), next -> new Admitted(cmd.leaseId()));
    }
    return Effect().reply(cmd.replyTo(), new Admitted(cmd.leaseId()));
  }

  /**
   * Where the key stands now. Reservations of leases the keeper dropped (their holder died) are dropped
   * too; usage settled but not yet written counts as spent (for a key without cost limits only when
   * {@code countAll}, as admission has no use for it).
   */
  private KeyMeter meter(ApiKeyState state, long now, boolean countAll) {
    Reserved reserved = reservations.reserved(leases::holds);
    KeyLimits limits = state.currentSettings().limits();
    CostTotals spent = limits.reservesCost() || countAll
        ? usageBatch.spent(state.totals(), limits, zone) : state.totals();
    // Nodes' budget shares are leases too, but hold no request: they do not count as requests in flight.
    return new KeyMeter(leases.size() - reservations.budgets(), reservations.window(), reserved, spent);
  }

  private KeyUsage usage(ApiKeyState state) {
    long now = clock.millis();
    KeyMeter meter = meter(state, now, true);
    return KeyUsage.at(state, now, zone, meter.leasesInFlight(), meter, reservations.shownWindow(),
        usageBatch.unwritten(state));
  }

  @Override
  public EventHandler<ApiKeyState, Event> eventHandler() {
    return (state, event) -> state.apply(event, zone);
  }
}
