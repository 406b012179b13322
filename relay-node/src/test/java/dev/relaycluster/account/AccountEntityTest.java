package dev.relaycluster.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.cluster.ReplicatedView;
import dev.relaycluster.testing.EntityTestKitConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The account entity with the persistence test kit. The pool view is a Distributed Data view, which
 * needs the cluster provider, so the whole class runs on one cluster-provider system (not joined).
 */
class AccountEntityTest {
  private static final byte[] SEALED = {1, 42, 7, 9};

  private static ActorTestKit testKit;
  private static PoolView pool;

  private String accountId;
  private EventSourcedBehaviorTestKit<AccountEntity.Command, AccountEntity.Event, AccountState> kit;
  private TestProbe<LeaseHolder.Command> holder;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("AccountEntityTest", EntityTestKitConfig.CONFIG);
    pool = new PoolView(ReplicatedView.start(testKit.system(), "test-pool"));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newAccount() {
    accountId = "acc-" + UUID.randomUUID();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), AccountEntity.create(accountId, pool));
    holder = testKit.createTestProbe();
  }

  private AccountDefinition definition(int maxConcurrency, boolean paused) {
    return new AccountDefinition(accountId, "main", AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com", 10,
        maxConcurrency, paused, SEALED, 1_000L, 1_000L);
  }

  private CommandResultWithReply<AccountEntity.Command, AccountEntity.Event, AccountState, StatusReply<PoolEntry>>
      create(AccountDefinition d) {
    return kit.runCommand(r -> new AccountEntity.Create(d, r));
  }

  private CommandResultWithReply<AccountEntity.Command, AccountEntity.Event, AccountState, StatusReply<PoolEntry>>
      update(AccountPatch patch) {
    return kit.runCommand(r -> new AccountEntity.Update(patch, r));
  }

  private CommandResultWithReply<AccountEntity.Command, AccountEntity.Event, AccountState, StatusReply<Done>>
      delete(long at) {
    return kit.runCommand(r -> new AccountEntity.Delete(at, r));
  }

  private AccountEntity.AcquireReply acquire(ActorRef<LeaseHolder.Command> by) {
    return kit.<AccountEntity.AcquireReply>runCommand(r -> new AccountEntity.Acquire(UUID.randomUUID().toString(), by, r)).reply();
  }

  private AccountEntity.Granted granted(ActorRef<LeaseHolder.Command> by) {
    return assertInstanceOf(AccountEntity.Granted.class, acquire(by));
  }

  private String unavailable(ActorRef<LeaseHolder.Command> by) {
    return assertInstanceOf(AccountEntity.Unavailable.class, acquire(by)).reason();
  }

  private AccountEntity.AccountStatusReply status() {
    return kit.<AccountEntity.AccountStatusReply>runCommand(AccountEntity.GetStatus::new).reply();
  }

  private PoolEntry entry(int maxConcurrency, AccountStatus status, long updatedAt, long revision) {
    return new PoolEntry(accountId, "main", "claude", AccountType.CLAUDE_CONSOLE, "https://api.anthropic.com", 10,
        maxConcurrency, status, 1_000L, updatedAt, revision);
  }

  private static void assertSameDefinition(AccountDefinition expected, AccountDefinition actual) {
    assertEquals(expected.toString(), actual.toString());
    assertArrayEquals(expected.sealedSecrets(), actual.sealedSecrets());
    assertEquals(expected.createdAt(), actual.createdAt());
    assertEquals(expected.updatedAt(), actual.updatedAt());
  }

  @Test
  void createPersistsAccountCreatedAndPublishesAnActiveEntry() {
    AccountDefinition d = definition(2, false);
    var result = create(d);
    AccountEntity.AccountCreated created = assertInstanceOf(AccountEntity.AccountCreated.class, result.event());
    assertSameDefinition(d, created.definition());
    PoolEntry expected = entry(2, AccountStatus.ACTIVE, 1_000L, 1L);
    assertEquals(expected, result.reply().getValue());
    assertEquals(Optional.of(expected), pool.find(accountId));
    assertTrue(pool.accounts().contains(expected));
    assertEquals(1L, result.state().revision());
    assertTrue(result.state().exists());
  }

  @Test
  void secondCreateIsAnError() {
    create(definition(0, false));
    var again = create(definition(5, true));
    assertTrue(again.hasNoEvents());
    assertEquals("account " + accountId + " already exists", again.reply().getError().getMessage());
    assertEquals(Optional.of(entry(0, AccountStatus.ACTIVE, 1_000L, 1L)), pool.find(accountId));
  }

  @Test
  void updatePersistsAccountUpdatedAndPublishesTheNewRevision() {
    create(definition(0, false));
    var paused = update(new AccountPatch(null, null, null, 3, true, null, 2_000L));
    AccountEntity.AccountUpdated updated = assertInstanceOf(AccountEntity.AccountUpdated.class, paused.event());
    assertTrue(updated.definition().paused());
    assertEquals(3, updated.definition().maxConcurrency());
    assertArrayEquals(SEALED, updated.definition().sealedSecrets());
    PoolEntry expected = entry(3, AccountStatus.PAUSED, 2_000L, 2L);
    assertEquals(expected, paused.reply().getValue());
    assertEquals(Optional.of(expected), pool.find(accountId));
    assertTrue(pool.accounts().contains(expected), "paused accounts stay in the pool");

    var resumed = update(new AccountPatch(null, null, null, null, false, null, 3_000L));
    assertEquals(entry(3, AccountStatus.ACTIVE, 3_000L, 3L), resumed.reply().getValue());
    assertEquals(Optional.of(entry(3, AccountStatus.ACTIVE, 3_000L, 3L)), pool.find(accountId));
  }

  @Test
  void updateOfAnUnknownAccountIsAnError() {
    var result = update(new AccountPatch("x", null, null, null, null, null, 2_000L));
    assertTrue(result.hasNoEvents());
    assertEquals("unknown account", result.reply().getError().getMessage());
    assertEquals(Optional.empty(), pool.find(accountId));
  }

  @Test
  void deletePersistsAccountDeletedAndPublishesADeletedEntry() {
    create(definition(0, false));
    var deleted = delete(5_000L);
    assertEquals(new AccountEntity.AccountDeleted(accountId, 5_000L), deleted.event());
    assertTrue(deleted.reply().isSuccess());
    assertEquals(Done.getInstance(), deleted.reply().getValue());
    PoolEntry expected = entry(0, AccountStatus.DELETED, 5_000L, 2L);
    assertEquals(Optional.of(expected), pool.find(accountId));
    assertFalse(pool.accounts().stream().anyMatch(e -> e.id().equals(accountId)));
    assertFalse(deleted.state().exists());
    assertEquals(AccountStatus.DELETED, status().status());

    var again = delete(6_000L);
    assertTrue(again.hasNoEvents());
    assertEquals("unknown account", again.reply().getError().getMessage());
    var updateAfter = update(new AccountPatch("x", null, null, null, null, null, 7_000L));
    assertTrue(updateAfter.hasNoEvents());
    assertEquals("unknown account", updateAfter.reply().getError().getMessage());
    var recreate = create(definition(0, false));
    assertTrue(recreate.hasNoEvents());
    assertTrue(recreate.reply().isError());
  }

  @Test
  void acquireGrantsWithTheDefinition() {
    AccountDefinition d = definition(0, false);
    create(d);
    long before = System.currentTimeMillis();
    var acquired = kit.<AccountEntity.AcquireReply>runCommand(r -> new AccountEntity.Acquire(UUID.randomUUID().toString(), holder.getRef(), r));
    assertTrue(acquired.hasNoEvents());
    AccountEntity.Granted g = assertInstanceOf(AccountEntity.Granted.class, acquired.reply());
    assertFalse(g.leaseId().isBlank());
    assertSameDefinition(d, g.account());
    AccountEntity.AccountStatusReply s = status();
    assertEquals(1, s.leasesInFlight());
    assertEquals(AccountStatus.ACTIVE, s.status());
    assertTrue(s.exists());
    assertTrue(s.lastUsedAt() >= before, "lastUsedAt " + s.lastUsedAt());
  }

  @Test
  void pausedAccountIsUnavailable() {
    create(definition(0, true));
    assertEquals(Optional.of(entry(0, AccountStatus.PAUSED, 1_000L, 1L)), pool.find(accountId));
    assertEquals("account is paused", unavailable(holder.getRef()));
    assertEquals(0, status().leasesInFlight());
    update(new AccountPatch(null, null, null, null, false, null, 2_000L));
    granted(holder.getRef());
  }

  @Test
  void maxConcurrencyIsEnforcedAndReleaseFreesASlot() {
    create(definition(2, false));
    String a = granted(holder.getRef()).leaseId();
    String b = granted(holder.getRef()).leaseId();
    assertNotEquals(a, b);
    assertEquals("account is at its concurrency limit of 2", unavailable(holder.getRef()));
    assertEquals(2, status().leasesInFlight());

    assertTrue(kit.runCommand(new AccountEntity.Release(a)).hasNoEvents());
    assertEquals(1, status().leasesInFlight());
    granted(holder.getRef());
    assertEquals("account is at its concurrency limit of 2", unavailable(holder.getRef()));
    kit.runCommand(new AccountEntity.Release("no-such-lease"));
    assertEquals(2, status().leasesInFlight());
  }

  @Test
  void unlimitedConcurrencyGrantsMany() {
    create(definition(0, false));
    for (int i = 0; i < 20; i++) {
      granted(holder.getRef());
    }
    assertEquals(20, status().leasesInFlight());
  }

  @Test
  void holderTerminationFreesItsLeases() throws Exception {
    create(definition(3, false));
    ActorRef<LeaseHolder.Command> leaseHolder = testKit.spawn(Behaviors.<LeaseHolder.Command>ignore(), "holder-" + UUID.randomUUID());
    granted(leaseHolder);
    granted(leaseHolder);
    granted(holder.getRef());
    assertEquals("account is at its concurrency limit of 3", unavailable(leaseHolder));

    testKit.stop(leaseHolder);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int inFlight = status().leasesInFlight();
    while (inFlight != 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      inFlight = status().leasesInFlight();
    }
    assertEquals(1, inFlight, "only the live holder's lease is left");
    granted(holder.getRef());
    granted(holder.getRef());
  }

  @Test
  void deletedAccountIsUnavailable() {
    create(definition(0, false));
    String lease = granted(holder.getRef()).leaseId();
    delete(5_000L);
    assertEquals("account no longer exists", unavailable(holder.getRef()));
    kit.runCommand(new AccountEntity.Release(lease));
    assertEquals(0, status().leasesInFlight());
  }

  @Test
  void unknownAccountIsUnavailable() {
    assertEquals("account no longer exists", unavailable(holder.getRef()));
    AccountEntity.AccountStatusReply s = status();
    assertFalse(s.exists());
    assertEquals(0, s.leasesInFlight());
  }

  @Test
  void definitionSurvivesARestartAndLeasesDoNot() {
    create(definition(1, false));
    update(new AccountPatch("renamed", null, 1, null, null, null, 2_000L));
    granted(holder.getRef());
    AccountState s = kit.restart().state();
    assertEquals(2L, s.revision());
    assertEquals("renamed", s.definition().name());
    assertEquals(1, s.definition().priority());
    assertArrayEquals(SEALED, s.definition().sealedSecrets());
    assertEquals(0, status().leasesInFlight());
    granted(holder.getRef());
  }

  @Test
  void everyEventCarriesTheDefinitionTag() throws Exception {
    create(definition(0, false));
    update(new AccountPatch(null, null, null, null, true, null, 2_000L));
    delete(3_000L);
    assertEquals("account-def", AccountEntity.DEFINITION_TAG);
    PersistenceTestKitReadJournal journal = PersistenceQuery.get(testKit.system())
        .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());
    String pid = AccountEntity.persistenceId(accountId).id();
    List<Long> tagged = journal.currentEventsByTag("account-def", Offset.noOffset())
        .filter(env -> env.persistenceId().equals(pid))
        .map(EventEnvelope::sequenceNr)
        .runWith(Sink.seq(), testKit.system())
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    assertEquals(List.of(1L, 2L, 3L), tagged);
  }

  @Test
  void stalePublicationDoesNotReplaceANewerEntry() {
    create(definition(0, false));
    update(new AccountPatch(null, null, null, null, true, null, 2_000L));
    pool.publish(entry(0, AccountStatus.ACTIVE, 1_000L, 1L));
    assertEquals(AccountStatus.PAUSED, pool.find(accountId).orElseThrow().status());
  }
}
