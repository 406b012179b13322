package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.usage.UsageRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Settlements told with a receipt: the key entity answers each node once a write, with the receipts of that
 * node's settlements the write took, only after the write; a settlement it recorded already is answered at once.
 */
class SettleReceiptsEntityTest {
  private static KeyEntityRig rig;
  private static ActorTestKit testKit;
  private static KeyDirectory directory;

  private String keyId;
  /** The settlements' {@code replyTo}: an entity that has a receipt to answer never answers it. */
  private TestProbe<Done> asked;
  private EventSourcedBehaviorTestKit<ApiKeyEntity.Command, ApiKeyEntity.Event, ApiKeyState> kit;

  @BeforeAll
  static void startSystem() {
    rig = KeyEntityRig.start("SettleReceiptsEntityTest");
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
    asked = testKit.createTestProbe();
    kit = rig.entity(keyId);
    assertTrue(kit.<StatusReply<KeyEntry>>runCommand(r -> new ApiKeyEntity.Create("my key", "hash-" + keyId,
        "cr_abcd", 0, 1_000L, r)).reply().isSuccess());
    kit.persistenceTestKit().clearAll();
  }

  private UsageRecord usage(String requestId) {
    return KeyEntityRig.usage(requestId, keyId, 100, 20, 1_000, 1_000L);
  }

  private ApiKeyEntity.Settle told(String requestId, UsageRecord usage, long receipt, TestProbe<SettleReceipts> node) {
    return new ApiKeyEntity.Settle(requestId, usage, asked.getRef(), receipt, node.getRef());
  }

  @AfterEach
  void noBareAnswers() {
    asked.expectNoMessage(Duration.ofMillis(100));
  }

  /** Every receipt the node is told until {@code count} have come, in the order they came. */
  private static List<Long> receipts(TestProbe<SettleReceipts> node, int count, List<Integer> messageSizes) {
    List<Long> got = new ArrayList<>();
    while (got.size() < count) {
      long[] r = node.receiveMessage(Duration.ofSeconds(5)).receipts();
      messageSizes.add(r.length);
      Arrays.stream(r).forEach(got::add);
    }
    return got;
  }

  @Test
  void eachNodeIsAnsweredOnceAWriteWithTheReceiptsItTook() {
    TestProbe<SettleReceipts> nodeA = testKit.createTestProbe();
    TestProbe<SettleReceipts> nodeB = testKit.createTestProbe();
    // Told without waiting, so they share the batch's write: 30 from node A, 10 from node B.
    for (int i = 0; i < 40; i++) {
      TestProbe<SettleReceipts> node = i % 4 == 3 ? nodeB : nodeA;
      kit.runCommand(told("r-" + i, usage("r-" + i), 100 + i, node));
    }
    List<Integer> sizesA = new ArrayList<>();
    List<Integer> sizesB = new ArrayList<>();
    List<Long> a = receipts(nodeA, 30, sizesA);
    List<Long> b = receipts(nodeB, 10, sizesB);
    assertEquals(LongStream.range(0, 40).filter(i -> i % 4 != 3).map(i -> 100 + i).boxed().toList(), a);
    assertEquals(LongStream.range(0, 40).filter(i -> i % 4 == 3).map(i -> 100 + i).boxed().toList(), b);
    List<Object> events = kit.persistenceTestKit().persistedInStorage(ApiKeyEntity.persistenceId(keyId).id());
    // A write answers each node whose settlements it took once (a write may take one node's only).
    assertTrue(sizesA.size() <= events.size(), "node A: " + sizesA + " in " + events.size() + " writes");
    assertTrue(sizesB.size() <= events.size(), "node B: " + sizesB + " in " + events.size() + " writes");
    assertTrue(events.size() < 40, "settlements told together share writes: " + events.size());
    assertEquals(40L, kit.getState().requests());
    nodeA.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void theAnswerComesOnlyOnceTheUsageIsWritten() {
    TestProbe<SettleReceipts> node = testKit.createTestProbe();
    kit.persistenceTestKit().failNextPersisted(ApiKeyEntity.persistenceId(keyId).id(), new RuntimeException("disk"));
    kit.runCommand(told("lost", usage("lost"), 1, node));
    node.expectNoMessage(Duration.ofMillis(300));
    // The entity restarted after the failed write; the node's re-send lands and is answered.
    kit.runCommand(told("lost", usage("lost"), 2, node));
    assertEquals(List.of(2L), receipts(node, 1, new ArrayList<>()));
    assertEquals(1L, kit.getState().requests());
  }

  @Test
  void aSettlementRecordedAlreadyIsAnsweredAtOnceWithoutAWrite() {
    TestProbe<SettleReceipts> node = testKit.createTestProbe();
    kit.runCommand(told("first", usage("first"), 7, node));
    assertEquals(List.of(7L), receipts(node, 1, new ArrayList<>()));
    kit.persistenceTestKit().clearAll();
    var again = kit.runCommand(told("first-again", usage("first"), 8, node));
    assertTrue(again.hasNoEvents());
    assertEquals(List.of(8L), receipts(node, 1, new ArrayList<>()));
    var none = kit.runCommand(told("no-usage", null, 9, node));
    assertTrue(none.hasNoEvents());
    assertEquals(List.of(9L), receipts(node, 1, new ArrayList<>()));
    assertEquals(1L, kit.getState().requests());
  }
}
