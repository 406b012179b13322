package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RelayOverheadTest {

  @Test
  void millisAreWhatTheFormatterWrites() {
    long[] edges = {0, 1, 4_999, 5_000, 9_999, 10_000, 14_999, 15_000, 99_999, 995_000, 999_999, 1_000_000,
        1_004_999, 1_005_000, 12_050_000, 99_995_000, 123_456_789_012L};
    for (long nanos : edges) {
      assertEquals(String.format(Locale.ROOT, "%.2f", nanos / 1e6), RelayOverhead.millis(nanos), nanos + " ns");
    }
    SplittableRandom random = new SplittableRandom(23);
    for (int i = 0; i < 100_000; i++) {
      long nanos = random.nextLong(i % 2 == 0 ? 10_000_000L : 100_000_000_000L);
      assertEquals(String.format(Locale.ROOT, "%.2f", nanos / 1e6), RelayOverhead.millis(nanos), nanos + " ns");
    }
  }
}
