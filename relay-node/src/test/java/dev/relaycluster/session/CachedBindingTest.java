package dev.relaycluster.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.account.AccountStatus;
import dev.relaycluster.account.AccountType;
import dev.relaycluster.account.CooldownMark;
import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.apikey.KeyBinding;
import dev.relaycluster.scheduling.Demand;
import dev.relaycluster.session.CachedBinding.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** When a node may route a session by its cached binding, and each reason it asks the session's entity instead. */
class CachedBindingTest {
  private static final long NOW = 10_000_000L;
  private static final long REFRESH = 60_000L;
  private static final Predicate<String> BRISK = id -> false;
  private static final Demand SONNET = new Demand("claude", "claude-sonnet-4-5-20250929", KeyBinding.NONE);

  private final CachedBinding binding = new CachedBinding("a1", NOW - 1_000);

  private static PoolEntry account(String id, AccountStatus status, List<String> groups, List<CooldownMark> marks) {
    return new PoolEntry(id, "name-" + id, "claude", AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com", 1, 0,
        status, 1_000L, 1_000L, 1, null, groups, marks, -1, 1.0, null, null);
  }

  private static Optional<PoolEntry> fit() {
    return Optional.of(account("a1", AccountStatus.ACTIVE, List.of(), List.of()));
  }

  private Verdict verdict(Optional<PoolEntry> entry, Demand demand, Set<String> excluded, Predicate<String> lagging) {
    return binding.verdict(entry, demand, excluded, lagging, NOW, REFRESH);
  }

  @Test
  void aFitFreshlyConfirmedAccountIsUsedWithoutTheEntity() {
    assertEquals(Verdict.USABLE, verdict(fit(), SONNET, Set.of("other"), BRISK));
  }

  @Test
  void aConfirmationOlderThanTheRefreshIntervalSendsTheRequestToTheEntity() {
    assertEquals(Verdict.USABLE, new CachedBinding("a1", NOW - REFRESH + 1)
        .verdict(fit(), SONNET, Set.of(), BRISK, NOW, REFRESH));
    assertEquals(Verdict.STALE, new CachedBinding("a1", NOW - REFRESH)
        .verdict(fit(), SONNET, Set.of(), BRISK, NOW, REFRESH));
  }

  @Test
  void anAccountNoLongerInThePoolViewIsGone() {
    assertEquals(Verdict.GONE, verdict(Optional.empty(), SONNET, Set.of(), BRISK));
  }

  @Test
  void pausedBlockedUnauthorizedOrDeletedAccountsAreNotSchedulable() {
    for (AccountStatus s : List.of(AccountStatus.PAUSED, AccountStatus.BLOCKED, AccountStatus.UNAUTHORIZED,
        AccountStatus.DELETED)) {
      assertEquals(Verdict.NOT_SCHEDULABLE,
          verdict(Optional.of(account("a1", s, List.of(), List.of())), SONNET, Set.of(), BRISK), s.name());
    }
  }

  @Test
  void anAccountOfAnotherPlatformCannotServe() {
    assertEquals(Verdict.CANNOT_SERVE, verdict(fit(), new Demand("openai", "gpt-5", KeyBinding.NONE), Set.of(), BRISK));
  }

  @Test
  void aCooldownForTheRequestsFamilyOrTheWholeAccountSendsItToTheEntity() {
    CooldownMark sonnet = new CooldownMark("sonnet", NOW + 5_000, "rate limited", 429, false, NOW - 1);
    CooldownMark whole = new CooldownMark(CooldownMark.WHOLE_ACCOUNT, NOW + 5_000, "overloaded", 529, true, NOW - 1);
    CooldownMark over = new CooldownMark("sonnet", NOW - 1, "rate limited", 429, false, NOW - 10_000);
    CooldownMark opus = new CooldownMark("opus", NOW + 5_000, "rate limited", 429, false, NOW - 1);
    assertEquals(Verdict.COOLING,
        verdict(Optional.of(account("a1", AccountStatus.ACTIVE, List.of(), List.of(sonnet))), SONNET, Set.of(), BRISK));
    assertEquals(Verdict.COOLING,
        verdict(Optional.of(account("a1", AccountStatus.ACTIVE, List.of(), List.of(whole))), SONNET, Set.of(), BRISK));
    assertEquals(Verdict.USABLE, verdict(Optional.of(account("a1", AccountStatus.ACTIVE, List.of(),
        List.of(over, opus))), SONNET, Set.of(), BRISK), "an ended cooldown, or one for another family");
  }

  @Test
  void anAccountThatAlreadyFailedThisRequestIsExcluded() {
    assertEquals(Verdict.EXCLUDED, verdict(fit(), SONNET, Set.of("a1"), BRISK));
  }

  @Test
  void aKeyBoundWithoutFallbackAllowsOnlyItsAccountOrGroup() {
    Demand toOther = new Demand("claude", null, new KeyBinding("a9", null, false));
    Demand toGroup = new Demand("claude", null, new KeyBinding(null, "team", false));
    Demand orPool = new Demand("claude", null, new KeyBinding("a9", null, true));
    assertEquals(Verdict.NOT_ALLOWED, verdict(fit(), toOther, Set.of(), BRISK));
    assertEquals(Verdict.NOT_ALLOWED, verdict(fit(), toGroup, Set.of(), BRISK));
    assertEquals(Verdict.USABLE, verdict(Optional.of(account("a1", AccountStatus.ACTIVE, List.of("team"), List.of())),
        toGroup, Set.of(), BRISK));
    assertEquals(Verdict.USABLE, verdict(fit(), new Demand("claude", null, new KeyBinding("a1", null, false)),
        Set.of(), BRISK));
    assertEquals(Verdict.USABLE, verdict(fit(), orPool, Set.of(), BRISK), "a key that may fall back keeps the pool's");
  }

  @Test
  void anAccountThePaceBoardCallsLaggingIsLeftToTheEntity() {
    assertEquals(Verdict.LAGGING, verdict(fit(), SONNET, Set.of(), "a1"::equals));
    assertEquals(Verdict.USABLE, verdict(fit(), SONNET, Set.of(), "a2"::equals));
  }

  @Test
  void theRefreshIntervalIsAQuarterOfTheSessionTtlAtMostAMinute() {
    assertEquals(Duration.ofSeconds(60), CachedBinding.refreshInterval(Duration.ofHours(24)));
    assertEquals(Duration.ofSeconds(30), CachedBinding.refreshInterval(Duration.ofMinutes(2)));
    assertEquals(Duration.ofMillis(250), CachedBinding.refreshInterval(Duration.ofSeconds(1)));
  }
}
