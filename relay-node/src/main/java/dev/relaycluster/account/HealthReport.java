package dev.relaycluster.account;

import dev.relaycluster.account.AccountEntity.AccountBlocked;
import dev.relaycluster.account.AccountEntity.AccountUnauthorized;
import dev.relaycluster.account.AccountEntity.CooldownEnded;
import dev.relaycluster.account.AccountEntity.CooldownStarted;
import dev.relaycluster.account.AccountEntity.Event;
import dev.relaycluster.account.AccountEntity.UtilisationSeen;
import dev.relaycluster.alerts.AlertKind;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.util.ArrayList;
import java.util.List;

/**
 * What one report of upstream's answer does to an account, given the {@link HealthDecision} that
 * {@link CooldownRules} took: the events to write, the alert to raise and the cooldown whose end to watch
 * once they are written, or nothing (the account already carries the mark); likewise for a cooldown's
 * timer and a failed refresh. Pure; the {@link AccountEntity} carries it out. A refresh is the entity's
 * {@link TokenRefresh}'s to run, as it depends on the refresh in flight and on who waits for it.
 */
final class HealthReport {
  private HealthReport() {}

  sealed interface Reaction {}

  /** Nothing to write: the report is noted. */
  record Noted() implements Reaction {}

  /**
   * Write {@code events}; then watch {@code cooldown}'s end (null: none) and raise {@code alert} (null:
   * none).
   */
  record Write(List<Event> events, CooldownMark cooldown, Alert alert) implements Reaction {}

  /** The credential was refused: refresh the tokens (or retry with tokens refreshed meanwhile). */
  record Refresh() implements Reaction {}

  /** A cooldown's timer fired while the mark is still active (it was extended): watch its end again. */
  record Watch(CooldownMark cooldown) implements Reaction {}

  /** An alert to raise once the events are written. */
  record Alert(AlertKind kind, String detail, long until) {}

  /**
   * @param health the account's health before the report
   * @param family the model family of the request ("opus", "sonnet", …; null unknown)
   */
  static Reaction react(String accountId, AccountHealth health, HealthDecision decision, AnswerVerdict verdict,
      String family, long now) {
    if (decision instanceof HealthDecision.Healthy h) {
      // A success clears the account-wide marks and those of the request's family; a Sonnet answer
      // says nothing about an Opus limit.
      List<Event> events = new ArrayList<>(2);
      List<CooldownMark> cleared = SuccessHealth.cleared(health.marks(), family);
      cleared.forEach(m -> events.add(new CooldownEnded(accountId, m.family(), now)));
      if (SuccessHealth.utilisationMoved(health.utilisation(), h.utilisation())) {
        events.add(new UtilisationSeen(accountId, h.utilisation(), now, UsageWindows.of(verdict)));
      }
      if (events.isEmpty()) {
        return new Noted();
      }
      Alert recovered = cleared.stream().anyMatch(m -> m.activeAt(now))
          ? new Alert(AlertKind.RECOVERED, "answered successfully again; cooldowns cleared", 0) : null;
      return new Write(List.copyOf(events), null, recovered);
    }
    if (decision instanceof HealthDecision.Cool c) {
      CooldownMark mark = c.mark();
      CooldownMark existing = health.cooldowns().get(mark.family());
      if (existing != null && existing.until() >= mark.until()) {
        return new Noted();
      }
      Alert limited = mark.status() == 429 ? new Alert(AlertKind.RATE_LIMITED, mark.reason(), mark.until()) : null;
      return new Write(List.of(new CooldownStarted(accountId, mark)), mark, limited);
    }
    if (decision instanceof HealthDecision.Refresh) {
      return new Refresh();
    }
    if (decision instanceof HealthDecision.Unauthorized u) {
      return health.unauthorized() ? new Noted() : unauthorized(accountId, u.reason(), now);
    }
    if (decision instanceof HealthDecision.Block b) {
      if (health.blocked()) {
        return new Noted();
      }
      return new Write(List.of(new AccountBlocked(accountId, b.reason(), now)), null,
          new Alert(AlertKind.BLOCKED, b.reason(), 0));
    }
    return new Noted();
  }

  /** Marks the account unauthorized for {@code reason}. */
  static Write unauthorized(String accountId, String reason, long now) {
    return new Write(List.of(new AccountUnauthorized(accountId, reason, now)), null,
        new Alert(AlertKind.UNAUTHORIZED, reason, 0));
  }

  /**
   * What the timer of the cooldown of {@code family} that was to end at {@code until} does: nothing when
   * that mark is gone or was replaced, watch it again while it is still active, else end it.
   */
  static Reaction cooldownTimer(String accountId, AccountHealth health, String family, long until, long now) {
    CooldownMark mark = health.cooldowns().get(family);
    if (mark == null || mark.until() != until) {
      return new Noted();
    }
    if (mark.activeAt(now)) {
      return new Watch(mark);
    }
    return new Write(List.of(new CooldownEnded(accountId, family, now)), null,
        new Alert(AlertKind.RECOVERED, "cooldown ended (" + mark.reason() + ")", 0));
  }
}
