package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.protocol.ratelimit.AnswerClass;
import dev.relaycluster.protocol.ratelimit.AnswerVerdict;
import dev.relaycluster.store.CredentialCipher;
import dev.relaycluster.testing.EntityTestKitConfig;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * This node's account replica against a real account entity and pool view: what it keeps from a grant is
 * taken while the account stays as it was, and no longer once the account is paused, cooled down or edited.
 */
class AccountReplicasEntityTest {
  private static final long AHEAD = 300_000;

  private static ActorTestKit testKit;
  private static PoolView pool;
  private static CredentialVault vault;

  private String accountId;
  private EventSourcedBehaviorTestKit<AccountEntity.Command, AccountEntity.Event, AccountState> kit;
  private TestProbe<LeaseHolder.Command> holder;
  private AccountReplicas replicas;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("AccountReplicasEntityTest", EntityTestKitConfig.CONFIG);
    pool = new PoolView(ReplicatedView.start(testKit.system(), "replica-test-pool"));
    vault = new CredentialVault(CredentialCipher.fromSecret("replica-test-secret-0123456789abcdef"));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newAccount() {
    accountId = "acc-" + UUID.randomUUID();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), AccountEntity.create(accountId,
        new AccountServices(pool, vault, TokenRefresher.NONE, dev.relaycluster.alerts.AlertSink.NONE,
            AccountServices.poolOnly(pool).settings())));
    holder = testKit.createTestProbe();
    replicas = new AccountReplicas();
  }

  private void create(AccountType type, int maxConcurrency, AccountSecrets secrets) {
    AccountDefinition d = new AccountDefinition(accountId, "main", type, "https://api.anthropic.com", 10,
        maxConcurrency, false, vault.seal(accountId, secrets), 1_000L, 1_000L);
    assertTrue(kit.<org.apache.pekko.pattern.StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Create(d, r))
        .reply().isSuccess());
  }

  private void update(AccountPatch patch) {
    assertTrue(kit.<org.apache.pekko.pattern.StatusReply<PoolEntry>>runCommand(r -> new AccountEntity.Update(patch, r))
        .reply().isSuccess());
  }

  /** Asks like a request does, and keeps the grant like AccountChoice does. */
  private AccountEntity.Granted askAndKeep() {
    AccountEntity.Granted g = assertInstanceOf(AccountEntity.Granted.class, kit.<AccountEntity.AcquireReply>runCommand(
        r -> new AccountEntity.Acquire(UUID.randomUUID().toString(), holder.ref(), r)).reply());
    replicas.keep(g, vault, AHEAD);
    return g;
  }

  private AccountDefinition take(String family) {
    return replicas.take(pool, accountId, family, System.currentTimeMillis());
  }

  private static AccountPatch paused(boolean paused) {
    return new AccountPatch(null, null, null, null, paused, null, System.currentTimeMillis());
  }

  @Test
  void aGrantCarriesTheRevisionThePoolViewShowsAndIsTakenUntilThePauseAndAfterTheResumeOnlyOnceAskedAgain() {
    create(AccountType.CLAUDE_CONSOLE, 0, new AccountSecrets("sk-1", null, null, 0));
    AccountEntity.Granted g = askAndKeep();
    assertEquals(pool.find(accountId).orElseThrow().revision(), g.revision());
    assertNotNull(take("sonnet"));
    assertNotNull(take("sonnet"));
    assertEquals(2, replicas.taken());

    update(paused(true));
    assertNull(take("sonnet"), "a paused account is asked for (and refused)");
    update(paused(false));
    assertNull(take("sonnet"), "resumed, but not the revision this node was granted: ask");
    askAndKeep();
    assertNotNull(take("sonnet"));
  }

  @Test
  void aCooldownMakesTheReplicaAsk() {
    create(AccountType.CLAUDE_CONSOLE, 0, new AccountSecrets("sk-1", null, null, 0));
    askAndKeep();
    assertNotNull(take("sonnet"));
    AnswerVerdict limited = new AnswerVerdict(AnswerClass.RATE_LIMITED, 429, null,
        System.currentTimeMillis() + 600_000, -1, -1, -1, "rate limited");
    kit.runCommand(AccountEntity.Report.of(null, limited, false, "sonnet"));
    assertFalse(pool.find(accountId).orElseThrow().cooldowns().isEmpty(), "the report cooled the account");
    assertNull(take("sonnet"));
    assertNull(take("opus"));
  }

  @Test
  void anAccountWithAConcurrencyLimitIsNeverTakenFromTheReplica() {
    create(AccountType.CLAUDE_CONSOLE, 3, new AccountSecrets("sk-1", null, null, 0));
    askAndKeep();
    assertNull(take("sonnet"));
  }

  @Test
  void aDroppedAccountIsAskedForAgain() {
    create(AccountType.CLAUDE_CONSOLE, 0, new AccountSecrets("sk-1", null, null, 0));
    askAndKeep();
    replicas.drop(accountId);
    assertNull(take("sonnet"));
  }

  @Test
  void oauthTokensAreTakenUntilTheyFallDueForARefresh() {
    long now = System.currentTimeMillis();
    create(AccountType.CLAUDE_OAUTH, 0, new AccountSecrets(null, "at", "rt", now + AHEAD + 3_600_000));
    askAndKeep();
    assertNotNull(take("sonnet"));
    assertNull(replicas.take(pool, accountId, "sonnet", now + 3_600_000 + 1), "due for a refresh: ask");
  }

  @Test
  void usedSetsTheLastUsedTimeTheAdminSees() {
    create(AccountType.CLAUDE_CONSOLE, 0, new AccountSecrets("sk-1", null, null, 0));
    kit.runCommand(new AccountEntity.Used(123_456L));
    AccountEntity.AccountStatusReply status =
        kit.<AccountEntity.AccountStatusReply>runCommand(AccountEntity.GetStatus::new).reply();
    assertEquals(123_456L, status.lastUsedAt());
    assertEquals(0, status.leasesInFlight());
  }
}
