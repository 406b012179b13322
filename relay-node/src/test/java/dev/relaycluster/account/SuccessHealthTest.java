package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.protocol.anthropic.ClaudeAnswers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuccessHealthTest {
  private static final AnswerVerdict OK = ClaudeAnswers.classify(200, Map.of(), null);

  private static PoolEntry entry(List<CooldownMark> marks, double utilisation) {
    PoolEntry plain = new PoolEntry("a1", "one", "claude", AccountType.CLAUDE_CONSOLE, "http://upstream", 10, 0,
        AccountStatus.ACTIVE, 1, 1, 1);
    return new PoolEntry(plain.id(), plain.name(), plain.platform(), plain.type(), plain.baseUrl(), plain.priority(),
        plain.maxConcurrency(), plain.status(), plain.createdAt(), plain.updatedAt(), plain.revision(), plain.tier(),
        plain.groups(), marks, utilisation, 1.0, null, null);
  }

  private static CooldownMark mark(String family) {
    return new CooldownMark(family, System.currentTimeMillis() + 60_000, "rate limited", 429, false, 0);
  }

  @Test
  void aSuccessToAHealthyAccountInTheSameBandIsNoNews() {
    assertFalse(SuccessHealth.isNews(entry(List.of(), -1), OK, "sonnet"));
    AnswerVerdict at42 = ClaudeAnswers.classify(200, Map.of("anthropic-ratelimit-unified-5h-utilization", "0.42"), null);
    assertFalse(SuccessHealth.isNews(entry(List.of(), 0.47), at42, "sonnet"));
  }

  @Test
  void aSuccessThatEndsAMarkOrMovesTheBandIsNews() {
    assertTrue(SuccessHealth.isNews(entry(List.of(mark(CooldownMark.WHOLE_ACCOUNT)), -1), OK, "sonnet"));
    assertTrue(SuccessHealth.isNews(entry(List.of(mark("sonnet")), -1), OK, "sonnet"));
    assertFalse(SuccessHealth.isNews(entry(List.of(mark("opus")), -1), OK, "sonnet"),
        "a Sonnet answer says nothing about an Opus limit");
    AnswerVerdict at42 = ClaudeAnswers.classify(200, Map.of("anthropic-ratelimit-unified-5h-utilization", "0.42"), null);
    assertTrue(SuccessHealth.isNews(entry(List.of(), 0.55), at42, "sonnet"));
    assertTrue(SuccessHealth.isNews(entry(List.of(), -1), at42, "sonnet"), "the first utilisation seen");
  }

  @Test
  void aFailureIsAlwaysNews() {
    assertTrue(SuccessHealth.isNews(entry(List.of(), -1), ClaudeAnswers.classify(529, Map.of(), null), "sonnet"));
  }

  @Test
  void clearedKeepsTheMarksCoveringTheFamily() {
    List<CooldownMark> marks = List.of(mark(CooldownMark.WHOLE_ACCOUNT), mark("opus"), mark("sonnet"));
    assertEquals(List.of(marks.get(0), marks.get(2)), SuccessHealth.cleared(marks, "sonnet"));
  }
}
