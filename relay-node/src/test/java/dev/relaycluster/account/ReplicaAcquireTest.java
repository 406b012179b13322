package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.account.AccountEntity.AccountUpdated;
import dev.relaycluster.account.AccountEntity.CooldownEnded;
import dev.relaycluster.account.AccountEntity.CooldownStarted;
import dev.relaycluster.account.AccountEntity.TokensRefreshed;
import dev.relaycluster.account.AccountEntity.UtilisationSeen;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a request may take an account from this node's replica instead of asking its entity. */
class ReplicaAcquireTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final byte[] SEALED = {1, 2, 3};

  private static AccountDefinition definition(int maxConcurrency, boolean paused) {
    return new AccountDefinition("a1", "main", AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com", 10,
        maxConcurrency, paused, SEALED, 1_000L, 1_000L);
  }

  private static AccountState state(int maxConcurrency) {
    return AccountState.empty("a1").apply(new AccountEntity.AccountCreated(definition(maxConcurrency, false)));
  }

  private static ReplicaAcquire.Held held(AccountState s) {
    return new ReplicaAcquire.Held(s.definition(), s.revision(), Long.MAX_VALUE);
  }

  @Test
  void theSameRevisionActiveAndUnlimitedMayBeTaken() {
    AccountState s = state(0);
    assertTrue(ReplicaAcquire.mayTake(held(s), s.toEntry(), "sonnet", NOW));
  }

  @Test
  void nothingKeptOrNoEntryOrNoRevisionAsks() {
    AccountState s = state(0);
    assertFalse(ReplicaAcquire.mayTake(null, s.toEntry(), "sonnet", NOW));
    assertFalse(ReplicaAcquire.mayTake(held(s), null, "sonnet", NOW));
    assertFalse(ReplicaAcquire.mayTake(new ReplicaAcquire.Held(s.definition(), 0, Long.MAX_VALUE),
        new AccountState("a1", s.definition(), 0, 0).toEntry(), "sonnet", NOW), "a grant without a revision");
  }

  @Test
  void anotherRevisionInThePoolViewIsStaleEvenWhenNothingShownChanged() {
    AccountState s = state(0);
    // New tokens: same status, same updatedAt, only the revision (and the sealed secrets) moved.
    AccountState refreshed = s.apply(new TokensRefreshed("a1", new byte[] {9, 9}, NOW));
    assertEquals(s.toEntry().status(), refreshed.toEntry().status());
    assertEquals(s.toEntry().updatedAt(), refreshed.toEntry().updatedAt());
    assertFalse(ReplicaAcquire.mayTake(held(s), refreshed.toEntry(), "sonnet", NOW));
    assertTrue(ReplicaAcquire.mayTake(held(refreshed), refreshed.toEntry(), "sonnet", NOW));
    // A pool view that is behind the grant is not current either (the next request asks again).
    assertFalse(ReplicaAcquire.mayTake(held(refreshed), s.toEntry(), "sonnet", NOW));
  }

  @Test
  void everyEventThatMattersMakesTheKeptDefinitionStale() {
    AccountState s = state(0);
    CooldownMark mark = new CooldownMark(CooldownMark.WHOLE_ACCOUNT, NOW + 60_000, "429", 429, false, NOW);
    List<AccountEntity.Event> events = List.of(
        new AccountUpdated(definition(0, true)),
        new AccountUpdated(definition(0, false)),
        new CooldownStarted("a1", mark),
        new CooldownEnded("a1", CooldownMark.WHOLE_ACCOUNT, NOW),
        new AccountEntity.AccountBlocked("a1", "disabled", NOW),
        new AccountEntity.HealthReset("a1", NOW),
        new AccountEntity.AccountUnauthorized("a1", "401", NOW),
        new TokensRefreshed("a1", new byte[] {4}, NOW),
        new UtilisationSeen("a1", 0.5, NOW),
        new AccountEntity.AccountDeleted("a1", NOW));
    for (AccountEntity.Event e : events) {
      AccountState next = s.apply(e);
      assertTrue(next.toEntry().revision() > s.toEntry().revision(), e.toString());
      assertFalse(ReplicaAcquire.mayTake(held(s), next.toEntry(), "sonnet", NOW), e.toString());
      s = next;
    }
  }

  @Test
  void anAccountWithAConcurrencyLimitAlwaysAsks() {
    AccountState s = state(2);
    assertFalse(ReplicaAcquire.mayTake(held(s), s.toEntry(), "sonnet", NOW));
  }

  @Test
  void aPausedBlockedOrUnauthorizedAccountAsks() {
    AccountState paused = state(0).apply(new AccountUpdated(definition(0, true)));
    assertFalse(ReplicaAcquire.mayTake(held(paused), paused.toEntry(), "sonnet", NOW));
    AccountState blocked = state(0).apply(new AccountEntity.AccountBlocked("a1", "disabled", NOW));
    assertFalse(ReplicaAcquire.mayTake(held(blocked), blocked.toEntry(), "sonnet", NOW));
    AccountState unauthorized = state(0).apply(new AccountEntity.AccountUnauthorized("a1", "401", NOW));
    assertFalse(ReplicaAcquire.mayTake(held(unauthorized), unauthorized.toEntry(), "sonnet", NOW));
  }

  @Test
  void aCooldownForTheRequestsFamilyOrTheWholeAccountAsksAndOtherFamiliesDoNot() {
    AccountState opus = state(0).apply(new CooldownStarted("a1",
        new CooldownMark("opus", NOW + 60_000, "429", 429, false, NOW)));
    assertFalse(ReplicaAcquire.mayTake(held(opus), opus.toEntry(), "opus", NOW));
    assertTrue(ReplicaAcquire.mayTake(held(opus), opus.toEntry(), "sonnet", NOW));
    assertTrue(ReplicaAcquire.mayTake(held(opus), opus.toEntry(), "opus", NOW + 60_000), "the mark ran out");
    AccountState whole = state(0).apply(new CooldownStarted("a1",
        new CooldownMark(CooldownMark.WHOLE_ACCOUNT, NOW + 60_000, "529", 529, true, NOW)));
    assertFalse(ReplicaAcquire.mayTake(held(whole), whole.toEntry(), "sonnet", NOW));
  }

  @Test
  void oauthTokensDueForARefreshAsk() {
    AccountState s = state(0);
    ReplicaAcquire.Held dueSoon = new ReplicaAcquire.Held(s.definition(), s.revision(), NOW + 1);
    assertTrue(ReplicaAcquire.mayTake(dueSoon, s.toEntry(), "sonnet", NOW));
    assertFalse(ReplicaAcquire.mayTake(dueSoon, s.toEntry(), "sonnet", NOW + 1));
  }

  @Test
  void theRefreshDueTimeIsWhatTheEntityWouldRefreshAt() {
    long ahead = 300_000;
    long expires = NOW + 3_600_000;
    AccountSecrets tokens = new AccountSecrets(null, "at", "rt", expires);
    long dueAt = ReplicaAcquire.refreshDueAt(AccountType.CLAUDE_OAUTH, tokens, ahead);
    assertEquals(expires - ahead, dueAt);
    // The same boundary TokenRefresh.due draws.
    assertFalse(TokenRefresh.due(AccountType.CLAUDE_OAUTH, tokens, dueAt - 1, 0, ahead));
    assertTrue(TokenRefresh.due(AccountType.CLAUDE_OAUTH, tokens, dueAt, 0, ahead));
    assertEquals(Long.MAX_VALUE, ReplicaAcquire.refreshDueAt(AccountType.CLAUDE_CONSOLE, null, ahead));
    assertEquals(Long.MAX_VALUE, ReplicaAcquire.refreshDueAt(AccountType.CLAUDE_OAUTH,
        new AccountSecrets(null, "at", null, expires), ahead), "no refresh token: the entity never refreshes");
    assertEquals(Long.MAX_VALUE, ReplicaAcquire.refreshDueAt(AccountType.CLAUDE_OAUTH,
        new AccountSecrets(null, "at", "rt", 0), ahead), "no expiry");
    assertEquals(Long.MIN_VALUE, ReplicaAcquire.refreshDueAt(AccountType.CLAUDE_OAUTH, null, ahead),
        "unreadable secrets are never taken from the replica");
  }

  @Test
  void usedIsToldAtMostOncePerIntervalPerAccount() {
    AccountReplicas replicas = new AccountReplicas();
    assertTrue(replicas.usedTellDue("a1", NOW));
    assertFalse(replicas.usedTellDue("a1", NOW + 1));
    assertTrue(replicas.usedTellDue("a2", NOW + 1), "per account");
    assertFalse(replicas.usedTellDue("a1", NOW + AccountReplicas.USED_EVERY_MS - 1));
    assertTrue(replicas.usedTellDue("a1", NOW + AccountReplicas.USED_EVERY_MS));
  }
}
