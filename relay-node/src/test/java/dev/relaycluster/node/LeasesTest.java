package dev.relaycluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LeasesTest {
  private static ActorTestKit testKit;
  private static ActorRef<String> holderA;
  private static ActorRef<String> holderB;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("LeasesTest", ConfigFactory.parseString("pekko.actor.provider = local"));
    holderA = testKit.<String>createTestProbe("holder-a").getRef();
    holderB = testKit.<String>createTestProbe("holder-b").getRef();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void emptyHasNothing() {
    assertEquals(0, Leases.EMPTY.size());
    assertFalse(Leases.EMPTY.contains("l1"));
    assertFalse(Leases.EMPTY.watching(holderA));
  }

  @Test
  void addCountsLeasesAndWatchesTheHolderOnce() {
    Leases l = Leases.EMPTY.add("l1", holderA).add("l2", holderA).add("l3", holderB);
    assertEquals(3, l.size());
    assertTrue(l.contains("l1") && l.contains("l2") && l.contains("l3"));
    assertTrue(l.watching(holderA));
    assertTrue(l.watching(holderB));
    assertEquals(2, l.watched().size());
  }

  @Test
  void isImmutable() {
    Leases one = Leases.EMPTY.add("l1", holderA);
    one.add("l2", holderB);
    assertEquals(1, one.size());
    assertFalse(one.watching(holderB));
    one.remove("l1");
    assertTrue(one.contains("l1"));
    assertEquals(0, Leases.EMPTY.size());
  }

  @Test
  void removeDropsOneLeaseAndKeepsWatching() {
    Leases l = Leases.EMPTY.add("l1", holderA).add("l2", holderA);
    Leases after = l.remove("l1");
    assertEquals(1, after.size());
    assertFalse(after.contains("l1"));
    assertTrue(after.contains("l2"));
    Leases none = after.remove("l2");
    assertEquals(0, none.size());
    // the entity still watches the holder, so it must not watch it again for its next lease
    assertTrue(none.watching(holderA));
  }

  @Test
  void removeOfAnUnknownLeaseIsANoOp() {
    Leases l = Leases.EMPTY.add("l1", holderA);
    assertSame(l, l.remove("nope"));
    assertEquals(1, l.remove("nope").size());
  }

  @Test
  void holderTerminatedDropsAllItsLeasesAndStopsWatchingIt() {
    Leases l = Leases.EMPTY.add("l1", holderA).add("l2", holderB).add("l3", holderA);
    Leases after = l.holderTerminated(holderA);
    assertEquals(1, after.size());
    assertTrue(after.contains("l2"));
    assertFalse(after.contains("l1"));
    assertFalse(after.contains("l3"));
    assertFalse(after.watching(holderA));
    assertTrue(after.watching(holderB));
    Leases none = after.holderTerminated(holderB);
    assertEquals(0, none.size());
    assertEquals(0, none.watched().size());
  }

  @Test
  void holderTerminatedOfAnUnknownHolderChangesNothing() {
    Leases l = Leases.EMPTY.add("l1", holderA);
    Leases after = l.holderTerminated(holderB);
    assertEquals(1, after.size());
    assertTrue(after.watching(holderA));
  }

  @Test
  void reAddAfterTerminationWatchesAgain() {
    Leases l = Leases.EMPTY.add("l1", holderA).holderTerminated(holderA);
    assertFalse(l.watching(holderA));
    Leases again = l.add("l2", holderA);
    assertTrue(again.watching(holderA));
    assertEquals(1, again.size());
  }
}
