package dev.relaycluster.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BoundedLabelsTest {

  @Test
  void theFirstValuesAreKeptAndLaterOnesAreOther() {
    BoundedLabels models = new BoundedLabels(2);
    assertEquals("claude-sonnet-4-5", models.of("claude-sonnet-4-5"));
    assertEquals("gpt-5", models.of("gpt-5"));
    assertEquals(BoundedLabels.OTHER, models.of("gemini-2.5-pro"));
    assertEquals("claude-sonnet-4-5", models.of("claude-sonnet-4-5"), "a value kept stays itself");
    assertEquals(BoundedLabels.OTHER, models.of("another"));
  }

  @Test
  void blankValuesAreUnknownAndLongOnesAreCut() {
    BoundedLabels models = new BoundedLabels(5);
    assertEquals(BoundedLabels.UNKNOWN, models.of(null));
    assertEquals(BoundedLabels.UNKNOWN, models.of("  "));
    String cut = models.of("m".repeat(500));
    assertEquals(BoundedLabels.LONGEST, cut.length());
    assertEquals(cut, models.of("m".repeat(300)), "two names alike in their first characters are one value");
  }

  @Test
  void aCapBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BoundedLabels(0));
  }
}
