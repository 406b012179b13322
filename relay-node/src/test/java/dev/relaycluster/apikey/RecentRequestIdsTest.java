package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentRequestIdsTest {

  @Test
  void appendKeepsTheNewestAndLeavesTheOriginalAlone() {
    List<String> ids = List.of();
    List<String> before = null;
    for (int i = 0; i < 10; i++) {
      before = ids;
      ids = RecentRequestIds.append(ids, "r" + i, 4);
    }
    assertEquals(List.of("r6", "r7", "r8", "r9"), ids);
    assertEquals(List.of("r5", "r6", "r7", "r8"), before);
    List<String> fixed = ids;
    assertThrows(UnsupportedOperationException.class, () -> fixed.add("x"));
  }

  @Test
  void containsFindsOnlyWhatIsRemembered() {
    List<String> ids = new ArrayList<>(List.of("a", "b"));
    ids = RecentRequestIds.append(ids, "c", 3);
    assertTrue(RecentRequestIds.contains(ids, "a"));
    assertTrue(RecentRequestIds.contains(ids, new String("c".toCharArray())));
    ids = RecentRequestIds.append(ids, "d", 3);
    assertFalse(RecentRequestIds.contains(ids, "a"), "the oldest was dropped");
    assertFalse(RecentRequestIds.contains(ids, "e"));
    // Different text with the same hash code is not taken for the id.
    assertEquals("Aa".hashCode(), "BB".hashCode());
    assertFalse(RecentRequestIds.contains(RecentRequestIds.append(List.of(), "Aa", 3), "BB"));
  }

  @Test
  void appendingABatchIsAppendingItsIdsOneByOne() {
    for (int before : new int[] {0, 1, 3, 4}) {
      for (int batch : new int[] {0, 1, 2, 4, 7}) {
        List<String> start = new ArrayList<>();
        for (int i = 0; i < before; i++) {
          start.add("old" + i);
        }
        List<String> added = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          added.add("new" + i);
        }
        for (List<String> from : List.of(start, RecentRequestIds.appendAll(List.of(), start, 4))) {
          List<String> oneByOne = from;
          for (String id : added) {
            oneByOne = RecentRequestIds.append(oneByOne, id, 4);
          }
          List<String> together = RecentRequestIds.appendAll(from, added, 4);
          assertEquals(oneByOne, together, before + " remembered, " + batch + " added");
          for (String id : together) {
            assertTrue(RecentRequestIds.contains(together, id), id);
          }
          assertFalse(batch > 4 && RecentRequestIds.contains(together, "new0"), "the batch's oldest beyond max");
        }
      }
    }
  }
}
