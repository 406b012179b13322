package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogQuotaTest {

  @Test
  void theFirstIsWrittenThenOneAnIntervalTellingHowManyWereLeftOut() {
    LogQuota quota = new LogQuota(Duration.ofSeconds(1));
    long t = 5_000_000_000L;
    assertEquals(0, quota.admit(t));
    assertEquals(-1, quota.admit(t + 1));
    assertEquals(-1, quota.admit(t + 999_999_999L));
    assertEquals(2, quota.admit(t + 1_000_000_000L));
    assertEquals(-1, quota.admit(t + 1_500_000_000L));
    // A quiet spell: the next is written at once and counts only what was left out since the last line.
    assertEquals(1, quota.admit(t + 60_000_000_000L));
    assertEquals(0, quota.admit(t + 61_000_000_000L));
  }

  @Test
  void aClockStartingBelowZeroIsNoSpecialCase() {
    LogQuota quota = new LogQuota(Duration.ofMillis(10));
    assertEquals(0, quota.admit(-100_000_000L));
    assertEquals(-1, quota.admit(-95_000_000L));
    assertEquals(1, quota.admit(-90_000_000L));
  }
}
