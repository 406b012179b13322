package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.account.AccountEntity.AccountBlocked;
import dev.relaycluster.account.AccountEntity.CooldownEnded;
import dev.relaycluster.account.AccountEntity.CooldownStarted;
import dev.relaycluster.account.AccountEntity.HealthReset;
import dev.relaycluster.account.AccountEntity.TokensRefreshed;
import dev.relaycluster.account.AccountEntity.UtilisationSeen;
import org.junit.jupiter.api.Test;

class HealthHistoryTest {
  @Test
  void cooldownsBlocksResetsAndUtilisationAreShownAndTokenRefreshesAreNot() {
    HealthHistory.Entry started = HealthHistory.entry(new CooldownStarted("a",
        new CooldownMark("opus", 5_000, "rate_limit_error", 429, false, 1_000))).orElseThrow();
    assertEquals(new HealthHistory.Entry(1_000, "cooldown-started", "opus", 5_000L, "rate_limit_error", 429, null),
        started);
    HealthHistory.Entry noStatus = HealthHistory.entry(new CooldownStarted("a",
        new CooldownMark("account", 9_000, "unreachable", 0, true, 2_000))).orElseThrow();
    assertNull(noStatus.status(), "no upstream status is not status 0");
    assertEquals("cooldown-ended", HealthHistory.entry(new CooldownEnded("a", "opus", 5_000)).orElseThrow().kind());
    assertEquals("disabled", HealthHistory.entry(new AccountBlocked("a", "disabled", 6_000)).orElseThrow().reason());
    assertEquals("reset", HealthHistory.entry(new HealthReset("a", 7_000)).orElseThrow().kind());
    assertEquals(0.8, HealthHistory.entry(new UtilisationSeen("a", 0.8, 8_000)).orElseThrow().utilisation());
    assertTrue(HealthHistory.entry(new TokensRefreshed("a", new byte[] {1}, 9_000)).isEmpty());
  }
}
