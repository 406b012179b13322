package dev.relaycluster.account;

import dev.relaycluster.alerts.AlertKind;
import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.cluster.JournalWrites;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.cluster.LeaseKeeper;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One upstream account: its definition, sealed credentials and health (event-sourced), and the leases
 * of requests using it right now (in memory, released by the requester or when its node dies). Every
 * change is published to the {@link PoolView}.
 *
 * <p>Health ({@link HealthWrites}): requesters {@link Report} what upstream answered; {@link CooldownRules}
 * turns it into a cooldown (with a timer that announces the recovery), a block, an unauthorized mark, or
 * clears the marks on success. OAuth tokens are refreshed here, ahead of expiry, single-flight by construction
 * (one entity per account in the cluster): while a refresh runs, acquires wait in the stash, and they
 * are answered only after the new tokens (with the rotated refresh token) are persisted.
 */
public final class AccountEntity
    extends EventSourcedBehavior<AccountEntity.Command, AccountEntity.Event, AccountState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "Account");
  /** Tag of every account event, replayed at start-up to rebuild the pool view. */
  public static final String DEFINITION_TAG = "account-def";

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  public record Create(AccountDefinition definition, ActorRef<StatusReply<PoolEntry>> replyTo) implements Command {}

  public record Update(AccountPatch patch, ActorRef<StatusReply<PoolEntry>> replyTo) implements Command {}

  public record Delete(long deletedAt, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * A lease for one request, with the credentials to call upstream; refused while a real limit covers {@code family},
   * the model family it was routed for (null: a pinned socket's turn, not routed by cooldowns).
   */
  public record Acquire(String leaseId, ActorRef<LeaseHolder.Command> holder, ActorRef<AcquireReply> replyTo,
      String family) implements Command {
    public Acquire(String leaseId, ActorRef<LeaseHolder.Command> holder, ActorRef<AcquireReply> replyTo) {
      this(leaseId, holder, replyTo, null);
    }
  }

  /** The credentials without a lease (an admin's test request); refreshed first when due. */
  public record Borrow(ActorRef<AcquireReply> replyTo) implements Command {}

  public record Release(String leaseId) implements Command {}

  /** A node handed the account out from its {@link AccountReplicas} at {@code at} (no lease; nobody waits). */
  public record Used(long at) implements Command {}

  public record GetStatus(ActorRef<AccountStatusReply> replyTo) implements Command {}

  /**
   * What upstream answered a request made with this account. {@code afterRefresh}: the request was
   * already retried with refreshed tokens. {@code replyTo} may be null (nobody waits).
   */
  public record Report(String leaseId, AnswerVerdict verdict, boolean afterRefresh, ActorRef<ReportReply> replyTo,
      byte[] usedSecrets, String family) implements Command {
    public Report(String leaseId, AnswerVerdict verdict, boolean afterRefresh, ActorRef<ReportReply> replyTo) {
      this(leaseId, verdict, afterRefresh, replyTo, null, null);
    }

    /** Reports an answer to a request for a model of {@code family} ("opus", "sonnet", …; null unknown). */
    public static Report of(String leaseId, AnswerVerdict verdict, boolean afterRefresh, String family) {
      return new Report(leaseId, verdict, afterRefresh, null, null, family);
    }
  }

  /** An admin clears every health mark (cooldowns, block, unauthorized). */
  public record ResetHealth(long at, ActorRef<StatusReply<PoolEntry>> replyTo) implements Command {}

  /** Lease bookkeeping (holder terminated, holders found, leases reported), handled by the LeaseKeeper. */
  private record LeaseMessage(Object message) implements Command {}

  private record RefreshDone(OAuthTokens tokens, Throwable failure) implements Command {}

  /** A background quota reading finished. */
  private record QuotaDone(QuotaSnapshot snapshot, Throwable failure) implements Command {}

  private record CooldownTimer(String family, long until) implements Command {}

  /** Time to refresh the OAuth tokens ahead of their expiry, if nobody has done it meanwhile. */
  private record RefreshTimer() implements Command {}

  // ---- replies

  public sealed interface AcquireReply extends CborSerializable {}

  /** {@code revision}: the account's revision {@code account} is (0: unknown; not kept in a replica). */
  public record Granted(String leaseId, AccountDefinition account, long revision) implements AcquireReply {}

  public record Unavailable(String reason) implements AcquireReply {}

  public sealed interface ReportReply extends CborSerializable {}

  /** The report is taken into account; nothing more to do. */
  public record Noted() implements ReportReply {}

  /** The tokens were refreshed after a 401: retry the request once with these credentials. */
  public record RetryWith(AccountDefinition account) implements ReportReply {}

  /**
   * {@code node} is the cluster address of the node hosting this entity right now; {@code projectId} the
   * Google Cloud project of a gemini-oauth account (null otherwise or unknown); {@code quota} the last
   * background quota reading (null: none yet); {@code settings} the account's settings that are not secret
   * (a region, a deployment; see {@link dev.relaycluster.upstream.CredentialSettings#shown}).
   */
  public record AccountStatusReply(boolean exists, AccountStatus status, int leasesInFlight, long lastUsedAt,
      String node, List<RecentError> recentErrors, String projectId, QuotaSnapshot quota, Map<String, String> settings)
      implements CborSerializable {
    public AccountStatusReply {
      settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    public AccountStatusReply(boolean exists, AccountStatus status, int leasesInFlight, long lastUsedAt, String node) {
      this(exists, status, leasesInFlight, lastUsedAt, node, List.of());
    }

    public AccountStatusReply(boolean exists, AccountStatus status, int leasesInFlight, long lastUsedAt, String node,
        List<RecentError> recentErrors) {
      this(exists, status, leasesInFlight, lastUsedAt, node, recentErrors, null, null, Map.of());
    }
  }

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record AccountCreated(AccountDefinition definition) implements Event {}

  public record AccountUpdated(AccountDefinition definition) implements Event {}

  public record AccountDeleted(String accountId, long deletedAt) implements Event {}

  /** Events about what upstream's answers did to the account. */
  public sealed interface HealthEvent extends Event {
    String accountId();
  }

  public record CooldownStarted(String accountId, CooldownMark mark) implements HealthEvent {}

  /** A cooldown's time ran out (the account recovered). */
  public record CooldownEnded(String accountId, String family, long at) implements HealthEvent {}

  public record AccountBlocked(String accountId, String reason, long at) implements HealthEvent {}

  public record AccountUnauthorized(String accountId, String reason, long at) implements HealthEvent {}

  public record HealthReset(String accountId, long at) implements HealthEvent {}

  /** The fullest rate-limit window moved into another 10 % band. */
  public record UtilisationSeen(String accountId, double utilisation, long at, UsageWindows windows)
      implements HealthEvent {
    public UtilisationSeen(String accountId, double utilisation, long at) {
      this(accountId, utilisation, at, null);
    }
  }

  /** New OAuth tokens (with the rotated refresh token) sealed into the secrets. */
  public record TokensRefreshed(String accountId, byte[] sealedSecrets, long at) implements HealthEvent {}

  // ---- behavior

  private final String accountId;
  private final ActorContext<Command> context;
  private final PoolView pool;
  private final AccountServices services;
  /** In-memory only: requests using this account right now, and when it was last handed out. */
  private final LeaseKeeper<Command> leases;
  private long lastUsedAt;
  /** In-memory only: the token refresh in flight and who waits for it after a 401, and recent errors. */
  private final TokenRefresh refresh;
  private final RecentErrors recentErrors;
  /** In-memory only: the background quota reading of account types that report one. */
  private final QuotaWatch quota;
  /** The health events' writes (reports, cooldown timers, resets, token refreshes, quota readings). */
  private final HealthWrites health;
  private final JournalWrites journal;

  public static void init(ActorSystem<?> system, AccountServices services) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY, ctx -> create(ctx.getEntityId(), services)));
  }

  public static void init(ActorSystem<?> system, PoolView pool) {
    init(system, AccountServices.poolOnly(pool));
  }

  public static Behavior<Command> create(String accountId, AccountServices services) {
    return Behaviors.setup(ctx -> new AccountEntity(ctx, accountId, services));
  }

  public static Behavior<Command> create(String accountId, PoolView pool) {
    return create(accountId, AccountServices.poolOnly(pool));
  }

  public static PersistenceId persistenceId(String accountId) {
    return PersistenceId.of(ENTITY_TYPE_KEY.name(), accountId);
  }

  private AccountEntity(ActorContext<Command> context, String accountId, AccountServices services) {
    super(persistenceId(accountId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.context = context;
    this.leases = new LeaseKeeper<>(context, persistenceId(accountId).id(), LeaseMessage::new);
    this.accountId = accountId;
    this.pool = services.pool();
    this.services = services;
    this.recentErrors = new RecentErrors(services.settings().recentErrors());
    this.refresh = new TokenRefresh(context, accountId, services, RefreshDone::new, RefreshTimer::new);
    this.quota = new QuotaWatch(context, accountId, services.quota(), refresh::secrets, QuotaDone::new);
    this.health = new HealthWrites(accountId, context, Effect(), services, refresh, recentErrors, quota,
        CooldownTimer::new);
    this.journal = JournalWrites.get(context.getSystem());
  }

  @Override
  public AccountState emptyState() {
    return AccountState.empty(accountId);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(DEFINITION_TAG);
  }

  @Override
  public SignalHandler<AccountState> signalHandler() {
    // Leases are not in the journal: after (re)starting, ask the nodes' lease holders which are still held.
    // Cooldown timers are not either: start them again for the marks the journal left.
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      leases.recover();
      state.health().marks().forEach(health::scheduleEnd);
      refresh.schedule(state);
    }).build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandler<Command, Event, AccountState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Update.class, this::onUpdate)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Acquire.class, this::onAcquire)
        .onCommand(Borrow.class, this::onBorrow)
        .onCommand(Release.class, (state, cmd) -> {
          leases.release(cmd.leaseId());
          return Effect().none();
        })
        .onCommand(Used.class, (state, cmd) -> {
          if (state.exists() && cmd.at() > lastUsedAt) {
            lastUsedAt = cmd.at();
            quota.used(state, cmd.at());
          }
          return Effect().none();
        })
        .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new AccountStatusReply(
            state.exists(), state.definition() == null ? AccountStatus.DELETED : state.status(),
            leases.size(), lastUsedAt, context.getSystem().address().toString(), recentErrors.newestFirst(),
            StatusFacts.projectOf(state, refresh.secrets(state)), quota.latest(),
            StatusFacts.shownSettings(state, refresh.secrets(state)))))
        .onCommand(Report.class, health::report)
        .onCommand(ResetHealth.class, health::reset)
        .onCommand(RefreshDone.class, (state, done) -> health.refreshDone(state, done.tokens(), done.failure()))
        .onCommand(QuotaDone.class, (state, done) -> health.quotaDone(state, done.snapshot(), done.failure()))
        .onCommand(CooldownTimer.class, (state, timer) -> health.cooldownTimer(state, timer.family(), timer.until()))
        .onCommand(RefreshTimer.class, (state, cmd) -> {
          refresh.timerFired(state);
          return Effect().none();
        })
        .onCommand(LeaseMessage.class, (state, cmd) ->
            leases.handle(cmd.message()) ? Effect().unstashAll() : Effect().none())
        .build();
  }

  private Effect<Event, AccountState> onCreate(AccountState state, Create cmd) {
    if (state.definition() != null) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("account " + accountId + " already exists"));
    }
    return persist(new AccountCreated(cmd.definition()))
        .thenRun(next -> pool.publish(next.toEntry()))
        .thenReply(cmd.replyTo(), next -> StatusReply.success(next.toEntry()));
  }

  private Effect<Event, AccountState> onUpdate(AccountState state, Update cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown account"));
    }
    boolean pausing = !state.definition().paused() && Boolean.TRUE.equals(cmd.patch().paused());
    AccountDefinition updated = cmd.patch().applyTo(state.definition(), services.vault(), accountId);
    if (updated == null) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("the account's stored credentials cannot be read"));
    }
    return persist(new AccountUpdated(updated))
        .thenRun(next -> {
          pool.publish(next.toEntry());
          if (pausing) {
            health.alert(next, AlertKind.DISABLED_BY_ADMIN, "paused by an admin", 0);
          }
        })
        .thenReply(cmd.replyTo(), next -> StatusReply.success(next.toEntry()));
  }

  private Effect<Event, AccountState> onDelete(AccountState state, Delete cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown account"));
    }
    return persist(new AccountDeleted(accountId, cmd.deletedAt()))
        .thenRun(next -> pool.publish(next.toEntry()))
        .thenReply(cmd.replyTo(), next -> StatusReply.ack());
  }

  private Effect<Event, AccountState> onAcquire(AccountState state, Acquire cmd) {
    if (leases.recovering()) {
      return Effect().stash();
    }
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), new Unavailable("account no longer exists"));
    }
    AccountDefinition d = state.definition();
    if (leases.holds(cmd.leaseId())) {
      return Effect().reply(cmd.replyTo(), new Granted(cmd.leaseId(), d, state.revision()));
    }
    if (leases.released(cmd.leaseId())) {
      // The requester gave up waiting and released this lease already; its reply goes nowhere.
      return Effect().reply(cmd.replyTo(), new Unavailable("the request gave up waiting"));
    }
    String refusal = state.refusal(leases.size());
    if (refusal == null && cmd.family() != null) {
      refusal = state.limitRefusal(cmd.family(), System.currentTimeMillis());
    }
    if (refusal != null) {
      return Effect().reply(cmd.replyTo(), new Unavailable(refusal));
    }
    if (refresh.holdsUp(state)) {
      return Effect().stash();
    }
    String leaseId = cmd.leaseId();
    leases.grant(leaseId, cmd.holder());
    lastUsedAt = System.currentTimeMillis();
    quota.used(state, lastUsedAt);
    return Effect().reply(cmd.replyTo(), new Granted(leaseId, d, state.revision()));
  }

  private Effect<Event, AccountState> onBorrow(AccountState state, Borrow cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), new Unavailable("account no longer exists"));
    }
    if (refresh.holdsUp(state)) {
      return Effect().stash();
    }
    quota.used(state, System.currentTimeMillis());
    return Effect().reply(cmd.replyTo(), new Granted(null, state.definition(), state.revision()));
  }

  /** Persists a definition event, its journal write timed (see {@link JournalWrites}). */
  private EffectBuilder<Event, AccountState> persist(Event event) {
    return journal.persist(Effect(), HealthWrites.ENTITY, event);
  }

  @Override
  public EventHandler<AccountState, Event> eventHandler() {
    return (state, event) -> state.apply(event);
  }
}
