package dev.relaycluster.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.pricing.CostCalculator;
import dev.relaycluster.protocol.pricing.ModelPrice;
import dev.relaycluster.protocol.pricing.PriceTable;
import dev.relaycluster.protocol.usage.TokenUsage;
import org.junit.jupiter.api.Test;

class CostEstimateTest {
  /** $3 / $15 per million tokens in and out. */
  private static final ModelPrice SONNET = PriceTable.DEFAULT_FALLBACK;

  @Test
  void maxTokensAtTheOutputPriceAndTheBodyAtTheInputPriceTimesTheRates() {
    // 400 bytes ≈ 100 input tokens × $3/M = 300 µ$; 1000 output tokens × $15/M = 15 000 µ$.
    assertEquals(15_300, CostEstimate.ratedMicros(SONNET, 1_000, 400, 1.0));
    assertEquals(30_600, CostEstimate.ratedMicros(SONNET, 1_000, 400, 2.0));
    assertEquals(7_650, CostEstimate.ratedMicros(SONNET, 1_000, 400, 0.5));
    assertEquals(300, CostEstimate.ratedMicros(SONNET, -1, 400, 1.0), "no max_tokens: the input only");
    assertEquals(1_100, CostEstimate.tokens(1_000, 400));
    assertEquals(101, CostEstimate.inputTokens(401), "rounded up");
  }

  @Test
  void anUnknownModelIsEstimatedAtTheFallbackPrice() {
    assertEquals(CostEstimate.ratedMicros(PriceTable.DEFAULT_FALLBACK, 100, 0, 1.0),
        CostEstimate.ratedMicros(PriceTable.bundled(), "mock-slow", 100, 0, 1.0));
  }

  @Test
  void theEstimateBoundsAPlainAnswerWithinMaxTokens() {
    TokenUsage used = new TokenUsage(100, 1_000, 0, 0, 0);
    long real = CostCalculator.cost(SONNET, used).totalMicros();
    assertTrue(CostEstimate.ratedMicros(SONNET, 1_000, 400, 1.0) >= real);
  }
}
