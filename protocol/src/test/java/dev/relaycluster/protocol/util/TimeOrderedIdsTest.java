package dev.relaycluster.protocol.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

  @Test
  void idsAreVersion7WithTheRfcVariantAndCarryTheirMillisecond() {
    long at = 1_763_790_000_123L;
    UUID id = new TimeOrderedIds(() -> at).next();
    assertEquals(7, id.version());
    assertEquals(2, id.variant());
    assertEquals(at, TimeOrderedIds.millisOf(id));
    assertTrue(id.toString().startsWith(String.format("%08x-%04x", at >>> 16, at & 0xFFFF)));
  }

  @Test
  void textSortsByTimeAcrossMilliseconds() {
    AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    TimeOrderedIds ids = new TimeOrderedIds(clock::get);
    String previous = ids.next().toString();
    for (int i = 0; i < 1_000; i++) {
      clock.addAndGet(1 + (i % 7));
      String next = ids.next().toString();
      assertTrue(next.compareTo(previous) > 0, next + " should sort after " + previous);
      previous = next;
    }
  }

  @Test
  void idsInTheSameMillisecondDiffer() {
    TimeOrderedIds ids = new TimeOrderedIds(() -> 42L);
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertTrue(seen.add(ids.next()));
    }
    assertNotEquals(ids.next(), ids.next());
  }

  @Test
  void idsMadeOneAfterAnotherInTheSameMillisecondKeepTheirOrder() {
    TimeOrderedIds ids = new TimeOrderedIds(() -> 1_700_000_000_000L);
    UUID previous = null;
    for (int i = 0; i < 1_000; i++) {
      UUID next = ids.nextAfter(previous);
      if (previous != null) {
        assertTrue(next.toString().compareTo(previous.toString()) > 0, next + " should sort after " + previous);
      }
      assertEquals(7, next.version());
      assertEquals(2, next.variant());
      assertEquals(1_700_000_000_000L, TimeOrderedIds.millisOf(next));
      previous = next;
    }
    // At the top of the random bits the successor carries into the next 12 bits.
    UUID top = new UUID((1_700_000_000_000L << 16) | 0x7000L, 0xBFFF_FFFF_FFFF_FFFFL);
    UUID after = ids.nextAfter(top);
    assertTrue(after.toString().compareTo(top.toString()) > 0, after + " should sort after " + top);
    assertEquals(2, after.variant());
  }

  @Test
  void randomUuidsAreNotTakenForTimeOrderedOnes() {
    assertThrows(IllegalArgumentException.class, () -> TimeOrderedIds.millisOf(UUID.randomUUID()));
  }
}
