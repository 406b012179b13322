package dev.relaycluster.account;

import dev.relaycluster.alerts.AccountAlert;
import dev.relaycluster.alerts.AlertKind;
import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.store.CredentialDecryptionException;
import dev.relaycluster.upstream.ProxySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.cluster.LeaseKeeper;
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
 * One upstream account: its definition, sealed credentials and health (event-sourced), and the leases
 * of requests using it right now (in memory, released by the requester or when its node dies). Every
 * change is published to the {@link PoolView}.
 *
 * <p>Health: requesters {@link Report} what upstream answered; {@link CooldownRules} turns it into a
 * cooldown (with a timer that announces the recovery), a block, an unauthorized mark, or clears the
 * marks on success. OAuth tokens are refreshed here, ahead of expiry, single-flight by construction
 * (one entity per account in the cluster): while a refresh runs, acquires wait in the stash, and they
 * are answered only after the new tokens (with the rotated refresh token) are persisted.
 */
public final class AccountEntity
    extends EventSourcedBehavior<AccountEntity.Command, AccountEntity.Event, AccountEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "Account");
  /** Tag of every account event, replayed at start-up to rebuild the pool view. */
  public static final String DEFINITION_TAG = "account-def";
  /** A refresh that failed is not retried on acquire for this long (401s still force one). */
  private static final long REFRESH_RETRY_PAUSE_MS = 30_000;

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  public record Create(AccountDefinition definition, ActorRef<StatusReply<PoolEntry>> replyTo) implements Command {}

  public record Update(AccountPatch patch, ActorRef<StatusReply<PoolEntry>> replyTo) implements Command {}

  public record Delete(long deletedAt, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Ask for a lease on this account for one request, with the credentials to call upstream. */
  public record Acquire(String leaseId, ActorRef<LeaseHolder.Command> holder, ActorRef<AcquireReply> replyTo)
      implements Command {}

  /** The credentials without a lease (an admin's test request); refreshed first when due. */
  public record Borrow(ActorRef<AcquireReply> replyTo) implements Command {}

  public record Release(String leaseId) implements Command {}

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

  private record CooldownTimer(String family, long until) implements Command {}

  /** Time to refresh the OAuth tokens ahead of their expiry, if nobody has done it meanwhile. */
  private record RefreshTimer() implements Command {}

  // ---- replies

  public sealed interface AcquireReply extends CborSerializable {}

  public record Granted(String leaseId, AccountDefinition account) implements AcquireReply {}

  public record Unavailable(String reason) implements AcquireReply {}

  public sealed interface ReportReply extends CborSerializable {}

  /** The report is taken into account; nothing more to do. */
  public record Noted() implements ReportReply {}

  /** The tokens were refreshed after a 401: retry the request once with these credentials. */
  public record RetryWith(AccountDefinition account) implements ReportReply {}

  /** {@code node} is the cluster address of the node hosting this entity right now. */
  public record AccountStatusReply(boolean exists, AccountStatus status, int leasesInFlight, long lastUsedAt,
      String node, List<RecentError> recentErrors) implements CborSerializable {
    public AccountStatusReply(boolean exists, AccountStatus status, int leasesInFlight, long lastUsedAt, String node) {
      this(exists, status, leasesInFlight, lastUsedAt, node, List.of());
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

  // ---- state

  /** The account as its events left it; {@code revision} counts events. */
  public record State(String accountId, AccountDefinition definition, long deletedAt, long revision,
      AccountHealth health) implements CborSerializable {

    public State {
      health = health == null ? AccountHealth.CLEAR : health;
    }

    public State(String accountId, AccountDefinition definition, long deletedAt, long revision) {
      this(accountId, definition, deletedAt, revision, AccountHealth.CLEAR);
    }

    public boolean exists() {
      return definition != null && deletedAt == 0;
    }

    public AccountStatus status() {
      if (deletedAt > 0) {
        return AccountStatus.DELETED;
      }
      if (definition.paused()) {
        return AccountStatus.PAUSED;
      }
      if (health.blocked()) {
        return AccountStatus.BLOCKED;
      }
      return health.unauthorized() ? AccountStatus.UNAUTHORIZED : AccountStatus.ACTIVE;
    }

    public State apply(Event event) {
      long r = revision + 1;
      if (event instanceof AccountCreated c) {
        return new State(accountId, c.definition(), 0, r, AccountHealth.CLEAR);
      }
      if (event instanceof AccountUpdated u) {
        boolean newCredentials = definition != null
            && !Arrays.equals(definition.sealedSecrets(), u.definition().sealedSecrets());
        return new State(accountId, u.definition(), deletedAt, r,
            newCredentials ? health.withUnauthorized(null) : health);
      }
      if (event instanceof AccountDeleted d) {
        return new State(accountId, definition, d.deletedAt(), r, health);
      }
      if (event instanceof TokensRefreshed t) {
        return new State(accountId, definition.withSecrets(t.sealedSecrets(), definition.updatedAt()), deletedAt, r,
            health.withUnauthorized(null));
      }
      AccountHealth next;
      if (event instanceof CooldownStarted c) {
        next = health.cooling(c.mark());
      } else if (event instanceof CooldownEnded e) {
        next = health.ended(e.family());
      } else if (event instanceof AccountBlocked b) {
        next = health.withBlock(b.reason());
      } else if (event instanceof AccountUnauthorized u) {
        next = health.withUnauthorized(u.reason());
      } else if (event instanceof HealthReset) {
        next = AccountHealth.CLEAR;
      } else if (event instanceof UtilisationSeen u) {
        next = health.withUtilisation(u.utilisation(), u.windows());
      } else {
        next = health;
      }
      return new State(accountId, definition, deletedAt, r, next);
    }

    public PoolEntry toEntry() {
      AccountDefinition d = definition;
      String reason = health.blocked() ? health.blockedReason() : health.unauthorizedReason();
      return new PoolEntry(accountId, d.name(), d.platform(), d.type(), d.baseUrl(), d.priority(),
          d.maxConcurrency(), status(), d.createdAt(), deletedAt > 0 ? deletedAt : d.updatedAt(), revision,
          d.tier(), d.groups(), health.marks(), health.utilisation(), d.priceMultiplier(), d.proxy(), reason,
          health.windows());
    }
  }

  // ---- behavior

  private final String accountId;
  private final ActorContext<Command> context;
  private final PoolView pool;
  private final AccountServices services;
  /** In-memory only: requests using this account right now, and when it was last handed out. */
  private final LeaseKeeper<Command> leases;
  private long lastUsedAt;
  /** In-memory only: the token refresh in flight, who waits for it after a 401, and recent errors. */
  private boolean refreshing;
  private long lastRefreshFailedAt;
  private final List<ActorRef<ReportReply>> awaitingRefresh = new ArrayList<>();
  private final RecentErrors recentErrors;

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
    // Cooldown timers are not either: start them again for the marks the journal left.
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      leases.recover();
      state.health().marks().forEach(this::scheduleEnd);
      scheduleRefresh(state);
    }).build();
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
        .onCommand(Borrow.class, this::onBorrow)
        .onCommand(Release.class, (state, cmd) -> {
          leases.release(cmd.leaseId());
          return Effect().none();
        })
        .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new AccountStatusReply(
            state.exists(), state.definition() == null ? AccountStatus.DELETED : state.status(),
            leases.size(), lastUsedAt, context.getSystem().address().toString(), recentErrors.newestFirst())))
        .onCommand(Report.class, this::onReport)
        .onCommand(ResetHealth.class, this::onReset)
        .onCommand(RefreshDone.class, this::onRefreshDone)
        .onCommand(CooldownTimer.class, this::onCooldownTimer)
        .onCommand(RefreshTimer.class, (state, cmd) -> {
          if (state.exists() && !refreshing && refreshDue(state)) {
            startRefresh(state);
          }
          return Effect().none();
        })
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
    boolean pausing = !state.definition().paused() && Boolean.TRUE.equals(cmd.patch().paused());
    AccountDefinition updated = withMergedProxy(state.definition(), cmd.patch());
    if (updated == null) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("the account's stored credentials cannot be read"));
    }
    return Effect().persist(new AccountUpdated(updated))
        .thenRun(next -> {
          pool.publish(next.toEntry());
          if (pausing) {
            alert(next, AlertKind.DISABLED_BY_ADMIN, "paused by an admin", 0);
          }
        })
        .thenReply(cmd.replyTo(), next -> StatusReply.success(next.toEntry()));
  }

  /**
   * Applies an edit; new credentials keep the current proxy unless the edit sets one, and a proxy edit
   * changes only the proxy of the current secrets. Null when the current secrets cannot be opened.
   */
  private AccountDefinition withMergedProxy(AccountDefinition current, AccountPatch patch) {
    AccountDefinition next = patch.applyTo(current);
    if (services.vault() == null || (patch.sealedSecrets() == null && patch.sealedProxy() == null)) {
      return next;
    }
    try {
      CredentialVault vault = services.vault();
      AccountSecrets base = vault.open(accountId, next.sealedSecrets());
      String proxyUrl = patch.sealedProxy() != null
          ? vault.open(accountId, patch.sealedProxy()).proxyUrl()
          : vault.open(accountId, current.sealedSecrets()).proxyUrl();
      return next.withSecrets(vault.seal(accountId, base.withProxy(proxyUrl)), next.updatedAt());
    } catch (CredentialDecryptionException | IllegalStateException e) {
      return null;
    }
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
    if (leases.released(cmd.leaseId())) {
      // The requester gave up waiting and released this lease already; its reply goes nowhere.
      return Effect().reply(cmd.replyTo(), new Unavailable("the request gave up waiting"));
    }
    if (d.paused()) {
      return Effect().reply(cmd.replyTo(), new Unavailable("account is paused"));
    }
    if (state.health().blocked()) {
      return Effect().reply(cmd.replyTo(), new Unavailable("account is blocked: " + state.health().blockedReason()));
    }
    if (state.health().unauthorized()) {
      return Effect().reply(cmd.replyTo(),
          new Unavailable("account is unauthorized: " + state.health().unauthorizedReason()));
    }
    if (d.maxConcurrency() > 0 && leases.size() >= d.maxConcurrency()) {
      return Effect().reply(cmd.replyTo(),
          new Unavailable("account is at its concurrency limit of " + d.maxConcurrency()));
    }
    if (refreshing) {
      return Effect().stash();
    }
    if (refreshDue(state)) {
      startRefresh(state);
      return Effect().stash();
    }
    String leaseId = cmd.leaseId();
    leases.grant(leaseId, cmd.holder());
    lastUsedAt = System.currentTimeMillis();
    return Effect().reply(cmd.replyTo(), new Granted(leaseId, d));
  }

  private Effect<Event, State> onBorrow(State state, Borrow cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), new Unavailable("account no longer exists"));
    }
    if (refreshing) {
      return Effect().stash();
    }
    if (refreshDue(state)) {
      startRefresh(state);
      return Effect().stash();
    }
    return Effect().reply(cmd.replyTo(), new Granted(null, state.definition()));
  }

  // ---- health

  private Effect<Event, State> onReport(State state, Report cmd) {
    if (!state.exists()) {
      return replyNoted(cmd);
    }
    long now = System.currentTimeMillis();
    AnswerVerdict v = cmd.verdict();
    if (v.answerClass() != AnswerClass.SUCCESS) {
      recentErrors.add(new RecentError(now, v.status(), v.answerClass().name().toLowerCase(java.util.Locale.ROOT),
          v.message()));
    }
    HealthDecision decision = CooldownRules.decide(v, now, services.settings().cooldowns(), canRefresh(state),
        cmd.afterRefresh());
    AccountHealth health = state.health();
    if (decision instanceof HealthDecision.Healthy h) {
      // A success clears the account-wide marks and those of the request's family; a Sonnet answer
      // says nothing about an Opus limit.
      List<Event> events = new ArrayList<>(2);
      List<CooldownMark> cleared = SuccessHealth.cleared(health.marks(), cmd.family());
      cleared.forEach(m -> events.add(new CooldownEnded(accountId, m.family(), now)));
      if (SuccessHealth.utilisationMoved(health.utilisation(), h.utilisation())) {
        events.add(new UtilisationSeen(accountId, h.utilisation(), now, UsageWindows.of(v)));
      }
      if (events.isEmpty()) {
        return replyNoted(cmd);
      }
      return Effect().persist(events).thenRun(next -> {
        pool.publish(next.toEntry());
        if (cleared.stream().anyMatch(m -> m.activeAt(now))) {
          alert(next, AlertKind.RECOVERED, "answered successfully again; cooldowns cleared", 0);
        }
        replyNoted(cmd.replyTo());
      });
    }
    if (decision instanceof HealthDecision.Cool c) {
      CooldownMark mark = c.mark();
      CooldownMark existing = health.cooldowns().get(mark.family());
      if (existing != null && existing.until() >= mark.until()) {
        return replyNoted(cmd);
      }
      return Effect().persist(new CooldownStarted(accountId, mark)).thenRun(next -> {
        pool.publish(next.toEntry());
        scheduleEnd(mark);
        if (mark.status() == 429) {
          alert(next, AlertKind.RATE_LIMITED, mark.reason(), mark.until());
        }
        replyNoted(cmd.replyTo());
      });
    }
    if (decision instanceof HealthDecision.Refresh) {
      boolean tokensChanged = cmd.usedSecrets() != null
          && !Arrays.equals(cmd.usedSecrets(), state.definition().sealedSecrets());
      if (tokensChanged && cmd.replyTo() != null) {
        // Tokens changed since this request took its lease: retry with them, no second refresh.
        return Effect().reply(cmd.replyTo(), new RetryWith(state.definition()));
      }
      if (cmd.replyTo() != null) {
        awaitingRefresh.add(cmd.replyTo());
      }
      if (!refreshing) {
        startRefresh(state);
      }
      return Effect().none();
    }
    if (decision instanceof HealthDecision.Unauthorized u) {
      return health.unauthorized() ? replyNoted(cmd) : markUnauthorized(u.reason(),
          cmd.replyTo() == null ? List.of() : List.of(cmd.replyTo()));
    }
    if (decision instanceof HealthDecision.Block b) {
      if (health.blocked()) {
        return replyNoted(cmd);
      }
      return Effect().persist(new AccountBlocked(accountId, b.reason(), now)).thenRun(next -> {
        pool.publish(next.toEntry());
        alert(next, AlertKind.BLOCKED, b.reason(), 0);
        replyNoted(cmd.replyTo());
      });
    }
    return replyNoted(cmd);
  }

  private org.apache.pekko.persistence.typed.javadsl.EffectBuilder<Event, State> markUnauthorized(String reason, List<ActorRef<ReportReply>> waiting) {
    return Effect().persist(new AccountUnauthorized(accountId, reason, System.currentTimeMillis())).thenRun(next -> {
      pool.publish(next.toEntry());
      alert(next, AlertKind.UNAUTHORIZED, reason, 0);
      waiting.forEach(this::replyNoted);
    });
  }

  private Effect<Event, State> onReset(State state, ResetHealth cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown account"));
    }
    recentErrors.clear();
    lastRefreshFailedAt = 0;
    return Effect().persist(new HealthReset(accountId, cmd.at()))
        .thenRun(next -> pool.publish(next.toEntry()))
        .thenReply(cmd.replyTo(), next -> StatusReply.success(next.toEntry()));
  }

  private Effect<Event, State> onCooldownTimer(State state, CooldownTimer timer) {
    CooldownMark mark = state.health().cooldowns().get(timer.family());
    if (mark == null || mark.until() != timer.until()) {
      return Effect().none();
    }
    long now = System.currentTimeMillis();
    if (mark.activeAt(now)) {
      scheduleEnd(mark);
      return Effect().none();
    }
    return Effect().persist(new CooldownEnded(accountId, timer.family(), now)).thenRun(next -> {
      pool.publish(next.toEntry());
      alert(next, AlertKind.RECOVERED, "cooldown ended (" + mark.reason() + ")", 0);
    });
  }

  private void scheduleEnd(CooldownMark mark) {
    long delay = Math.max(0, mark.until() - System.currentTimeMillis());
    context.scheduleOnce(Duration.ofMillis(delay + 1), context.getSelf(), new CooldownTimer(mark.family(), mark.until()));
  }

  // ---- OAuth refresh

  private boolean canRefresh(State state) {
    AccountSecrets s = secrets(state);
    return s != null && state.definition().type().oauth() && s.refreshToken() != null
        && !s.refreshToken().isBlank();
  }

  private boolean refreshDue(State state) {
    if (!state.definition().type().oauth() || services.vault() == null) {
      return false;
    }
    long now = System.currentTimeMillis();
    if (lastRefreshFailedAt > 0 && now - lastRefreshFailedAt < REFRESH_RETRY_PAUSE_MS) {
      return false;
    }
    AccountSecrets s = secrets(state);
    return s != null && s.refreshToken() != null && !s.refreshToken().isBlank() && s.expiresAt() > 0
        && now >= s.expiresAt() - services.settings().refreshAhead().toMillis();
  }

  /**
   * While the entity lives, refresh ahead of expiry without waiting for a request (a passivated entity
   * refreshes on the next acquire instead).
   */
  private void scheduleRefresh(State state) {
    if (!state.exists() || !state.definition().type().oauth()) {
      return;
    }
    AccountSecrets s = secrets(state);
    if (s == null || s.refreshToken() == null || s.expiresAt() <= 0) {
      return;
    }
    long delay = s.expiresAt() - services.settings().refreshAhead().toMillis() - System.currentTimeMillis();
    context.scheduleOnce(Duration.ofMillis(Math.max(0, delay) + 1), context.getSelf(), new RefreshTimer());
  }

  private void startRefresh(State state) {
    AccountSecrets s = secrets(state);
    refreshing = true;
    if (s == null || s.refreshToken() == null) {
      context.getSelf().tell(new RefreshDone(null, new OAuthException("the account has no refresh token", true)));
      return;
    }
    ProxySpec proxy;
    try {
      proxy = s.proxyUrl() == null ? null : ProxySpec.parse(s.proxyUrl());
    } catch (IllegalArgumentException e) {
      context.getSelf().tell(new RefreshDone(null, new OAuthException("the account's proxy is invalid", false)));
      return;
    }
    context.getLog().info("refreshing the OAuth tokens of account {}", accountId);
    context.pipeToSelf(services.refresher().refresh(state.definition().type(), s.refreshToken(), proxy),
        RefreshDone::new);
  }

  private Effect<Event, State> onRefreshDone(State state, RefreshDone done) {
    refreshing = false;
    List<ActorRef<ReportReply>> waiting = List.copyOf(awaitingRefresh);
    awaitingRefresh.clear();
    long now = System.currentTimeMillis();
    AccountSecrets old = state.exists() ? secrets(state) : null;
    if (done.failure() != null || old == null) {
      Throwable cause = done.failure();
      while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String why = cause == null ? "the account's credentials cannot be read" : cause.getMessage();
      lastRefreshFailedAt = now;
      context.getLog().warn("OAuth refresh of account {} failed: {}", accountId, why);
      recentErrors.add(new RecentError(now, 0, "refresh_failed", why));
      if (state.exists()) {
        alert(state, AlertKind.REFRESH_FAILED, why, 0);
      }
      boolean dead = cause instanceof OAuthException oe && oe.rejected();
      if (state.exists() && (dead || !waiting.isEmpty()) && !state.health().unauthorized()) {
        return markUnauthorized("token refresh failed: " + why, waiting).thenUnstashAll();
      }
      waiting.forEach(this::replyNoted);
      return Effect().unstashAll();
    }
    OAuthTokens t = done.tokens();
    AccountSecrets renewed = old.withTokens(t.accessToken(),
        t.refreshToken() != null ? t.refreshToken() : old.refreshToken(),
        t.expiresAt(), t.scopes().isEmpty() ? old.scopes() : t.scopes());
    if (state.definition().type() == AccountType.CODEX_OAUTH && t.accountUuid() != null) {
      // ChatGPT names the account in the id token that comes with each refresh.
      renewed = renewed.withUpstreamAccountId(t.accountUuid());
    }
    byte[] sealed = services.vault().seal(accountId, renewed);
    lastRefreshFailedAt = 0;
    return Effect().persist(new TokensRefreshed(accountId, sealed, now))
        .thenRun(next -> {
          pool.publish(next.toEntry());
          waiting.forEach(r -> r.tell(new RetryWith(next.definition())));
          scheduleRefresh(next);
        })
        .thenUnstashAll();
  }

  private AccountSecrets secrets(State state) {
    if (services.vault() == null || state.definition() == null) {
      return null;
    }
    try {
      return services.vault().open(accountId, state.definition().sealedSecrets());
    } catch (CredentialDecryptionException | IllegalStateException e) {
      return null;
    }
  }

  // ---- helpers

  private Effect<Event, State> replyNoted(Report cmd) {
    replyNoted(cmd.replyTo());
    return Effect().none();
  }

  private void replyNoted(ActorRef<ReportReply> replyTo) {
    if (replyTo != null) {
      replyTo.tell(new Noted());
    }
  }

  private void alert(State state, AlertKind kind, String detail, long until) {
    try {
      services.alerts().raise(new AccountAlert(kind, accountId, state.definition().name(), state.definition().platform(),
          detail, System.currentTimeMillis(), until));
    } catch (RuntimeException e) {
      context.getLog().warn("alert {} for account {} could not be raised: {}", kind, accountId, e.toString());
    }
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return (state, event) -> state.apply(event);
  }
}
