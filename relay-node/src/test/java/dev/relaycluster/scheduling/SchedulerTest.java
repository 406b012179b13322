package dev.relaycluster.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.account.AccountStatus;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.PoolEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private static final ToLongFunction<String> NEVER_USED = id -> 0L;

  private static PoolEntry account(String id, int priority, long createdAt, AccountStatus status) {
    return account(id, "claude", priority, createdAt, status);
  }

  private static PoolEntry account(String id, String platform, int priority, long createdAt, AccountStatus status) {
    return new PoolEntry(id, "name-" + id, platform, AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com",
        priority, 0, status, createdAt, createdAt, 1);
  }

  private static ToLongFunction<String> lastUsed(Map<String, Long> times) {
    return id -> times.getOrDefault(id, 0L);
  }

  private static List<String> ids(List<PoolEntry> entries) {
    return entries.stream().map(PoolEntry::id).toList();
  }

  @Test
  void laggingAccountsGoAfterTheOthersUnlessAllOrNoneLag() {
    List<PoolEntry> ranked = List.of(account("a", 1, 1, AccountStatus.ACTIVE), account("b", 2, 1, AccountStatus.ACTIVE),
        account("c", 3, 1, AccountStatus.ACTIVE), account("d", 4, 1, AccountStatus.ACTIVE));
    assertEquals(List.of("b", "d", "a", "c"),
        Scheduler.preferBrisk(ranked, id -> id.equals("a") || id.equals("c")).stream().map(PoolEntry::id).toList());
    assertEquals(ranked, Scheduler.preferBrisk(ranked, id -> true));
    assertEquals(ranked, Scheduler.preferBrisk(ranked, id -> false));
    assertEquals(List.of(), Scheduler.preferBrisk(List.of(), id -> true));
  }

  @Test
  void lowerPriorityNumberWins() {
    List<PoolEntry> pool = List.of(
        account("a", 50, 1, AccountStatus.ACTIVE),
        account("b", 10, 2, AccountStatus.ACTIVE),
        account("c", 20, 3, AccountStatus.ACTIVE));
    // b was used most recently, yet priority decides first
    ToLongFunction<String> used = lastUsed(Map.of("b", 9_999L));
    assertEquals(Optional.of("b"), Scheduler.pick(pool, "claude", Set.of(), used).map(PoolEntry::id));
    assertEquals(List.of("b", "c", "a"), ids(Scheduler.rank(pool, "claude", Set.of(), used)));
  }

  @Test
  void samePriorityLeastRecentlyUsedFirst() {
    List<PoolEntry> pool = List.of(
        account("a", 10, 1, AccountStatus.ACTIVE),
        account("b", 10, 2, AccountStatus.ACTIVE),
        account("c", 10, 3, AccountStatus.ACTIVE));
    ToLongFunction<String> used = lastUsed(Map.of("a", 300L, "b", 100L, "c", 200L));
    assertEquals(Optional.of("b"), Scheduler.pick(pool, "claude", Set.of(), used).map(PoolEntry::id));
    assertEquals(List.of("b", "c", "a"), ids(Scheduler.rank(pool, "claude", Set.of(), used)));
  }

  @Test
  void sameUseOldestCreatedFirst() {
    List<PoolEntry> pool = List.of(
        account("a", 10, 300, AccountStatus.ACTIVE),
        account("b", 10, 100, AccountStatus.ACTIVE),
        account("c", 10, 200, AccountStatus.ACTIVE));
    assertEquals(List.of("b", "c", "a"), ids(Scheduler.rank(pool, "claude", Set.of(), NEVER_USED)));
  }

  @Test
  void lastUsedClockFeedsTheRanking() {
    LastUsedClock clock = new LastUsedClock();
    List<PoolEntry> pool = List.of(account("a", 10, 1, AccountStatus.ACTIVE), account("b", 10, 2, AccountStatus.ACTIVE));
    assertEquals("a", Scheduler.pick(pool, "claude", Set.of(), clock::lastUsedAt).orElseThrow().id());
    clock.markUsed("a", 1000);
    assertEquals("b", Scheduler.pick(pool, "claude", Set.of(), clock::lastUsedAt).orElseThrow().id());
    clock.markUsed("b", 2000);
    clock.markUsed("a", 500); // an older mark never moves an account back in time
    assertEquals(1000L, clock.lastUsedAt("a"));
    assertEquals("a", Scheduler.pick(pool, "claude", Set.of(), clock::lastUsedAt).orElseThrow().id());
  }

  @Test
  void pausedDeletedAndOtherPlatformAccountsAreNeverChosen() {
    List<PoolEntry> pool = List.of(
        account("paused", 1, 1, AccountStatus.PAUSED),
        account("deleted", 1, 1, AccountStatus.DELETED),
        account("other", "openai", 1, 1, AccountStatus.ACTIVE),
        account("ok", 99, 9, AccountStatus.ACTIVE));
    assertEquals(List.of("ok"), ids(Scheduler.rank(pool, "claude", Set.of(), NEVER_USED)));
    assertFalse(Scheduler.eligible(pool.get(0), "claude", Set.of()));
    assertFalse(Scheduler.eligible(pool.get(1), "claude", Set.of()));
    assertFalse(Scheduler.eligible(pool.get(2), "claude", Set.of()));
    assertTrue(Scheduler.eligible(pool.get(3), "claude", Set.of()));
    assertTrue(Scheduler.eligible(pool.get(2), "openai", Set.of()));
  }

  @Test
  void excludedAccountsAreSkipped() {
    List<PoolEntry> pool = List.of(
        account("a", 1, 1, AccountStatus.ACTIVE),
        account("b", 2, 1, AccountStatus.ACTIVE),
        account("c", 3, 1, AccountStatus.ACTIVE));
    assertEquals(Optional.of("b"), Scheduler.pick(pool, "claude", Set.of("a"), NEVER_USED).map(PoolEntry::id));
    assertEquals(Optional.of("c"), Scheduler.pick(pool, "claude", Set.of("a", "b"), NEVER_USED).map(PoolEntry::id));
    assertEquals(Optional.empty(), Scheduler.pick(pool, "claude", Set.of("a", "b", "c"), NEVER_USED));
  }

  @Test
  void emptyPoolPicksNothing() {
    assertEquals(Optional.empty(), Scheduler.pick(List.of(), "claude", Set.of(), NEVER_USED));
    assertEquals(List.of(), Scheduler.rank(List.of(), "claude", Set.of(), NEVER_USED));
  }

  @Test
  void whyNoneWhenNoAccountOfThePlatform() {
    assertEquals("no claude account is configured on this relay", Scheduler.whyNone(List.of(), "claude", Set.of()));
    assertEquals("no claude account is configured on this relay",
        Scheduler.whyNone(List.of(account("o", "openai", 1, 1, AccountStatus.ACTIVE)), "claude", Set.of()));
  }

  @Test
  void whyNoneWhenAllArePaused() {
    List<PoolEntry> pool = List.of(
        account("a", 1, 1, AccountStatus.PAUSED),
        account("b", 1, 1, AccountStatus.PAUSED),
        account("o", "openai", 1, 1, AccountStatus.ACTIVE));
    assertEquals("all 2 claude accounts are paused", Scheduler.whyNone(pool, "claude", Set.of()));
  }

  @Test
  void whyNoneWhenAllAreBusy() {
    List<PoolEntry> pool = List.of(
        account("a", 1, 1, AccountStatus.ACTIVE),
        account("b", 1, 1, AccountStatus.ACTIVE),
        account("c", 1, 1, AccountStatus.PAUSED));
    assertEquals("all 2 schedulable claude accounts are busy or unavailable",
        Scheduler.whyNone(pool, "claude", Set.of("a", "b")));
  }
}
