package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecentErrorsTest {
  @Test
  void keepsTheNewestUpToItsCapacityAndCutsLongMessages() {
    RecentErrors errors = new RecentErrors(3);
    for (int i = 1; i <= 5; i++) {
      errors.add(new RecentError(i, 500 + i, "server_error", "error " + i));
    }
    assertEquals(3, errors.newestFirst().size());
    assertEquals(5, errors.newestFirst().get(0).at());
    assertEquals(3, errors.newestFirst().get(2).at());
    errors.add(new RecentError(9, 529, "overloaded", "x".repeat(2000)));
    assertEquals(500, errors.newestFirst().get(0).message().length());
    errors.clear();
    assertEquals(0, errors.newestFirst().size());
  }
}
