package dev.relaycluster.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which login attempts are refused and how long the others wait. */
class LoginThrottleTest {
  private static final int MAX = 5;

  @Test
  void aPairPastTheLimitIsRefusedAndSoIsASprayingAddress() {
    assertFalse(LoginThrottle.refused(new LoginThrottle.Failures(4, 4, 4), MAX));
    assertTrue(LoginThrottle.refused(new LoginThrottle.Failures(5, 5, 5), MAX));
    // One address guessing many users' passwords.
    assertFalse(LoginThrottle.refused(new LoginThrottle.Failures(1, 19, 1), MAX));
    assertTrue(LoginThrottle.refused(new LoginThrottle.Failures(1, 20, 1), MAX));
  }

  @Test
  void aUserFailingFromEverywhereIsSlowedNeverRefused() {
    // The owner at a fresh address while others failed a hundred times: let in, after at most five seconds.
    LoginThrottle.Failures owner = new LoginThrottle.Failures(0, 0, 100);
    assertFalse(LoginThrottle.refused(owner, MAX));
    assertEquals(LoginThrottle.MAX_BACK_OFF_MILLIS, LoginThrottle.backOffMillis(owner, MAX));
    assertEquals(0, LoginThrottle.backOffMillis(new LoginThrottle.Failures(0, 0, 4), MAX));
    assertEquals(250, LoginThrottle.backOffMillis(new LoginThrottle.Failures(0, 0, 5), MAX));
    assertEquals(500, LoginThrottle.backOffMillis(new LoginThrottle.Failures(0, 0, 6), MAX));
    assertEquals(4_000, LoginThrottle.backOffMillis(new LoginThrottle.Failures(0, 0, 9), MAX));
  }
}
