package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.config.PaceSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaceRuleTest {
  private static final long NOW = 10_000_000L;
  private static final PaceSettings SETTINGS =
      new PaceSettings(Duration.ofSeconds(10), 0.5, 4, Duration.ofMinutes(5), Duration.ofSeconds(2));

  private static AccountPace fresh(String node) {
    return new AccountPace(AccountPace.idOf("a", node), "a", node, 0, -1, 0, 0, NOW);
  }

  private static AccountPace run(AccountPace start, long... firstBytes) {
    AccountPace p = start;
    for (long ms : firstBytes) {
      p = PaceRule.after(p, ms < 0, ms, NOW);
    }
    return p;
  }

  @Test
  void theFirstAttemptsAreAveragedPlainlyAndLaterOnesWeighTheNewestMore() {
    AccountPace p = run(fresh("n1"), 1000, 3000);
    assertEquals(2000, p.firstByteMillis(), 0.001);
    assertEquals(0, p.errorRate(), 0.001);
    assertEquals(2, p.samples());
    p = run(p, -1, -1);
    assertEquals(0.5, p.errorRate(), 0.001, "2 of 4 failed");
    assertEquals(2000, p.firstByteMillis(), 0.001, "failures leave the first-byte average alone");
    AccountPace many = run(fresh("n1"), 100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
    AccountPace slowAgain = PaceRule.after(many, false, 10_100, NOW);
    assertEquals(100 + PaceRule.ALPHA * 10_000, slowAgain.firstByteMillis(), 0.001);
  }

  @Test
  void revisionsGrowWithEveryAttempt() {
    AccountPace p = fresh("n1");
    AccountPace next = PaceRule.after(p, false, 5, NOW);
    assertTrue(next.revision() > p.revision());
    assertTrue(PaceRule.after(next, false, 5, NOW).revision() > next.revision(), "even within one millisecond");
  }

  @Test
  void nodesAddUpWeightedByTheirAttemptsAndStaleFiguresAreLeftOut() {
    AccountPace slowNode = new AccountPace("a@n1", "a", "n1", 1, 20_000, 0, 10, NOW);
    AccountPace quickNode = new AccountPace("a@n2", "a", "n2", 1, 2_000, 1, 30, NOW);
    AccountPace stale = new AccountPace("a@n3", "a", "n3", 1, 90_000, 1, 50, NOW - Duration.ofMinutes(6).toMillis());
    PaceSummary s = PaceRule.merge(List.of(slowNode, quickNode, stale), NOW, Duration.ofMinutes(5).toMillis());
    assertEquals(40, s.samples());
    assertEquals((10 * 20_000 + 30 * 2_000) / 40.0, s.firstByteMillis(), 0.001);
    assertEquals(0.75, s.errorRate(), 0.001);
    assertEquals(PaceSummary.NONE, PaceRule.merge(List.of(stale), NOW, Duration.ofMinutes(5).toMillis()));
  }

  @Test
  void aBusyNodeCountsAsAtMostFiftyAttempts() {
    AccountPace busy = new AccountPace("a@n1", "a", "n1", 1, 1_000, 0, 10_000, NOW);
    AccountPace failing = new AccountPace("a@n2", "a", "n2", 1, -1, 1, 50, NOW);
    assertEquals(0.5, PaceRule.merge(List.of(busy, failing), NOW, 60_000).errorRate(), 0.001);
  }

  @Test
  void laggingNeedsEnoughAttemptsAndAThresholdCrossed() {
    assertFalse(PaceRule.lagging(new PaceSummary(60_000, 1, 3), SETTINGS), "3 attempts are too few");
    assertTrue(PaceRule.lagging(new PaceSummary(10_001, 0, 4), SETTINGS), "slow");
    assertFalse(PaceRule.lagging(new PaceSummary(10_000, 0, 4), SETTINGS), "exactly at the threshold is not slow");
    assertTrue(PaceRule.lagging(new PaceSummary(-1, 0.5, 4), SETTINGS), "failing half the time");
    assertFalse(PaceRule.lagging(new PaceSummary(9_000, 0.49, 100), SETTINGS));
    assertFalse(PaceRule.lagging(new PaceSummary(60_000, 1, 100), PaceSettings.OFF), "off");
    PaceSettings onlyErrors = new PaceSettings(Duration.ZERO, 0.5, 4, Duration.ofMinutes(5), Duration.ZERO);
    assertFalse(PaceRule.lagging(new PaceSummary(60_000, 0, 100), onlyErrors), "first-byte test off");
    assertTrue(PaceRule.lagging(new PaceSummary(60_000, 0.6, 100), onlyErrors));
  }
}
