package dev.relaycluster.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The flat-heap judgement of RelayFuzzTest on made-up samples. */
class HeapTrendTest {
  private static final long MIB = 1024 * 1024;

  private static HeapTrend of(long... mib) {
    HeapTrend t = new HeapTrend();
    for (int i = 0; i < mib.length; i++) {
      t.add(1_000L * (i + 1), mib[i] * MIB);
    }
    return t;
  }

  @Test
  void aPlateauWithOneHighSampleIsFlat() {
    HeapTrend t = of(56, 57, 64, 63, 63, 63, 79, 71, 66, 66);
    assertTrue(t.flat(), t.summary());
  }

  @Test
  void aSteadyClimbIsNot() {
    HeapTrend t = of(60, 64, 68, 72, 76, 80, 84, 88, 92, 96);
    assertFalse(t.flat(), t.summary());
    assertTrue(t.summary().endsWith("GROWING"), t.summary());
  }

  @Test
  void tooFewSamplesAreNotJudged() {
    HeapTrend t = of(50, 500);
    assertFalse(t.judged());
    assertTrue(t.flat());
  }
}
