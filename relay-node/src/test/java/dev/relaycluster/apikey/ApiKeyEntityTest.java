package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.usage.UsageRecord;
import dev.relaycluster.usage.UsageTags;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * The key entity with the persistence test kit, on the system every key-entity test class starts
 * ({@link KeyEntityRig}).
 */
class ApiKeyEntityTest {
  private static KeyEntityRig rig;
  private static ActorTestKit testKit;
  private static KeyDirectory directory;

  private String keyId;
  private EventSourcedBehaviorTestKit<ApiKeyEntity.Command, ApiKeyEntity.Event, ApiKeyState> kit;
  private TestProbe<LeaseHolder.Command> holder;

  @BeforeAll
  static void startSystem() {
    rig = KeyEntityRig.start("ApiKeyEntityTest");
    testKit = rig.testKit();
    directory = rig.directory();
  }

  @AfterAll
  static void stopSystem() {
    rig.stop();
  }

  @BeforeEach
  void newKey() {
    keyId = "key-" + UUID.randomUUID();
    kit = rig.entity(keyId);
    holder = testKit.createTestProbe();
  }

  private CommandResultWithReply<ApiKeyEntity.Command, ApiKeyEntity.Event, ApiKeyState, StatusReply<KeyEntry>>
      create(String hash, int limit) {
    return kit.runCommand(r -> new ApiKeyEntity.Create("my key", hash, "cr_abcd", limit, 1_000L, r));
  }

  private ApiKeyEntity.AdmitReply admit(ActorRef<LeaseHolder.Command> by) {
    return kit.<ApiKeyEntity.AdmitReply>runCommand(r -> new ApiKeyEntity.Admit(UUID.randomUUID().toString(), by, r)).reply();
  }

  private String admitted(ActorRef<LeaseHolder.Command> by) {
    return assertInstanceOf(ApiKeyEntity.Admitted.class, admit(by)).leaseId();
  }

  private ApiKeyEntity.KeyStatusReply status() {
    return kit.<ApiKeyEntity.KeyStatusReply>runCommand(ApiKeyEntity.GetStatus::new).reply();
  }

  private UsageRecord usage(String requestId, long input, long output, long cost) {
    return KeyEntityRig.usage(requestId, keyId, input, output, cost, 1_000L);
  }

  private static String hash() {
    return "hash-" + UUID.randomUUID();
  }

  @Test
  void createPersistsKeyCreatedAndPublishesToTheDirectory() {
    String hash = hash();
    var result = create(hash, 2);
    assertEquals(new ApiKeyEntity.KeyCreated(keyId, "my key", hash, "cr_abcd", 2, 1_000L), result.event());
    KeyEntry expected = new KeyEntry(keyId, "my key", hash, "cr_abcd", 2, KeyStatus.ACTIVE, 1_000L, 0L, 1L);
    assertTrue(result.reply().isSuccess());
    assertEquals(expected, result.reply().getValue());
    assertEquals(Optional.of(expected), directory.findByHash(hash));
    assertEquals(Optional.of(expected), directory.findById(keyId));
    assertEquals(1L, result.state().revision());
    assertTrue(result.state().exists());
  }

  @Test
  void secondCreateWithTheSameHashIsIdempotent() {
    String hash = hash();
    KeyEntry first = create(hash, 2).reply().getValue();
    var again = create(hash, 2);
    assertTrue(again.hasNoEvents());
    assertTrue(again.reply().isSuccess());
    assertEquals(first, again.reply().getValue());
  }

  @Test
  void secondCreateWithAnotherHashIsAnError() {
    String hash = hash();
    create(hash, 2);
    String other = hash();
    var again = create(other, 2);
    assertTrue(again.hasNoEvents());
    assertTrue(again.reply().isError());
    assertEquals("key " + keyId + " already exists", again.reply().getError().getMessage());
    assertEquals(hash, again.state().keyHash());
    assertEquals(Optional.empty(), directory.findByHash(other));
  }

  @Test
  void admitsUpToTheConcurrencyLimitThenRefuses() {
    create(hash(), 2);
    String a = admitted(holder.getRef());
    String b = admitted(holder.getRef());
    assertNotEquals(a, b);
    ApiKeyEntity.Refused refused = assertInstanceOf(ApiKeyEntity.Refused.class, admit(holder.getRef()));
    assertEquals(Refusal.CONCURRENCY, refused.refusal());
    assertTrue(refused.retryAfterSeconds() >= 1, "retryAfter " + refused.retryAfterSeconds());
    assertEquals("this API key already has 2 requests in flight (concurrency limit 2)", refused.message());
    assertEquals(2, status().leasesInFlight());
  }

  @Test
  void admitPersistsNothing() {
    create(hash(), 0);
    var result = kit.<ApiKeyEntity.AdmitReply>runCommand(r -> new ApiKeyEntity.Admit(UUID.randomUUID().toString(), holder.getRef(), r));
    assertTrue(result.hasNoEvents());
  }

  @Test
  void releaseFreesASlot() {
    create(hash(), 1);
    String lease = admitted(holder.getRef());
    assertInstanceOf(ApiKeyEntity.Refused.class, admit(holder.getRef()));
    var released = kit.runCommand(new ApiKeyEntity.Release(lease));
    assertTrue(released.hasNoEvents());
    assertEquals(0, status().leasesInFlight());
    admitted(holder.getRef());
    // releasing an unknown lease changes nothing
    kit.runCommand(new ApiKeyEntity.Release("no-such-lease"));
    assertEquals(1, status().leasesInFlight());
  }

  @Test
  void settleReleasesTheLeaseAndRecordsUsageOnce() {
    create(hash(), 1);
    String lease = admitted(holder.getRef());
    UsageRecord u = usage("req-1", 100, 20, 1_500);
    var settled = kit.<Done>runCommand(r -> new ApiKeyEntity.Settle(lease, u, r));
    assertEquals(new ApiKeyEntity.UsageBatchRecorded(u.keyId(), List.of(u)), settled.event());
    assertEquals(Done.getInstance(), settled.reply());
    assertEquals(0, status().leasesInFlight());
    assertEquals(1L, settled.state().requests());
    assertEquals(List.of("req-1"), settled.state().recentRequestIds());

    String lease2 = admitted(holder.getRef());
    var duplicate = kit.<Done>runCommand(r -> new ApiKeyEntity.Settle(lease2, u, r));
    assertTrue(duplicate.hasNoEvents());
    assertEquals(Done.getInstance(), duplicate.reply());
    assertEquals(1L, duplicate.state().requests());
    assertEquals(0, status().leasesInFlight(), "the duplicate settle still releases its lease");
  }

  @Test
  void aSettlementRepeatedAfterMoreThanTheSnapshotWindowIsStillCountedOnce() {
    create(hash(), 0);
    for (int i = 0; i < 600; i++) {
      String lease = admitted(holder.getRef());
      UsageRecord u = usage("burst-" + i, 1, 1, 1);
      kit.<Done>runCommand(r -> new ApiKeyEntity.Settle(lease, u, r));
    }
    assertEquals(600L, kit.getState().requests());
    assertFalse(kit.getState().recentRequestIds().contains("burst-0"), "past the state's own window");
    String again = admitted(holder.getRef());
    var repeated = kit.<Done>runCommand(r -> new ApiKeyEntity.Settle(again, usage("burst-0", 1, 1, 1), r));
    assertTrue(repeated.hasNoEvents());
    assertEquals(Done.getInstance(), repeated.reply());
    assertEquals(600L, kit.getState().requests());
  }

  @Test
  void settleWithoutUsageOnlyReleases() {
    create(hash(), 1);
    String lease = admitted(holder.getRef());
    var settled = kit.<Done>runCommand(r -> new ApiKeyEntity.Settle(lease, null, r));
    assertTrue(settled.hasNoEvents());
    assertEquals(Done.getInstance(), settled.reply());
    assertEquals(0, status().leasesInFlight());
  }

  @Test
  void stoppingTheHolderReleasesAllItsLeases() throws Exception {
    create(hash(), 5);
    ActorRef<LeaseHolder.Command> leaseHolder = testKit.spawn(Behaviors.<LeaseHolder.Command>ignore(), "holder-" + UUID.randomUUID());
    admitted(leaseHolder);
    admitted(leaseHolder);
    admitted(leaseHolder);
    String others = admitted(holder.getRef());
    assertEquals(4, status().leasesInFlight());

    testKit.stop(leaseHolder);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int inFlight = status().leasesInFlight();
    while (inFlight != 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      inFlight = status().leasesInFlight();
    }
    assertEquals(1, inFlight, "only the live holder's lease is left");

    kit.runCommand(new ApiKeyEntity.Release(others));
    assertEquals(0, status().leasesInFlight());
  }

  @Test
  void revokedKeyIsRefused() {
    String hash = hash();
    create(hash, 0);
    var revoked = kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Revoke(2_000L, r));
    assertEquals(new ApiKeyEntity.KeyRevoked(keyId, 2_000L), revoked.event());
    KeyEntry entry = revoked.reply().getValue();
    assertEquals(KeyStatus.REVOKED, entry.status());
    assertEquals(2_000L, entry.revokedAt());
    assertEquals(2L, entry.revision());
    assertEquals(Optional.of(entry), directory.findByHash(hash));
    assertFalse(directory.findByHash(hash).get().active());

    ApiKeyEntity.Refused refused = assertInstanceOf(ApiKeyEntity.Refused.class, admit(holder.getRef()));
    assertEquals(Refusal.REVOKED, refused.refusal());
    assertEquals("this API key has been revoked", refused.message());

    var again = kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Revoke(3_000L, r));
    assertTrue(again.hasNoEvents());
    assertEquals(2_000L, again.reply().getValue().revokedAt());
  }

  @Test
  void revokeOfAnUnknownKeyIsAnError() {
    var result = kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Revoke(2_000L, r));
    assertTrue(result.hasNoEvents());
    assertEquals("unknown key", result.reply().getError().getMessage());
  }

  @Test
  void admitOnAnUnknownKeyIsRefused() {
    ApiKeyEntity.Refused refused = assertInstanceOf(ApiKeyEntity.Refused.class, admit(holder.getRef()));
    assertEquals(Refusal.UNKNOWN_KEY, refused.refusal());
    assertEquals(0, status().leasesInFlight());
    assertFalse(status().exists());
  }

  @Test
  void unlimitedConcurrencyAdmitsMany() {
    create(hash(), 0);
    Set<String> leases = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      leases.add(admitted(holder.getRef()));
    }
    assertEquals(50, leases.size());
    assertEquals(50, status().leasesInFlight());
  }

  @Test
  void usageEventsAreTaggedByPartitionAndDefinitionEventsWithTheDefinitionTag() throws Exception {
    create(hash(), 0);
    String lease = admitted(holder.getRef());
    kit.<Done>runCommand(r -> new ApiKeyEntity.Settle(lease, usage("req-t", 1, 1, 1), r));
    kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Revoke(2_000L, r));

    String usageTag = UsageTags.forKey(keyId, KeyEntityRig.PARTITIONS);
    assertEquals("usage-" + Math.floorMod(keyId.hashCode(), KeyEntityRig.PARTITIONS), usageTag);
    assertEquals(List.of(2L), sequenceNumbersTagged(usageTag));
    assertEquals(List.of(1L, 3L), sequenceNumbersTagged("apikey-def"));
    assertEquals("apikey-def", ApiKeyEntity.DEFINITION_TAG);
    for (int i = 0; i < KeyEntityRig.PARTITIONS; i++) {
      if (!usageTag.equals("usage-" + i)) {
        assertEquals(List.of(), sequenceNumbersTagged("usage-" + i));
      }
    }
  }

  /** This key's events carrying a tag, by sequence number, from the test kit's read journal. */
  private List<Long> sequenceNumbersTagged(String tag) throws Exception {
    PersistenceTestKitReadJournal journal = PersistenceQuery.get(testKit.system())
        .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());
    String pid = ApiKeyEntity.persistenceId(keyId).id();
    return journal.currentEventsByTag(tag, Offset.noOffset())
        .filter(env -> env.persistenceId().equals(pid))
        .map(EventEnvelope::sequenceNr)
        .runWith(Sink.seq(), testKit.system())
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void usageTagsSpreadOverPartitions() {
    assertEquals(List.of("usage-0", "usage-1", "usage-2", "usage-3"), UsageTags.all(4));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      seen.add(UsageTags.forKey("key-" + i, 4));
    }
    assertEquals(Set.of("usage-0", "usage-1", "usage-2", "usage-3"), seen);
  }

  @Test
  void stateTotalsAddUp() {
    create(hash(), 0);
    long[][] usages = {{100, 20, 1_500}, {3, 4, 7}, {1_000, 0, 10_000}};
    for (int i = 0; i < usages.length; i++) {
      long[] x = usages[i];
      String lease = admitted(holder.getRef());
      UsageRecord u = usage("req-" + i, x[0], x[1], x[2]);
      kit.<Done>runCommand(r -> new ApiKeyEntity.Settle(lease, u, r));
    }
    ApiKeyState state = kit.getState();
    assertEquals(3L, state.requests());
    assertEquals(1_500L + 7 + 10_000, state.costMicros());
    assertEquals(120L + 7 + 1_000, state.totalTokens());
    assertEquals(List.of("req-0", "req-1", "req-2"), state.recentRequestIds());
    assertEquals(1L, state.revision(), "usage events do not count as definition revisions");
    ApiKeyEntity.KeyStatusReply s = status();
    assertEquals(new ApiKeyEntity.KeyStatusReply(true, false, 0, 3L, 11_507L), s);
  }

  @Test
  void stateSurvivesARestart() {
    String hash = hash();
    create(hash, 3);
    String lease = admitted(holder.getRef());
    kit.<Done>runCommand(r -> new ApiKeyEntity.Settle(lease, usage("req-x", 10, 5, 99), r));
    var restarted = kit.restart();
    ApiKeyState s = restarted.state();
    assertEquals(hash, s.keyHash());
    assertEquals(3, s.concurrencyLimit());
    assertEquals(1L, s.requests());
    assertEquals(99L, s.costMicros());
    assertEquals(List.of("req-x"), s.recentRequestIds());
    // the request id is still remembered after recovery
    String lease2 = admitted(holder.getRef());
    assertTrue(kit.<Done>runCommand(r -> new ApiKeyEntity.Settle(lease2, usage("req-x", 10, 5, 99), r)).hasNoEvents());
  }

  @Test
  void recentRequestIdsAreBounded() {
    ApiKeyState s = ApiKeyState.empty(keyId)
        .apply(new ApiKeyEntity.KeyCreated(keyId, "n", "h", "c", 0, 1));
    for (int i = 0; i < 520; i++) {
      s = s.apply(new ApiKeyEntity.UsageRecorded(usage("r-" + i, 1, 0, 1)));
    }
    assertEquals(520L, s.requests());
    assertEquals(512, s.recentRequestIds().size());
    assertEquals("r-8", s.recentRequestIds().get(0));
    assertEquals("r-519", s.recentRequestIds().get(511));
    assertFalse(s.recorded("r-7"));
    assertTrue(s.recorded("r-8"));
  }

  @Test
  void aBatchEventCountsAsItsRequestsOneByOne() {
    ApiKeyState created = ApiKeyState.empty(keyId).apply(new ApiKeyEntity.KeyCreated(keyId, "n", "h", "c", 0, 1));
    List<UsageRecord> usages = List.of(usage("b-1", 10, 5, 100), usage("b-2", 20, 0, 300), usage("b-3", 1, 1, 7));
    ApiKeyState oneByOne = created;
    for (UsageRecord u : usages) {
      oneByOne = oneByOne.apply(new ApiKeyEntity.UsageRecorded(u));
    }
    ApiKeyState batched = created.apply(new ApiKeyEntity.UsageBatchRecorded(keyId, usages));
    assertEquals(oneByOne, batched);
    assertEquals(3L, batched.requests());
    assertEquals(407L, batched.costMicros());
    assertEquals(List.of("b-1", "b-2", "b-3"), batched.recentRequestIds());
  }

  @Test
  void settlementsAreWrittenAsBatchEventsInOrderEachRequestOnce() {
    create(hash(), 0);
    TestProbe<Done> acks = testKit.createTestProbe();
    List<UsageRecord> usages = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      usages.add(usage("t-" + i, 1, 1, 10));
    }
    kit.persistenceTestKit().clearAll();
    // Sent without waiting for their acknowledgements (so several share a write); one of them twice.
    for (UsageRecord u : usages) {
      kit.runCommand(new ApiKeyEntity.Settle("lease-" + u.requestId(), u, acks.ref()));
    }
    kit.runCommand(new ApiKeyEntity.Settle("lease-again", usages.get(3), acks.ref()));
    acks.receiveSeveralMessages(41);
    List<Object> events = kit.persistenceTestKit().persistedInStorage(ApiKeyEntity.persistenceId(keyId).id());
    List<String> written = new java.util.ArrayList<>();
    for (Object e : events) {
      ApiKeyEntity.UsageBatchRecorded batch = assertInstanceOf(ApiKeyEntity.UsageBatchRecorded.class, e);
      batch.usage().forEach(u -> written.add(u.requestId()));
    }
    assertEquals(usages.stream().map(UsageRecord::requestId).toList(), written);
    assertEquals(40L, kit.getState().requests());
  }

  @Test
  void leasesHeldByRequestsComeBackWhenTheEntityRestartsElsewhere() throws Exception {
    create(hash(), 2);
    dev.relaycluster.cluster.LeaseBook book = new dev.relaycluster.cluster.LeaseBook();
    ActorRef<LeaseHolder.Command> nodeHolder = testKit.spawn(LeaseHolder.create(book), "lease-holder-" + UUID.randomUUID());
    TestProbe<org.apache.pekko.actor.typed.receptionist.Receptionist.Listing> listing = testKit.createTestProbe();
    listing.awaitAssert(Duration.ofSeconds(10), () -> {
      testKit.system().receptionist().tell(org.apache.pekko.actor.typed.receptionist.Receptionist.find(
          LeaseHolder.SERVICE_KEY, listing.getRef()));
      assertTrue(listing.receiveMessage().getServiceInstances(LeaseHolder.SERVICE_KEY).contains(nodeHolder));
      return null;
    });
    String lease = admitted(nodeHolder);
    String entity = ApiKeyEntity.persistenceId(keyId).id();
    book.held(entity, lease);
    String released = admitted(nodeHolder);
    book.held(entity, released);
    book.released(entity, released);
    kit.<ApiKeyEntity.KeyStatusReply>runCommand(ApiKeyEntity.GetStatus::new);

    kit.restart();
    int inFlight = -1;
    for (int i = 0; i < 100 && inFlight != 1; i++) {
      inFlight = status().leasesInFlight();
      if (inFlight != 1) {
        Thread.sleep(50);
      }
    }
    assertEquals(1, inFlight, "the restarted entity knows the one lease still held, not the released one");
    admitted(holder.getRef());
    assertInstanceOf(ApiKeyEntity.Refused.class, admit(holder.getRef()), "the limit of 2 counts the recovered lease");
  }

  @Test
  void aLeaseIsNamedByTheRequesterSoARepeatedOrAbandonedAdmitCanBeSettled() {
    create(hash(), 2);
    var first = kit.<ApiKeyEntity.AdmitReply>runCommand(r -> new ApiKeyEntity.Admit("req-42", holder.getRef(), r));
    var again = kit.<ApiKeyEntity.AdmitReply>runCommand(r -> new ApiKeyEntity.Admit("req-42", holder.getRef(), r));
    assertEquals(new ApiKeyEntity.Admitted("req-42"), first.reply());
    assertEquals(new ApiKeyEntity.Admitted("req-42"), again.reply());
    assertEquals(1, status().leasesInFlight(), "asking twice for the same lease holds it once");
    // A requester whose ask timed out releases the lease by the name it chose.
    kit.runCommand(new ApiKeyEntity.Release("req-42"));
    assertEquals(0, status().leasesInFlight());
  }

  @Test
  void aLeaseReleasedBeforeItsAdmitArrivedIsNeverGranted() {
    create(hash(), 2);
    // The requester's ask timed out while the entity held the admit back, and its release came first.
    kit.runCommand(new ApiKeyEntity.Release("req-late"));
    var late = kit.<ApiKeyEntity.AdmitReply>runCommand(r -> new ApiKeyEntity.Admit("req-late", holder.getRef(), r));
    assertInstanceOf(ApiKeyEntity.Refused.class, late.reply());
    assertEquals(0, status().leasesInFlight(), "a lease nobody would release was granted");
  }
}
