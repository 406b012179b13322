package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ShareSizingTest {
  @Test
  void aShareGrowsToWhatIsInUsePlusTheMarginNeverPastTheLimit() {
    assertEquals(1, ShareSizing.toAsk(10, 0, 0), "a first request: one slot");
    assertEquals(1, ShareSizing.toAsk(10, 3, 3), "one more than in use");
    assertEquals(0, ShareSizing.toAsk(10, 5, 7), "holds enough");
    assertEquals(0, ShareSizing.toAsk(2, 2, 2), "the limit is held already");
    assertEquals(1, ShareSizing.toAsk(1, 0, 0));
    assertEquals(0, ShareSizing.toAsk(0, 0, 0), "no limit, no share");
  }

  @Test
  void aShareKeepsAtMostTheMarginFreeAndNothingWhenIdle() {
    assertEquals(0, ShareSizing.toReturn(10, 2, 1, 0), "one free slot is the margin");
    assertEquals(0, ShareSizing.toReturn(10, 2, 1, 1), "kept while the key is busy, however long it sat");
    assertEquals(2, ShareSizing.toReturn(10, 2, 3, 0), "free slots beyond the margin go at once");
    assertEquals(0, ShareSizing.toReturn(10, 0, 1, 0), "a slot used lately stays");
    assertEquals(1, ShareSizing.toReturn(10, 0, 1, 1), "an idle key keeps nothing");
  }

  @Test
  void aLoweredLimitOrAKeyThatNoLongerSharesReturnsFreeSlotsAtOnce() {
    assertEquals(1, ShareSizing.toReturn(3, 3, 1, 0), "four held against a limit of three");
    assertEquals(1, ShareSizing.toReturn(1, 3, 1, 0), "only free slots can go");
    assertEquals(4, ShareSizing.toReturn(0, 1, 4, 0), "no longer shared");
  }

  @Test
  void aLargeLimitKeepsASixteenthOfItFreeSoABusyShareDoesNotChurn() {
    assertEquals(1, ShareSizing.margin(8));
    assertEquals(1, ShareSizing.margin(31));
    assertEquals(6, ShareSizing.margin(100));
    assertEquals(ShareSizing.MAX_MARGIN, ShareSizing.margin(20_000));
    assertEquals(0, ShareSizing.toReturn(20_000, 60, 10, 0), "ten free slots stay with a margin of 64");
    assertEquals(6, ShareSizing.toReturn(20_000, 60, 70, 0), "beyond the margin they go at once");
    assertEquals(8, ShareSizing.toAsk(20_000, 60, 60), "a busy share grows in steps toward in use + margin");
    assertEquals(4, ShareSizing.toAsk(20_000, 60, 120), "and stops there");
    assertEquals(64, ShareSizing.toReturn(20_000, 0, 64, 64), "an idle key keeps nothing");
  }
}
