package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.relaycluster.alerts.AlertKind;
import dev.relaycluster.protocol.anthropic.ClaudeAnswers;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What reports and cooldown timers do to an account's health, without an actor system. */
class HealthReportTest {
  private static final long NOW = 1_000_000L;
  private static final AnswerVerdict OK = ClaudeAnswers.classify(200, Map.of(), null);
  private static final CooldownMark OPUS = new CooldownMark("opus", NOW + 60_000, "rate limited", 429, false, NOW);

  private static AccountHealth cooling(CooldownMark mark) {
    return AccountHealth.CLEAR.cooling(mark);
  }

  @Test
  void aSuccessEndsTheMarksOfItsFamilyAndSaysSo() {
    HealthReport.Write w = assertInstanceOf(HealthReport.Write.class,
        HealthReport.react("a1", cooling(OPUS), new HealthDecision.Healthy(-1), OK, "opus", NOW));
    assertEquals(List.of(new AccountEntity.CooldownEnded("a1", "opus", NOW)), w.events());
    assertEquals(AlertKind.RECOVERED, w.alert().kind());
    assertInstanceOf(HealthReport.Noted.class,
        HealthReport.react("a1", cooling(OPUS), new HealthDecision.Healthy(-1), OK, "sonnet", NOW));
  }

  @Test
  void aCooldownIsWrittenUnlessALongerOneIsOn() {
    CooldownMark shorter = new CooldownMark("opus", NOW + 1_000, "overloaded", 529, true, NOW);
    assertInstanceOf(HealthReport.Noted.class,
        HealthReport.react("a1", cooling(OPUS), new HealthDecision.Cool(shorter), OK, "opus", NOW));
    HealthReport.Write w = assertInstanceOf(HealthReport.Write.class,
        HealthReport.react("a1", AccountHealth.CLEAR, new HealthDecision.Cool(OPUS), OK, "opus", NOW));
    assertEquals(List.of(new AccountEntity.CooldownStarted("a1", OPUS)), w.events());
    assertEquals(OPUS, w.cooldown());
    assertEquals(new HealthReport.Alert(AlertKind.RATE_LIMITED, "rate limited", OPUS.until()), w.alert());
    HealthReport.Write overloaded = assertInstanceOf(HealthReport.Write.class,
        HealthReport.react("a1", AccountHealth.CLEAR, new HealthDecision.Cool(shorter), OK, "opus", NOW));
    assertNull(overloaded.alert(), "only 429s are alerted");
  }

  @Test
  void marksAreWrittenOnce() {
    AccountHealth unauthorized = AccountHealth.CLEAR.withUnauthorized("401");
    assertInstanceOf(HealthReport.Noted.class,
        HealthReport.react("a1", unauthorized, new HealthDecision.Unauthorized("401"), OK, null, NOW));
    assertEquals(HealthReport.unauthorized("a1", "401", NOW),
        HealthReport.react("a1", AccountHealth.CLEAR, new HealthDecision.Unauthorized("401"), OK, null, NOW));
    AccountHealth blocked = AccountHealth.CLEAR.withBlock("disabled");
    assertInstanceOf(HealthReport.Noted.class,
        HealthReport.react("a1", blocked, new HealthDecision.Block("disabled"), OK, null, NOW));
    HealthReport.Write w = assertInstanceOf(HealthReport.Write.class,
        HealthReport.react("a1", AccountHealth.CLEAR, new HealthDecision.Block("disabled"), OK, null, NOW));
    assertEquals(List.of(new AccountEntity.AccountBlocked("a1", "disabled", NOW)), w.events());
    assertInstanceOf(HealthReport.Refresh.class,
        HealthReport.react("a1", AccountHealth.CLEAR, new HealthDecision.Refresh(), OK, null, NOW));
    assertInstanceOf(HealthReport.Noted.class,
        HealthReport.react("a1", AccountHealth.CLEAR, new HealthDecision.Nothing(), OK, null, NOW));
  }

  @Test
  void aCooldownTimerEndsOnlyTheMarkItWasSetFor() {
    assertInstanceOf(HealthReport.Noted.class,
        HealthReport.cooldownTimer("a1", cooling(OPUS), "opus", OPUS.until() - 1, OPUS.until() + 1), "replaced");
    assertEquals(new HealthReport.Watch(OPUS),
        HealthReport.cooldownTimer("a1", cooling(OPUS), "opus", OPUS.until(), NOW), "still active");
    HealthReport.Write w = assertInstanceOf(HealthReport.Write.class,
        HealthReport.cooldownTimer("a1", cooling(OPUS), "opus", OPUS.until(), OPUS.until() + 1));
    assertEquals(List.of(new AccountEntity.CooldownEnded("a1", "opus", OPUS.until() + 1)), w.events());
    assertEquals(AlertKind.RECOVERED, w.alert().kind());
  }
}
