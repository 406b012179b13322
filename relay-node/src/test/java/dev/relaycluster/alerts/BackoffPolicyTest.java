package dev.relaycluster.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {
  @Test
  void doublesFromInitialUpToMax() {
    BackoffPolicy p = new BackoffPolicy(8, Duration.ofSeconds(2), Duration.ofSeconds(30));
    assertEquals(Duration.ofSeconds(2), p.delayAfter(1));
    assertEquals(Duration.ofSeconds(4), p.delayAfter(2));
    assertEquals(Duration.ofSeconds(8), p.delayAfter(3));
    assertEquals(Duration.ofSeconds(16), p.delayAfter(4));
    assertEquals(Duration.ofSeconds(30), p.delayAfter(5));
    assertEquals(Duration.ofSeconds(30), p.delayAfter(500));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new BackoffPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(2)));
    assertThrows(IllegalArgumentException.class, () -> new BackoffPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(2)));
  }
}
