package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.cluster.LeaseKeeper;
import dev.relaycluster.usage.UsageRecord;
import dev.relaycluster.usage.UsageTags;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
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
  /** A flush this late was dropped (or waits behind a very slow write): another is scheduled. */
  private static final long FLUSH_LOST_AFTER_NANOS = Duration.ofSeconds(1).toNanos();

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  public record Create(String keyHash, String keyHint, KeySettings settings, long createdAt,
      ActorRef<StatusReply<KeyEntry>> replyTo) implements Command {
    /** A key with a name and a concurrency limit only. */
    public Create(String name, String keyHash, String keyHint, int concurrencyLimit, long createdAt,
        ActorRef<StatusReply<KeyEntry>> replyTo) {
      this(keyHash, keyHint, KeySettings.basic(name, concurrencyLimit), createdAt, replyTo);
    }
  }

  /** Replaces the key's settings (the admin merged the change into the current ones). */
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

  /** Records a request's usage exactly once (by request id) and releases its lease. */
  public record Settle(String leaseId, UsageRecord usage, ActorRef<Done> replyTo) implements Command {}

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

  public record KeyStatusReply(boolean exists, boolean revoked, int leasesInFlight, long requests, long costMicros)
      implements CborSerializable {}

  // ---- events

  public sealed interface Event extends CborSerializable {
    String keyId();
  }

  public record KeyCreated(String keyId, String name, String keyHash, String keyHint, int concurrencyLimit,
      long createdAt) implements Event {}

  /** The key's settings replaced (limits, access rules, expiry, rates, bindings, labels). */
  public record KeyUpdated(String keyId, KeySettings settings, long at) implements Event {}

  public record KeyRevoked(String keyId, long revokedAt) implements Event {}

  public record KeyDeleted(String keyId, long at) implements Event {}

  public record KeyRestored(String keyId, long at) implements Event {}

  /** An activation-mode key's first use: its expiry clock starts. */
  public record KeyActivated(String keyId, long at) implements Event {}

  public record UsageRecorded(UsageRecord usage) implements Event {
    @Override
    public String keyId() {
      return usage.keyId();
    }
  }

  // ---- state

  /**
   * The key as its events left it; {@code revision} counts definition events only. {@code totals} are
   * the durable rated-cost totals (day, week, all time) that cost limits are checked against.
   */
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
      List<String> recentRequestIds,
      KeySettings settings,
      long activatedAt,
      long deletedAt,
      CostTotals totals) implements CborSerializable {

    public State {
      recentRequestIds = recentRequestIds == null ? List.of() : recentRequestIds;
      totals = totals == null ? CostTotals.ZERO : totals;
    }

    public static State empty(String keyId) {
      return new State(keyId, null, null, null, 0, 0, 0, 0, 0, 0, 0, List.of(), null, 0, 0, CostTotals.ZERO);
    }

    public boolean exists() {
      return keyHash != null;
    }

    public boolean revoked() {
      return revokedAt > 0;
    }

    public boolean deleted() {
      return deletedAt > 0;
    }

    public boolean recorded(String requestId) {
      return RecentRequestIds.contains(recentRequestIds, requestId);
    }

    /** The settings in force (keys created before settings existed have a name and a concurrency limit). */
    public KeySettings currentSettings() {
      return settings != null ? settings : KeySettings.basic(name, concurrencyLimit);
    }

    /** Applies an event, with day buckets in UTC (enough for the directory, which needs no totals). */
    public State apply(Event event) {
      return apply(event, java.time.ZoneOffset.UTC);
    }

    /** Applies an event; usage is bucketed into days and weeks in {@code zone}. */
    public State apply(Event event, java.time.ZoneId zone) {
      if (event instanceof UsageRecorded recorded) {
        return withUsage(recorded.usage(), zone);
      }
      KeySettings s = currentSettings();
      long created = createdAt;
      String hash = keyHash;
      String hint = keyHint;
      long revoked = revokedAt;
      long activated = activatedAt;
      long deleted = deletedAt;
      if (event instanceof KeyCreated c) {
        s = KeySettings.basic(c.name(), c.concurrencyLimit());
        created = c.createdAt();
        hash = c.keyHash();
        hint = c.keyHint();
      } else if (event instanceof KeyUpdated u) {
        s = u.settings();
      } else if (event instanceof KeyRevoked r) {
        revoked = r.revokedAt();
      } else if (event instanceof KeyDeleted d) {
        deleted = d.at();
      } else if (event instanceof KeyRestored) {
        deleted = 0;
      } else if (event instanceof KeyActivated a) {
        activated = a.at();
      }
      return new State(keyId, s.name(), hash, hint, s.limits().concurrency(), created, revoked, revision + 1,
          requests, totalTokens, costMicros, recentRequestIds, s, activated, deleted, totals);
    }

    private State withUsage(UsageRecord u, java.time.ZoneId zone) {
      List<String> recent = RecentRequestIds.append(recentRequestIds, u.requestId(), REMEMBERED_REQUEST_IDS);
      return new State(keyId, name, keyHash, keyHint, concurrencyLimit, createdAt, revokedAt, revision,
          requests + 1, totalTokens + u.totalTokens(), costMicros + u.costMicros(), recent, settings,
          activatedAt, deletedAt, addCost(totals, u, currentSettings().limits(), zone));
    }

    /** The totals with one more usage counted, at the time the request ended. */
    static CostTotals addCost(CostTotals totals, UsageRecord u, KeyLimits limits, java.time.ZoneId zone) {
      long rated = u.ratedCostMicros() > 0 || u.costMicros() == 0 ? u.ratedCostMicros() : u.costMicros();
      boolean opus = RequestFacts.isOpus(u.model()) || RequestFacts.isOpus(u.servedModel());
      long endedAt = u.startedAt() + Math.max(0, u.durationMs());
      return totals.add(endedAt, rated, opus, zone, limits.weeklyResetDay(), limits.weeklyResetHour());
    }

    public KeyEntry toEntry() {
      KeyStatus status = revoked() ? KeyStatus.REVOKED : deleted() ? KeyStatus.DELETED : KeyStatus.ACTIVE;
      KeySettings s = currentSettings();
      return new KeyEntry(keyId, s.name(), keyHash, keyHint, s.limits().concurrency(), status, createdAt, revokedAt,
          revision, s, activatedAt, deletedAt);
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
  /** In-memory only: settlements whose usage waits for the next batch write (their senders retry if lost). */
  private final List<Settle> pendingUsage = new ArrayList<>();
  /** When the pending FlushUsage was scheduled, 0 if none; a flush stashed past the stash's capacity is lost. */
  private long flushScheduledAt;
  /** In-memory only: ids whose usage this incarnation wrote, beyond the state's last 512. */
  private final RecordedRequestIds written = new RecordedRequestIds(16_384);
  /** In-memory only: what each admitted request in flight reserved, by lease id. Owned by this actor. */
  private final HashMap<String, Reservation> reservations = new HashMap<>();
  /** In-memory only: the current rate window, or null. */
  private RateWindow window;

  public static void init(ActorSystem<?> system, KeyDirectory directory, int tagPartitions) {
    init(system, directory, tagPartitions, Clock.systemUTC(), ZoneOffset.UTC);
  }

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
        .onCommand(Update.class, this::onUpdate)
        .onCommand(Revoke.class, this::onRevoke)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Restore.class, this::onRestore)
        .onCommand(Admit.class, this::onAdmit)
        .onCommand(Release.class, (state, cmd) -> {
          leases.release(cmd.leaseId());
          reservations.remove(cmd.leaseId());
          return Effect().none();
        })
        .onCommand(Settle.class, this::onSettle)
        .onCommand(FlushUsage.class, (state, cmd) -> flushUsage(state))
        .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            new KeyStatusReply(state.exists(), state.revoked(), leases.size(), state.requests(), state.costMicros())))
        .onCommand(GetUsage.class, (state, cmd) -> Effect().reply(cmd.replyTo(), usage(state)))
        .onCommand(LeaseMessage.class, (state, cmd) ->
            leases.handle(cmd.message()) ? Effect().unstashAll() : Effect().none())
        .build();
  }

  private Effect<Event, State> onCreate(State state, Create cmd) {
    if (state.exists()) {
      if (state.keyHash().equals(cmd.keyHash())) {
        return Effect().reply(cmd.replyTo(), StatusReply.success(state.toEntry()));
      }
      return Effect().reply(cmd.replyTo(), StatusReply.error("key " + keyId + " already exists"));
    }
    KeySettings settings = cmd.settings();
    List<Event> events = new ArrayList<>();
    events.add(new KeyCreated(keyId, settings.name(), cmd.keyHash(), cmd.keyHint(), settings.limits().concurrency(),
        cmd.createdAt()));
    if (!settings.equals(KeySettings.basic(settings.name(), settings.limits().concurrency()))) {
      events.add(new KeyUpdated(keyId, settings, cmd.createdAt()));
    }
    return Effect()
        .persist(events)
        .thenRun(next -> directory.publish(next.toEntry()))
        .thenReply(cmd.replyTo(), next -> StatusReply.success(next.toEntry()));
  }

  private Effect<Event, State> onUpdate(State state, Update cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown key"));
    }
    if (cmd.expectedRevision() >= 0 && cmd.expectedRevision() != state.revision()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(CHANGED_CONCURRENTLY));
    }
    if (state.currentSettings().equals(cmd.settings())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(state.toEntry()));
    }
    return definitionChange(new KeyUpdated(keyId, cmd.settings(), cmd.at()), cmd.replyTo());
  }

  private Effect<Event, State> onRevoke(State state, Revoke cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown key"));
    }
    if (state.revoked()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(state.toEntry()));
    }
    return definitionChange(new KeyRevoked(keyId, cmd.revokedAt()), cmd.replyTo());
  }

  private Effect<Event, State> onDelete(State state, Delete cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown key"));
    }
    if (state.deleted()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(state.toEntry()));
    }
    return definitionChange(new KeyDeleted(keyId, cmd.at()), cmd.replyTo());
  }

  private Effect<Event, State> onRestore(State state, Restore cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown key"));
    }
    if (state.revoked()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("a revoked key cannot be restored"));
    }
    if (!state.deleted()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(state.toEntry()));
    }
    return definitionChange(new KeyRestored(keyId, cmd.at()), cmd.replyTo());
  }

  private Effect<Event, State> definitionChange(Event event, ActorRef<StatusReply<KeyEntry>> replyTo) {
    return Effect()
        .persist(event)
        .thenRun(next -> directory.publish(next.toEntry()))
        .thenReply(replyTo, next -> StatusReply.success(next.toEntry()));
  }

  private Effect<Event, State> onAdmit(State state, Admit cmd) {
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
    window = admit.window();
    KeyLimits limits = state.currentSettings().limits();
    if (limits.reservesCost() || limits.rateWindow() != null) {
      reservations.put(cmd.leaseId(), admit.reservation());
    }
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
  private KeyMeter meter(State state, long now, boolean countAll) {
    if (!reservations.isEmpty()) {
      reservations.keySet().removeIf(id -> !leases.holds(id));
    }
    long cost = 0;
    long opus = 0;
    long windowCost = 0;
    long windowTokens = 0;
    long windowStart = window == null ? -1 : window.start();
    for (Reservation r : reservations.values()) {
      cost += r.costMicros();
      opus += r.opus() ? r.costMicros() : 0;
      if (r.windowStart() == windowStart) {
        windowCost += r.costMicros();
        windowTokens += r.tokens();
      }
    }
    CostTotals spent = state.totals();
    KeyLimits limits = state.currentSettings().limits();
    if (limits.reservesCost() || countAll) {
      for (Settle pending : pendingUsage) {
        spent = State.addCost(spent, pending.usage(), limits, zone);
      }
    }
    return new KeyMeter(leases.size(), window, new Reserved(cost, opus, windowCost, windowTokens), spent);
  }

  private KeyUsage usage(State state) {
    long now = clock.millis();
    KeyMeter meter = meter(state, now, true);
    KeyLimits limits = state.currentSettings().limits();
    RateWindow open = window != null && window.open(now) ? window : null;
    // Usage settled but not yet written counts, as it does for admission.
    long requests = state.requests();
    long tokens = state.totalTokens();
    long real = state.costMicros();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Settle pending : pendingUsage) {
      if (seen.add(pending.usage().requestId()) && !recorded(state, pending.usage().requestId())) {
        requests++;
        tokens += pending.usage().totalTokens();
        real += pending.usage().costMicros();
      }
    }
    return new KeyUsage(state.exists() ? state.toEntry() : null, now, leases.size(), requests, tokens, open,
        meter.spent().today(now, zone),
        meter.spent().weekOpus(now, zone, limits.weeklyResetDay(), limits.weeklyResetHour()),
        meter.spent().totalMicros(), real, meter.reserved().costMicros(),
        ResetCalendar.nextDayStart(now, zone),
        ResetCalendar.nextWeekStart(now, zone, limits.weeklyResetDay(), limits.weeklyResetHour()));
  }

  /**
   * Releases the lease and its reservation at once (the real usage takes the reservation's place in the
   * rate window and, once written, in the cost totals) and queues the usage; queued usage is persisted in
   * one batch a moment later (or as soon as the batch is full), so a busy key writes one journal batch for
   * many requests instead of one write each, and admissions do not queue behind every single write.
   */
  private Effect<Event, State> onSettle(State state, Settle cmd) {
    leases.release(cmd.leaseId());
    Reservation reservation = reservations.remove(cmd.leaseId());
    if (cmd.usage() == null || recorded(state, cmd.usage().requestId())) {
      return Effect().reply(cmd.replyTo(), Done.getInstance());
    }
    if (reservation != null && window != null && reservation.windowStart() == window.start()) {
      UsageRecord u = cmd.usage();
      long rated = u.ratedCostMicros() > 0 || u.costMicros() == 0 ? u.ratedCostMicros() : u.costMicros();
      window = window.withUsage(u.totalTokens(), rated);
    }
    pendingUsage.add(cmd);
    if (pendingUsage.size() >= MAX_USAGE_BATCH) {
      return flushUsage(state);
    }
    long now = System.nanoTime();
    // A flush dropped by a full stash (thousands of streams ending together) would otherwise leave the
    // queued usage waiting for a full batch; scheduling another is harmless (an empty flush does nothing).
    if (flushScheduledAt == 0 || now - flushScheduledAt > FLUSH_LOST_AFTER_NANOS) {
      flushScheduledAt = now;
      context.scheduleOnce(USAGE_BATCH_WINDOW, context.getSelf(), new FlushUsage());
    }
    return Effect().none();
  }

  private Effect<Event, State> flushUsage(State state) {
    flushScheduledAt = 0;
    if (pendingUsage.isEmpty()) {
      return Effect().none();
    }
    List<Settle> batch = List.copyOf(pendingUsage);
    pendingUsage.clear();
    java.util.Set<String> seen = new java.util.HashSet<>();
    List<Event> events = batch.stream()
        .filter(s -> seen.add(s.usage().requestId()) && !recorded(state, s.usage().requestId()))
        .<Event>map(s -> new UsageRecorded(s.usage()))
        .toList();
    return Effect().persist(events).thenRun(next -> {
      written.addAll(seen);
      batch.forEach(s -> s.replyTo().tell(Done.getInstance()));
    });
  }

  /** Whether usage for this request was written already (in the state's window or by this incarnation). */
  private boolean recorded(State state, String requestId) {
    return state.recorded(requestId) || written.contains(requestId);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return (state, event) -> state.apply(event, zone);
  }
}
