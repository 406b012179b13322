package dev.relaycluster.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.account.AccountStatus;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.CooldownMark;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.apikey.KeyBinding;
import dev.relaycluster.protocol.oauth.SubscriptionTier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/** The scheduler's health-aware rules: cooldowns, the cascade guard, headroom, tiers and dedicated bindings. */
class SchedulerHealthTest {
  private static final long NOW = 1_800_000_000_000L;
  private static final ToLongFunction<String> NEVER_USED = id -> 0L;
  private static final Demand SONNET = new Demand("claude", "claude-sonnet-4-5-20250929", KeyBinding.NONE);
  private static final Demand OPUS = new Demand("claude", "claude-opus-4-1-20250805", KeyBinding.NONE);

  private static PoolEntry account(String id, int priority, List<CooldownMark> marks, double utilisation,
      SubscriptionTier tier, List<String> groups) {
    return new PoolEntry(id, "name-" + id, "claude", AccountType.CLAUDE_OAUTH, "https://api.anthropic.com", priority,
        0, AccountStatus.ACTIVE, id.hashCode() & 0xffff, 1, 1, tier, groups, marks, utilisation, 1.0, null, null);
  }

  private static PoolEntry healthy(String id) {
    return account(id, 10, List.of(), -1, SubscriptionTier.MAX, List.of());
  }

  private static PoolEntry cooling(String id, long untilFromNow, boolean transientError) {
    return account(id, 10, List.of(new CooldownMark(CooldownMark.WHOLE_ACCOUNT, NOW + untilFromNow, "test",
        transientError ? 529 : 429, transientError, NOW)), -1, SubscriptionTier.MAX, List.of());
  }

  private static List<String> ids(List<PoolEntry> entries) {
    return entries.stream().map(PoolEntry::id).toList();
  }

  private static List<String> rank(List<PoolEntry> pool, Demand demand) {
    return ids(Scheduler.rank(pool, demand, Set.of(), NOW, 0.5, NEVER_USED));
  }

  @Test
  void coolingAccountsAreSkippedWhileTheGuardAllowsIt() {
    // 4 accounts, 2 transiently cooling = 50 %: both stay out.
    List<PoolEntry> pool = List.of(healthy("a"), healthy("b"), cooling("c", 60_000, true), cooling("d", 30_000, true));
    assertEquals(Set.of("a", "b"), Set.copyOf(rank(pool, SONNET)));
  }

  @Test
  void pastTheShareTheSoonestRecoveringAccountsStaySchedulableAfterTheHealthyOnes() {
    // 4 accounts, 3 transiently cooling: at most 2 may be out, so the one that recovers first comes back.
    List<PoolEntry> pool = List.of(healthy("a"), cooling("late", 300_000, true), cooling("soon", 10_000, true),
        cooling("mid", 60_000, true));
    assertEquals(List.of("a", "soon"), rank(pool, SONNET));
    // Everything cooling: half the pool is served, soonest first.
    List<PoolEntry> all = List.of(cooling("x", 300_000, true), cooling("y", 10_000, true));
    assertEquals(List.of("y"), rank(all, SONNET));
  }

  @Test
  void realRateLimitsAreNotOverriddenByTheGuard() {
    List<PoolEntry> pool = List.of(cooling("limited-1", 3_600_000, false), cooling("limited-2", 3_600_000, false));
    assertEquals(List.of(), rank(pool, SONNET));
    assertTrue(Scheduler.whyNone(pool, SONNET, Set.of(), NOW).contains("cooling down"));
  }

  @Test
  void expiredCooldownsNoLongerCount() {
    List<PoolEntry> pool = List.of(cooling("was", -1, false), healthy("b"));
    assertEquals(2, rank(pool, SONNET).size());
  }

  @Test
  void aFamilyCooldownOnlyKeepsThatFamilyAway() {
    PoolEntry opusLimited = account("o", 1, List.of(new CooldownMark("opus", NOW + 3_600_000, "weekly", 429, false,
        NOW)), -1, SubscriptionTier.MAX, List.of());
    List<PoolEntry> pool = List.of(opusLimited, healthy("b"));
    assertEquals(List.of("o", "b"), rank(pool, SONNET));
    assertEquals(List.of("b"), rank(pool, OPUS));
  }

  @Test
  void tiersThatCannotServeTheModelAreNeverChosen() {
    PoolEntry free = account("free", 1, List.of(), -1, SubscriptionTier.FREE, List.of());
    PoolEntry pro = account("pro", 2, List.of(), -1, SubscriptionTier.PRO, List.of());
    PoolEntry max = account("max", 3, List.of(), -1, SubscriptionTier.MAX, List.of());
    List<PoolEntry> pool = List.of(free, pro, max);
    assertEquals(List.of("max"), rank(pool, OPUS), "Opus 4.1: Max only");
    assertEquals(List.of("pro", "max"), rank(pool, new Demand("claude", "claude-opus-4-5-20251101", KeyBinding.NONE)));
    assertEquals(List.of("free", "pro", "max"), rank(pool, SONNET));
    assertTrue(Scheduler.whyNone(List.of(free), OPUS, Set.of(), NOW).contains("subscription"));
  }

  @Test
  void moreHeadroomWinsAmongEqualPrioritiesThenLeastRecentlyUsed() {
    PoolEntry full = account("full", 10, List.of(), 0.92, SubscriptionTier.MAX, List.of());
    PoolEntry half = account("half", 10, List.of(), 0.5, SubscriptionTier.MAX, List.of());
    PoolEntry unknown = account("unknown", 10, List.of(), -1, SubscriptionTier.MAX, List.of());
    PoolEntry better = account("better-priority", 5, List.of(), 0.99, SubscriptionTier.MAX, List.of());
    assertEquals(List.of("better-priority", "unknown", "half", "full"), rank(List.of(full, half, unknown, better), SONNET));
    // Within one 10 % band, least recently used decides.
    PoolEntry a = account("a", 10, List.of(), 0.51, SubscriptionTier.MAX, List.of());
    PoolEntry b = account("b", 10, List.of(), 0.55, SubscriptionTier.MAX, List.of());
    ToLongFunction<String> used = id -> id.equals("a") ? 500 : 100;
    assertEquals(List.of("b", "a"), ids(Scheduler.rank(List.of(a, b), SONNET, Set.of(), NOW, 0.5, used)));
  }

  @Test
  void aDedicatedAccountComesFirstAndFallsBackOnlyWhenAllowed() {
    List<PoolEntry> pool = new ArrayList<>(List.of(healthy("shared-1"), healthy("mine"), healthy("shared-2")));
    Demand bound = new Demand("claude", "claude-sonnet-4-5-20250929", new KeyBinding("mine", null, false));
    assertEquals(List.of("mine"), rank(pool, bound));
    Demand withFallback = new Demand("claude", "claude-sonnet-4-5-20250929", new KeyBinding("mine", null, true));
    assertEquals("mine", rank(pool, withFallback).get(0));
    assertEquals(3, rank(pool, withFallback).size());

    pool.set(1, cooling("mine", 3_600_000, false));
    assertEquals(List.of(), rank(pool, bound));
    String why = Scheduler.whyNone(pool, bound, Set.of(), NOW);
    assertTrue(why.contains("dedicated account mine"), why);
    assertEquals(Set.of("shared-1", "shared-2"), Set.copyOf(rank(pool, withFallback)));
  }

  @Test
  void aGroupBindingUsesTheGroupsAccounts() {
    PoolEntry g1 = account("g1", 20, List.of(), -1, SubscriptionTier.MAX, List.of("team"));
    PoolEntry g2 = account("g2", 30, List.of(), -1, SubscriptionTier.MAX, List.of("team", "other"));
    PoolEntry outsider = account("outsider", 1, List.of(), -1, SubscriptionTier.MAX, List.of());
    Demand team = new Demand("claude", null, new KeyBinding(null, "team", false));
    assertEquals(List.of("g1", "g2"), rank(List.of(outsider, g2, g1), team));
    Demand missing = new Demand("claude", null, new KeyBinding(null, "nobody", false));
    assertEquals(List.of(), rank(List.of(outsider, g1), missing));
    assertTrue(Scheduler.whyNone(List.of(outsider, g1), missing, Set.of(), NOW).contains("account group 'nobody'"));
  }

  @Test
  void excludedAccountsAreNotRetriedButStillCountForTheGuard() {
    List<PoolEntry> pool = List.of(healthy("a"), cooling("c1", 60_000, true), cooling("c2", 120_000, true));
    // 3 accounts, 2 cooling > floor(1.5)=1 allowed out: c1 comes back; a was already tried.
    assertEquals(List.of("c1"), ids(Scheduler.rank(pool, SONNET, Set.of("a"), NOW, 0.5, NEVER_USED)));
  }
}
