package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ShareSizingTest {
  @Test
  void aShareGrowsTowardTwiceWhatIsInUseNeverPastTheLimit() {
    assertEquals(1, ShareSizing.toAsk(10, 0, 0), "a first request: one slot");
    assertEquals(2, ShareSizing.toAsk(10, 1, 1), "one in use: toward three");
    assertEquals(4, ShareSizing.toAsk(10, 3, 3));
    assertEquals(3, ShareSizing.toAsk(10, 5, 7), "capped by the limit");
    assertEquals(0, ShareSizing.toAsk(2, 2, 2), "the limit is held already");
    assertEquals(ShareSizing.MAX_STEP, ShareSizing.toAsk(1000, 50, 50), "in steps");
    assertEquals(0, ShareSizing.toAsk(0, 0, 0), "no limit, no share");
  }

  @Test
  void freeSlotsUnusedForAWhileGoBackKeepingAMarginWhileBusy() {
    assertEquals(0, ShareSizing.toReturn(10, 2, 3, 0), "nothing idle yet");
    assertEquals(2, ShareSizing.toReturn(10, 2, 3, 3), "busy: in use plus the margin is kept");
    assertEquals(1, ShareSizing.toReturn(10, 2, 3, 1), "only idle slots go");
    assertEquals(3, ShareSizing.toReturn(10, 0, 3, 3), "an idle key keeps nothing");
    assertEquals(2, ShareSizing.toReturn(10, 0, 3, 2), "the slot used lately is the margin kept");
    assertEquals(0, ShareSizing.toReturn(10, 0, 1, 0), "a slot used lately stays");
  }

  @Test
  void aLoweredLimitOrAKeyThatNoLongerSharesReturnsFreeSlotsAtOnce() {
    assertEquals(2, ShareSizing.toReturn(3, 2, 3, 0), "five held against a limit of three");
    assertEquals(1, ShareSizing.toReturn(1, 3, 1, 0), "only free slots can go");
    assertEquals(4, ShareSizing.toReturn(0, 1, 4, 0), "no longer shared");
  }
}
