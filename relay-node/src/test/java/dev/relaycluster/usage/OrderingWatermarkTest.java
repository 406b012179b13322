package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrderingWatermarkTest {
  private static final long TIMEOUT = 3_000;

  @Test
  void advancesOverContiguousOrderings() {
    assertEquals(new OrderingWatermark(13, -1), OrderingWatermark.from(10).advance(List.of(11L, 12L, 13L), 0, TIMEOUT));
    assertEquals(new OrderingWatermark(10, -1), OrderingWatermark.from(10).advance(List.of(), 0, TIMEOUT));
  }

  @Test
  void waitsAtAHoleUntilItHasBeenOpenLongEnough() {
    OrderingWatermark w = OrderingWatermark.from(10).advance(List.of(12L, 13L), 1_000, TIMEOUT);
    assertEquals(new OrderingWatermark(10, 1_000), w);
    w = w.advance(List.of(12L, 13L), 3_999, TIMEOUT);
    assertEquals(new OrderingWatermark(10, 1_000), w, "the hole keeps the time it was first seen");
    assertEquals(new OrderingWatermark(13, -1), w.advance(List.of(12L, 13L), 4_000, TIMEOUT));
    // The event in flight committed in time: no waiting at all.
    assertEquals(new OrderingWatermark(13, -1), w.advance(List.of(11L, 12L, 13L), 2_000, TIMEOUT));
  }

  @Test
  void aHoleFurtherOnStartsItsOwnWait() {
    OrderingWatermark w = OrderingWatermark.from(10).advance(List.of(11L, 13L, 14L), 5_000, TIMEOUT);
    assertEquals(new OrderingWatermark(11, 5_000), w);
    OrderingWatermark skipped = w.advance(List.of(13L, 14L, 16L), 8_000, TIMEOUT);
    assertEquals(new OrderingWatermark(14, 8_000), skipped, "12 given up, the new hole at 15 waits from now");
  }
}
