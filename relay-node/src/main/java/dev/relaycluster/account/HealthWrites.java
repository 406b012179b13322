package dev.relaycluster.account;

import dev.relaycluster.account.AccountEntity.Command;
import dev.relaycluster.account.AccountEntity.Event;
import dev.relaycluster.account.AccountEntity.HealthReset;
import dev.relaycluster.account.AccountEntity.Noted;
import dev.relaycluster.account.AccountEntity.Report;
import dev.relaycluster.account.AccountEntity.ReportReply;
import dev.relaycluster.account.AccountEntity.ResetHealth;
import dev.relaycluster.account.AccountEntity.RetryWith;
import dev.relaycluster.account.AccountEntity.TokensRefreshed;
import dev.relaycluster.account.AccountEntity.UtilisationSeen;
import dev.relaycluster.alerts.AccountAlert;
import dev.relaycluster.alerts.AlertKind;
import dev.relaycluster.cluster.JournalWrites;
import dev.relaycluster.protocol.oauth.OAuthTokens;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

/**
 * The account entity's health writes: what a {@link Report} of upstream's answer, a cooldown's timer, an
 * admin's reset, a finished token refresh or a quota reading write as health events (the decisions are
 * {@link CooldownRules}, {@link HealthReport}, {@link TokenRefresh}'s and {@link QuotaWatch}'s); then each
 * change is published to the {@link PoolView}, a cooldown's end watched, alerts raised and waiting requesters
 * answered. Every journal write is timed as {@code account}.
 */
final class HealthWrites {
  static final String ENTITY = "account";

  private final String accountId;
  private final ActorContext<Command> context;
  private final EffectFactories<Event, AccountState> effects;
  private final JournalWrites journal;
  private final AccountServices services;
  private final TokenRefresh refresh;
  private final RecentErrors recentErrors;
  private final QuotaWatch quota;
  private final BiFunction<String, Long, Command> cooldownTimer;

  /** {@code cooldownTimer}: the command (family, until) the entity answers with {@link #cooldownTimer}. */
  HealthWrites(String accountId, ActorContext<Command> context, EffectFactories<Event, AccountState> effects,
      AccountServices services, TokenRefresh refresh, RecentErrors recentErrors, QuotaWatch quota,
      BiFunction<String, Long, Command> cooldownTimer) {
    this.accountId = accountId;
    this.context = context;
    this.effects = effects;
    this.journal = JournalWrites.get(context.getSystem());
    this.services = services;
    this.refresh = refresh;
    this.recentErrors = recentErrors;
    this.quota = quota;
    this.cooldownTimer = cooldownTimer;
  }

  /** Persists {@code events}, timed; the caller adds what follows the write. */
  EffectBuilder<Event, AccountState> persist(List<Event> events) {
    return journal.persist(effects, ENTITY, events);
  }

  EffectBuilder<Event, AccountState> persist(Event event) {
    return journal.persist(effects, ENTITY, event);
  }

  Effect<Event, AccountState> report(AccountState state, Report cmd) {
    if (!state.exists()) {
      return noted(cmd.replyTo());
    }
    long now = System.currentTimeMillis();
    recentErrors.add(cmd.verdict(), now);
    HealthDecision decision = CooldownRules.decide(cmd.verdict(), now, services.settings().cooldowns(),
        refresh.canRefresh(state), cmd.afterRefresh(), cmd.family());
    HealthReport.Reaction reaction =
        HealthReport.react(accountId, state.health(), decision, cmd.verdict(), cmd.family(), now);
    if (reaction instanceof HealthReport.Write w) {
      return write(w, cmd.replyTo() == null ? List.of() : List.of(cmd.replyTo()));
    }
    if (reaction instanceof HealthReport.Refresh) {
      // Tokens changed since this request took its lease: retry with them; else wait for a refresh.
      AccountDefinition changed = refresh.refused(state, cmd.usedSecrets(), cmd.replyTo());
      return changed != null ? effects.reply(cmd.replyTo(), new RetryWith(changed)) : effects.none();
    }
    return noted(cmd.replyTo());
  }

  /** Writes a health change; then publishes it, watches the cooldown's end, alerts, and answers who waits. */
  private EffectBuilder<Event, AccountState> write(HealthReport.Write w, List<ActorRef<ReportReply>> waiting) {
    return persist(w.events()).thenRun(next -> {
      services.pool().publish(next.toEntry());
      if (w.cooldown() != null) {
        scheduleEnd(w.cooldown());
      }
      if (w.alert() != null) {
        alert(next, w.alert().kind(), w.alert().detail(), w.alert().until());
      }
      waiting.forEach(HealthWrites::tellNoted);
    });
  }

  Effect<Event, AccountState> reset(AccountState state, ResetHealth cmd) {
    if (!state.exists()) {
      return effects.reply(cmd.replyTo(), StatusReply.error("unknown account"));
    }
    recentErrors.clear();
    refresh.forgetFailure();
    return persist(new HealthReset(accountId, cmd.at()))
        .thenRun(next -> services.pool().publish(next.toEntry()))
        .thenReply(cmd.replyTo(), next -> StatusReply.success(next.toEntry()));
  }

  /** The cooldown of {@code family} that lasts {@code until} may have ended. */
  Effect<Event, AccountState> cooldownTimer(AccountState state, String family, long until) {
    HealthReport.Reaction reaction = HealthReport.cooldownTimer(accountId, state.health(), family, until,
        System.currentTimeMillis());
    if (reaction instanceof HealthReport.Watch w) {
      scheduleEnd(w.cooldown());
    }
    return reaction instanceof HealthReport.Write w ? write(w, List.of()) : effects.none();
  }

  /** Tells the entity when {@code mark} runs out (timers are not in the journal: started again on recovery). */
  void scheduleEnd(CooldownMark mark) {
    long delay = Math.max(0, mark.until() - System.currentTimeMillis());
    context.scheduleOnce(Duration.ofMillis(delay + 1), context.getSelf(),
        cooldownTimer.apply(mark.family(), mark.until()));
  }

  /** A token refresh finished: the new tokens sealed into the secrets, or the failure noted (and marked). */
  Effect<Event, AccountState> refreshDone(AccountState state, OAuthTokens tokens, Throwable failure) {
    List<ActorRef<ReportReply>> waiting = refresh.finished();
    long now = System.currentTimeMillis();
    TokenRefresh.Outcome outcome = refresh.judge(state, tokens, failure, !waiting.isEmpty(), now);
    if (outcome instanceof TokenRefresh.Failed f) {
      recentErrors.add(new RecentError(now, 0, "refresh_failed", f.why()));
      if (state.exists()) {
        alert(state, AlertKind.REFRESH_FAILED, f.why(), 0);
      }
      if (f.markUnauthorized()) {
        return write(HealthReport.unauthorized(accountId, "token refresh failed: " + f.why(), now), waiting)
            .thenUnstashAll();
      }
      waiting.forEach(HealthWrites::tellNoted);
      return effects.unstashAll();
    }
    byte[] sealed = services.vault().seal(accountId, ((TokenRefresh.Renewed) outcome).secrets());
    return persist(new TokensRefreshed(accountId, sealed, now))
        .thenRun(next -> {
          services.pool().publish(next.toEntry());
          waiting.forEach(r -> r.tell(new RetryWith(next.definition())));
          refresh.schedule(next);
        })
        .thenUnstashAll();
  }

  /** A background quota reading finished: its utilisation written when it moved into another band. */
  Effect<Event, AccountState> quotaDone(AccountState state, QuotaSnapshot snapshot, Throwable failure) {
    UtilisationSeen seen = quota.finished(state, snapshot, failure, System.currentTimeMillis());
    return seen == null ? effects.none() : persist(seen).thenRun(next -> services.pool().publish(next.toEntry()));
  }

  void alert(AccountState state, AlertKind kind, String detail, long until) {
    try {
      services.alerts().raise(new AccountAlert(kind, accountId, state.definition().name(),
          state.definition().platform(), detail, System.currentTimeMillis(), until));
    } catch (RuntimeException e) {
      context.getLog().warn("alert {} for account {} could not be raised: {}", kind, accountId, e.toString());
    }
  }

  private Effect<Event, AccountState> noted(ActorRef<ReportReply> replyTo) {
    tellNoted(replyTo);
    return effects.none();
  }

  private static void tellNoted(ActorRef<ReportReply> replyTo) {
    if (replyTo != null) {
      replyTo.tell(new Noted());
    }
  }
}
