package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.cluster.LeaseBook;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The node's shares against a fake entity that grants up to the limit, like {@link SlotGrants}. */
class KeySharesTest {
  private final long[] now = {1_000};
  private final LeaseBook book = new LeaseBook();
  private final FakeEntity entity = new FakeEntity();
  private final KeyShares shares = new KeyShares(entity, book, () -> now[0], "node-a");

  /** Grants slots while slots and its own per-request leases stay under the limit. */
  private static final class FakeEntity implements KeyShares.Entities {
    int limit;
    int perRequest;
    final Set<String> slots = new HashSet<>();
    final List<String> asked = new ArrayList<>();

    @Override
    public CompletionStage<List<String>> grant(String keyId, List<String> slotIds) {
      asked.addAll(slotIds);
      List<String> granted = new ArrayList<>();
      for (String s : slotIds) {
        if (slots.size() + perRequest < limit) {
          slots.add(s);
          granted.add(s);
        }
      }
      return CompletableFuture.completedFuture(granted);
    }

    @Override
    public void release(String keyId, String slotId) {
      slots.remove(slotId);
    }
  }

  private static KeyEntry key(int concurrency) {
    KeySettings settings = KeySettings.basic("k", concurrency);
    return new KeyEntry("key-1", "k", "hash", "cr_", concurrency, KeyStatus.ACTIVE, 1, 0, 1, settings, 0, 0);
  }

  private List<String> noted() {
    return book.of(ApiKeyEntity.persistenceId("key-1").id());
  }

  @Test
  void aRequestWithoutAFreeSlotGrowsTheShareAndLaterRequestsTakeSlotsWithoutAsking() {
    entity.limit = 4;
    entity.perRequest = 1; // the first request asks the entity itself
    assertNull(shares.take(key(4)));
    assertEquals(1, entity.slots.size());
    assertEquals(List.copyOf(entity.slots), noted(), "granted slots are in the node's lease book");
    String slot = shares.take(key(4));
    assertNotNull(slot);
    assertEquals(1, shares.inUse("key-1"));
    int asks = entity.asked.size();
    shares.giveBack("key-1", slot);
    assertEquals(slot, shares.take(key(4)), "the slot came back to the node, not to the entity");
    assertEquals(asks, entity.asked.size(), "no ask while a slot is free");
  }

  @Test
  void theSharesNeverHoldMoreThanTheLimitKeepOneFreeSlotAndNoneWhenIdle() {
    entity.limit = 3;
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String s = shares.take(key(3));
      if (s != null) {
        taken.add(s);
      }
      now[0] += 300; // past the pause after an ask that got nothing
    }
    assertEquals(3, taken.size(), "never more slots in use than the limit: " + taken);
    assertTrue(entity.slots.size() <= 3);
    taken.forEach(s -> shares.giveBack("key-1", s));
    assertEquals(1, shares.free("key-1"), "one free slot kept, the others returned at once");
    assertEquals(1, entity.slots.size());
    now[0] += 500;
    shares.check();
    assertEquals(1, shares.free("key-1"), "not idle long enough yet");
    now[0] += KeyShares.IDLE.toMillis();
    shares.check();
    assertEquals(0, shares.free("key-1"), "an idle key keeps no slot");
    assertTrue(entity.slots.isEmpty(), "returned to the entity");
    assertTrue(noted().isEmpty(), "and out of the lease book");
  }

  @Test
  void aLoweredLimitOrOtherLimitsReturnSlotsAsSoonAsTheyAreFree() {
    entity.limit = 5;
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < 8 && taken.size() < 3; i++) {
      String s = shares.take(key(5));
      if (s != null) {
        taken.add(s);
      }
    }
    assertEquals(3, taken.size());
    assertNull(shares.take(key(5)), "none free: the share grows by one");
    assertEquals(1, shares.free("key-1"));
    assertNull(shares.take(key(2)), "the limit went down to two");
    assertEquals(0, shares.free("key-1"), "the free slot went back");
    assertEquals(3, entity.slots.size(), "the slots in use are still held");
    shares.giveBack("key-1", taken.get(0));
    assertEquals(2, entity.slots.size(), "a slot freed above the limit goes back");
    KeySettings window = new KeySettings("k", "", List.of(),
        new KeyLimits(0, new RateWindowLimit(5, 10, 0, 0), 0, 0, 0, 1, 0), KeyAccess.ANY, KeyExpiry.NONE, Map.of(),
        Map.of());
    KeyEntry changed = new KeyEntry("key-1", "k", "hash", "cr_", 0, KeyStatus.ACTIVE, 1, 0, 2, window, 0, 0);
    assertNull(shares.take(changed));
    shares.giveBack("key-1", taken.get(1));
    assertEquals(0, shares.free("key-1"), "a key that no longer shares keeps no free slot");
    assertEquals(1, entity.slots.size(), "only the slot still in use is held");
  }

  @Test
  void aRequestWithoutAFreeSlotWaitsForTheShareToGrowInsteadOfRacingIt() {
    // An entity that answers the share's ask later: the request must not ask for its own lease meanwhile
    // (with a limit of one, the share's slot and the request's lease would refuse each other).
    CompletableFuture<List<String>> answer = new CompletableFuture<>();
    List<List<String>> asked = new ArrayList<>();
    KeyShares later = new KeyShares(new KeyShares.Entities() {
      @Override
      public CompletionStage<List<String>> grant(String keyId, List<String> slotIds) {
        asked.add(slotIds);
        return answer;
      }

      @Override
      public void release(String keyId, String slotId) {}
    }, book, () -> now[0], "node-b");
    CompletableFuture<String> first = later.acquire(key(1)).toCompletableFuture();
    CompletableFuture<String> second = later.acquire(key(1)).toCompletableFuture();
    assertEquals(1, asked.size(), "one ask for the share, however many requests wait");
    assertTrue(!first.isDone() && !second.isDone(), "both wait for the share's answer");
    answer.complete(asked.get(0));
    List<String> got = new ArrayList<>();
    for (String slot : new String[] {first.join(), second.join()}) {
      if (slot != null) {
        got.add(slot);
      }
    }
    assertEquals(asked.get(0), got, "one takes the slot the ask brought; the other finds none and asks itself");
    assertEquals(1, later.inUse("key-1"));
  }
}
