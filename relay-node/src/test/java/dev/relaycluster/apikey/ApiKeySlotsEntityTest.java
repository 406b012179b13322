package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.cluster.LeaseBook;
import dev.relaycluster.cluster.LeaseHolder;
import dev.relaycluster.usage.UsageRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key entity's side of node shares: slots granted to a node count against the concurrency limit with
 * the per-request leases, go with their holder, come back after a restart, and a settlement for a lease the
 * entity never granted (a request admitted on its node) records its usage and releases nothing.
 */
class ApiKeySlotsEntityTest {
  private static KeyEntityRig rig;
  private static ActorTestKit testKit;
  private static KeyDirectory directory;

  private String keyId;
  private EventSourcedBehaviorTestKit<ApiKeyEntity.Command, ApiKeyEntity.Event, ApiKeyState> kit;
  private TestProbe<LeaseHolder.Command> holder;

  @BeforeAll
  static void startSystem() {
    rig = KeyEntityRig.start("ApiKeySlotsEntityTest");
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

  private void create(KeyLimits limits) {
    KeySettings settings = new KeySettings("shared", "", List.of(), limits, KeyAccess.ANY, KeyExpiry.NONE, Map.of(),
        Map.of());
    assertTrue(kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Create("hash-" + keyId, "cr_abcd",
        settings, 1_000L, r)).reply().isSuccess());
  }

  private List<String> grant(ActorRef<LeaseHolder.Command> by, String... slots) {
    return kit.<ApiKeyEntity.SlotsGranted>runCommand(r -> new ApiKeyEntity.GrantSlots(List.of(slots), by, r))
        .reply().slotIds();
  }

  private ApiKeyEntity.AdmitReply admit(String lease) {
    return kit.<ApiKeyEntity.AdmitReply>runCommand(r -> new ApiKeyEntity.Admit(lease, holder.getRef(), r)).reply();
  }

  private int inFlight() {
    return kit.<ApiKeyEntity.KeyStatusReply>runCommand(ApiKeyEntity.GetStatus::new).reply().leasesInFlight();
  }

  private UsageRecord usage(String requestId) {
    return KeyEntityRig.usage(requestId, keyId, 100, 20, 1_000, 1_000L);
  }

  @Test
  void slotsAndPerRequestLeasesTogetherNeverPassTheLimit() {
    create(KeyLimits.NONE.withConcurrency(4));
    assertInstanceOf(ApiKeyEntity.Admitted.class, admit("req-1"));
    assertEquals(List.of("s1", "s2"), grant(holder.getRef(), "s1", "s2"));
    assertEquals(List.of("s3"), grant(holder.getRef(), "s3", "s4", "s5"), "one slot left of four");
    assertEquals(4, inFlight());
    assertEquals(Refusal.CONCURRENCY, assertInstanceOf(ApiKeyEntity.Refused.class, admit("req-2")).refusal());
    assertEquals(List.of("s1"), grant(holder.getRef(), "s1"), "asking again for a slot held is no new slot");
    kit.runCommand(new ApiKeyEntity.Release("s2"));
    assertEquals(List.of(), grant(holder.getRef(), "s2"), "a released slot is never granted again");
    assertInstanceOf(ApiKeyEntity.Admitted.class, admit("req-3"));
    assertEquals(List.of(), grant(holder.getRef(), "s6"));
  }

  @Test
  void aKeyWithoutAConcurrencyLimitGetsNoSlots() {
    create(new KeyLimits(0, null, 1_000_000, 0, 0, 1, 0));
    assertEquals(List.of(), grant(holder.getRef(), "s1"));
    assertEquals(0, inFlight());
  }

  @Test
  void aKeyWithAConcurrencyAndACostLimitGetsSlotsUpToItsConcurrency() {
    create(new KeyLimits(2, null, 1_000_000, 0, 0, 1, 0));
    assertEquals(List.of("s1", "s2"), grant(holder.getRef(), "s1", "s2", "s3"));
    assertEquals(2, inFlight());
    assertEquals(Refusal.CONCURRENCY, assertInstanceOf(ApiKeyEntity.Refused.class, admit("req-1")).refusal());
  }

  @Test
  void aSettlementForALeaseNeverGrantedRecordsItsUsageAndReleasesNothing() {
    create(KeyLimits.NONE.withConcurrency(2));
    assertEquals(List.of("slot-1"), grant(holder.getRef(), "slot-1"));
    assertInstanceOf(ApiKeyEntity.Admitted.class, admit("req-held"));
    // A request on the node's slot settles under its own request id, which the entity never granted.
    var settled = kit.<Done>runCommand(r -> new ApiKeyEntity.Settle("req-on-slot", usage("req-on-slot"), r));
    assertEquals(new ApiKeyEntity.UsageBatchRecorded(keyId, List.of(usage("req-on-slot"))), settled.event());
    assertEquals(1L, settled.state().requests());
    assertEquals(2, inFlight(), "the slot and the other request's lease are still held");
    var again = kit.<Done>runCommand(r -> new ApiKeyEntity.Settle("req-on-slot", usage("req-on-slot"), r));
    assertTrue(again.hasNoEvents(), "recorded once");
    assertEquals(Done.getInstance(), again.reply());
    kit.runCommand(new ApiKeyEntity.Release("no-such-lease"));
    assertEquals(2, inFlight());
    assertEquals(Refusal.CONCURRENCY, assertInstanceOf(ApiKeyEntity.Refused.class, admit("req-2")).refusal());
  }

  @Test
  void aNodesSlotsGoWhenItsHolderStops() throws Exception {
    create(KeyLimits.NONE.withConcurrency(3));
    ActorRef<LeaseHolder.Command> node = testKit.spawn(Behaviors.<LeaseHolder.Command>ignore(),
        "holder-" + UUID.randomUUID());
    assertEquals(List.of("a1", "a2", "a3"), grant(node, "a1", "a2", "a3"));
    assertEquals(Refusal.CONCURRENCY, assertInstanceOf(ApiKeyEntity.Refused.class, admit("req-1")).refusal());
    testKit.stop(node);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (inFlight() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, inFlight(), "the stopped node's slots were dropped");
    assertEquals(List.of("b1", "b2", "b3"), grant(holder.getRef(), "b1", "b2", "b3"));
  }

  @Test
  void slotsNotedInTheNodesBookComeBackWhenTheEntityRestarts() throws Exception {
    create(KeyLimits.NONE.withConcurrency(2));
    LeaseBook book = new LeaseBook();
    ActorRef<LeaseHolder.Command> node = testKit.spawn(LeaseHolder.create(book), "lease-holder-" + UUID.randomUUID());
    TestProbe<Receptionist.Listing> listing = testKit.createTestProbe();
    listing.awaitAssert(Duration.ofSeconds(10), () -> {
      testKit.system().receptionist().tell(Receptionist.find(LeaseHolder.SERVICE_KEY, listing.getRef()));
      assertTrue(listing.receiveMessage().getServiceInstances(LeaseHolder.SERVICE_KEY).contains(node));
      return null;
    });
    String entity = ApiKeyEntity.persistenceId(keyId).id();
    book.held(entity, "slot-x");
    book.held(entity, "slot-y");
    assertEquals(List.of("slot-x", "slot-y"), grant(node, "slot-x", "slot-y"));
    kit.restart();
    int inFlight = -1;
    for (int i = 0; i < 100 && inFlight != 2; i++) {
      inFlight = inFlight();
      if (inFlight != 2) {
        Thread.sleep(50);
      }
    }
    assertEquals(2, inFlight, "the restarted entity knows the node's slots");
    assertEquals(Refusal.CONCURRENCY, assertInstanceOf(ApiKeyEntity.Refused.class, admit("req-1")).refusal());
  }

  @Test
  void slotsRecoveredWhileTheirAskWaitedAreGrantedOnlyWithinTheLimit() throws Exception {
    create(KeyLimits.NONE.withConcurrency(2));
    LeaseBook book = new LeaseBook();
    ActorRef<LeaseHolder.Command> node = testKit.spawn(LeaseHolder.create(book), "lease-holder-" + UUID.randomUUID());
    TestProbe<Receptionist.Listing> listing = testKit.createTestProbe();
    listing.awaitAssert(Duration.ofSeconds(10), () -> {
      testKit.system().receptionist().tell(Receptionist.find(LeaseHolder.SERVICE_KEY, listing.getRef()));
      assertTrue(listing.receiveMessage().getServiceInstances(LeaseHolder.SERVICE_KEY).contains(node));
      return null;
    });
    String entity = ApiKeyEntity.persistenceId(keyId).id();
    assertEquals(List.of("slot-a"), grant(node, "slot-a"));
    book.held(entity, "slot-a");
    // The node noted three more slots and asked for them; the entity restarted before the ask arrived.
    book.held(entity, "slot-b");
    book.held(entity, "slot-c");
    book.held(entity, "slot-d");
    kit.restart();
    for (int i = 0; i < 100 && inFlight() != 4; i++) {
      Thread.sleep(50);
    }
    List<String> granted = grant(node, "slot-b", "slot-c", "slot-d");
    assertEquals(1, granted.size(), "room for one more of the limit of 2: " + granted);
    assertEquals(2, inFlight(), "the others were dropped");
  }
}
