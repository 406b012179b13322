package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The key entity's side of budget shares: a share granted reserves its amounts against every later admission
 * and grant until it is given back, holds no concurrency, goes with its node's holder, and is reserved again
 * from its id when the entity restarts.
 */
class ApiKeyBudgetsEntityTest {
  private static final long DOLLAR = 1_000_000;
  private static KeyEntityRig rig;
  private static ActorTestKit testKit;
  private static KeyDirectory directory;

  private String keyId;
  private EventSourcedBehaviorTestKit<ApiKeyEntity.Command, ApiKeyEntity.Event, ApiKeyState> kit;
  private TestProbe<LeaseHolder.Command> holder;

  @BeforeAll
  static void startSystem() {
    rig = KeyEntityRig.start("ApiKeyBudgetsEntityTest");
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
    KeySettings settings = new KeySettings("budget", "", List.of(), limits, KeyAccess.ANY, KeyExpiry.NONE, Map.of(),
        Map.of());
    assertTrue(kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Create("hash-" + keyId, "cr_abcd",
        settings, 1_000L, r)).reply().isSuccess());
  }

  private BudgetGranted grant(ActorRef<LeaseHolder.Command> by, BudgetLease lease, long minCost) {
    return kit.<BudgetGranted>runCommand(r -> new ApiKeyEntity.GrantBudget(lease.id(), minCost, 0, by, r)).reply();
  }

  private ApiKeyEntity.AdmitReply admit(String lease, long estimate) {
    RequestFacts facts = new RequestFacts("claude", "anthropic", "claude-sonnet-4-5", "claude-code", estimate, 100);
    return kit.<ApiKeyEntity.AdmitReply>runCommand(r -> new ApiKeyEntity.Admit(lease, holder.getRef(), facts, r))
        .reply();
  }

  private KeyUsage usage() {
    return kit.<KeyUsage>runCommand(ApiKeyEntity.GetUsage::new).reply();
  }

  private int inFlight() {
    return kit.<ApiKeyEntity.KeyStatusReply>runCommand(ApiKeyEntity.GetStatus::new).reply().leasesInFlight();
  }

  private UsageRecord usage(String requestId, long cost) {
    return KeyEntityRig.usage(requestId, keyId, 100, 20, cost, System.currentTimeMillis());
  }

  @Test
  void aShareReservesItsGrantUntilItIsGivenBack() {
    create(new KeyLimits(0, null, DOLLAR, 0, 0, 1, 0));
    BudgetLease lease = BudgetLease.of("n-1", DOLLAR, 0, 0, false);
    BudgetGranted quarter = grant(holder.getRef(), lease, 1);
    assertTrue(quarter.granted());
    assertEquals(DOLLAR / 4, quarter.costMicros(), "a quarter of the day's dollar");
    assertEquals(-1, quarter.requests(), "the key has no window");
    assertEquals(DOLLAR / 4, usage().reservedMicros());
    assertEquals(0, inFlight(), "a share is no request in flight");
    // $0.76 spent by a request admitted here: with the share's $0.25, the day's dollar is taken.
    assertInstanceOf(ApiKeyEntity.Admitted.class, admit("req-1", 10));
    kit.<Done>runCommand(r -> new ApiKeyEntity.Settle("req-1", usage("req-1", 760_000), r));
    assertEquals(Refusal.DAILY_COST, assertInstanceOf(ApiKeyEntity.Refused.class, admit("req-2", 10)).refusal(),
        "the share's reservation counts");
    assertFalse(grant(holder.getRef(), BudgetLease.of("n-2", DOLLAR, 0, 0, false), 1).granted());

    kit.runCommand(new ApiKeyEntity.ReturnBudget(lease.id(), 0));
    assertInstanceOf(ApiKeyEntity.Admitted.class, admit("req-3", 10));
    assertFalse(grant(holder.getRef(), lease, 1).granted(), "a share given back is never granted again");
  }

  @Test
  void noShareIsGrantedNearALimit() {
    create(new KeyLimits(0, null, DOLLAR, 0, 0, 1, 0));
    assertFalse(grant(holder.getRef(), BudgetLease.of("n-1", DOLLAR, 0, 0, false), DOLLAR / 8).granted(),
        "room for eight requests like this one, not sixteen");
    assertTrue(grant(holder.getRef(), BudgetLease.of("n-2", DOLLAR, 0, 0, false), DOLLAR / 16).granted());
  }

  @Test
  void whatARequestOnAShareSpentIsNoLongerReservedByIt() {
    create(new KeyLimits(0, null, DOLLAR, 0, 0, 1, 0));
    BudgetLease lease = BudgetLease.of("n-1", DOLLAR, 0, 0, false);
    assertEquals(DOLLAR / 4, grant(holder.getRef(), lease, 1).costMicros());
    kit.<Done>runCommand(r -> new ApiKeyEntity.Settle(BudgetLease.settleId("req-on-share", lease.id()),
        usage("req-on-share", 100_000), r));
    KeyUsage u = usage();
    assertEquals(100_000, u.todayMicros(), "spent");
    assertEquals(150_000, u.reservedMicros(), "and no longer reserved: counted once");
    kit.runCommand(new ApiKeyEntity.ReturnBudget(lease.id(), 0));
    assertEquals(0, usage().reservedMicros());
  }

  @Test
  void aShareHoldsNoSlotOfTheConcurrencyLimit() {
    create(new KeyLimits(1, null, DOLLAR, 0, 0, 1, 0));
    assertTrue(grant(holder.getRef(), BudgetLease.of("n-1", 1_000, 0, 0, false), 1).granted());
    assertEquals(0, inFlight());
    assertInstanceOf(ApiKeyEntity.Admitted.class, admit("req-1", 10));
    assertEquals(1, inFlight());
  }

  @Test
  void windowRequestsAreCountedAheadAndTheUnusedOnesComeBack() {
    create(new KeyLimits(0, new RateWindowLimit(60, 40, 0, 0), 0, 0, 0, 1, 0));
    BudgetLease lease = BudgetLease.of("n-1", 1, 0, 8, false);
    BudgetGranted share = grant(holder.getRef(), lease, 0);
    assertEquals(8, share.requests(), "what the lease names, under a quarter of the forty");
    assertTrue(share.windowEnd() > System.currentTimeMillis());
    assertEquals(0, usage().window().requests(), "requests counted ahead are not shown as made");
    for (int i = 0; i < 32; i++) {
      assertInstanceOf(ApiKeyEntity.Admitted.class, admit("req-" + i, 0));
    }
    assertEquals(Refusal.RATE_WINDOW, assertInstanceOf(ApiKeyEntity.Refused.class, admit("req-32", 0)).refusal());
    // One request on the node's share settled (under its id and the share's); seven were not used.
    kit.<Done>runCommand(r -> new ApiKeyEntity.Settle(BudgetLease.settleId("req-on-share", lease.id()),
        usage("req-on-share", 5), r));
    assertEquals(33, usage().window().requests(), "the 32 admitted here and the one made on the share");
    kit.runCommand(new ApiKeyEntity.ReturnBudget(lease.id(), 7));
    for (int i = 33; i < 40; i++) {
      assertInstanceOf(ApiKeyEntity.Admitted.class, admit("req-" + i, 0), "the seven it gave back");
    }
    assertEquals(Refusal.RATE_WINDOW, assertInstanceOf(ApiKeyEntity.Refused.class, admit("req-40", 0)).refusal());
  }

  @Test
  void aNodesSharesGoWhenItsHolderStops() throws Exception {
    create(new KeyLimits(0, null, DOLLAR, 0, 0, 1, 0));
    ActorRef<LeaseHolder.Command> node = testKit.spawn(Behaviors.<LeaseHolder.Command>ignore(),
        "holder-" + UUID.randomUUID());
    assertTrue(grant(node, BudgetLease.of("n-1", DOLLAR, 0, 0, false), 1).granted());
    assertInstanceOf(ApiKeyEntity.Admitted.class, admit("req-0", 10));
    kit.<Done>runCommand(r -> new ApiKeyEntity.Settle("req-0", usage("req-0", 760_000), r));
    assertEquals(Refusal.DAILY_COST, assertInstanceOf(ApiKeyEntity.Refused.class, admit("req-1", 10)).refusal());
    testKit.stop(node);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (usage().reservedMicros() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, usage().reservedMicros(), "the stopped node's share was dropped");
    assertInstanceOf(ApiKeyEntity.Admitted.class, admit("req-2", 10));
  }

  @Test
  void aShareNotedInTheNodesBookIsReservedAgainFromItsIdWhenTheEntityRestarts() throws Exception {
    create(new KeyLimits(0, null, DOLLAR, 0, 0, 1, 0));
    LeaseBook book = new LeaseBook();
    ActorRef<LeaseHolder.Command> node = testKit.spawn(LeaseHolder.create(book), "lease-holder-" + UUID.randomUUID());
    TestProbe<Receptionist.Listing> listing = testKit.createTestProbe();
    listing.awaitAssert(Duration.ofSeconds(10), () -> {
      testKit.system().receptionist().tell(Receptionist.find(LeaseHolder.SERVICE_KEY, listing.getRef()));
      assertTrue(listing.receiveMessage().getServiceInstances(LeaseHolder.SERVICE_KEY).contains(node));
      return null;
    });
    BudgetLease lease = BudgetLease.of("n-1", 600_000, 0, 0, false);
    book.held(ApiKeyEntity.persistenceId(keyId).id(), lease.id());
    assertEquals(250_000, grant(node, lease, 1).costMicros());
    kit.restart();
    long reserved = -1;
    for (int i = 0; i < 100 && reserved != 600_000; i++) {
      reserved = usage().reservedMicros();
      if (reserved != 600_000) {
        Thread.sleep(50);
      }
    }
    assertEquals(600_000, reserved, "the most the share's id names: never less than it may have left");
    assertEquals(0, inFlight());
    assertFalse(grant(node, lease, 1).granted(), "held already: not granted twice");
    kit.runCommand(new ApiKeyEntity.ReturnBudget(lease.id(), 0));
    assertEquals(0, usage().reservedMicros());
  }
}
