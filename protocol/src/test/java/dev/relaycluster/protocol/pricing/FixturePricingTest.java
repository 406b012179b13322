package dev.relaycluster.protocol.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.anthropic.AnthropicUsageTap;
import dev.relaycluster.protocol.usage.MessageUsage;
import dev.relaycluster.protocol.openai.ResponsesUsage;
import dev.relaycluster.protocol.testing.Fixtures;
import dev.relaycluster.protocol.usage.TokenUsage;
import org.junit.jupiter.api.Test;

/**
 * Recorded answers priced to the micro-dollar. Every expectation is worked out by hand in the comment
 * above it from the per-million prices of the table entry named there.
 */
class FixturePricingTest {

    private static final PriceTable BUNDLED = PriceTable.bundled();
    private static final PriceTable OVERRIDDEN =
            BUNDLED.overriddenBy(PriceTable.parse(Fixtures.bytes("fixtures/pricing-override.json")));

    private static MessageUsage anthropic(String fixture) {
        byte[] bytes = Fixtures.bytes(fixture);
        AnthropicUsageTap tap = new AnthropicUsageTap();
        tap.feed(bytes, 0, bytes.length);
        return new MessageUsage(tap.model(), tap.usage());
    }

    @Test
    void anthropicStreamWith5mAnd1hCacheWrites() {
        MessageUsage u = anthropic("fixtures/anthropic-stream.sse");
        assertEquals(new TokenUsage(1200, 57, 20000, 1000, 2000), u.usage());
        PricedModel model = BUNDLED.price(u.model(), "");
        assertFalse(model.fallback());
        // claude-sonnet-4-5-20250929: $3 in, $15 out, $3.75 5m write, $6 1h write, $0.30 read per million.
        // input 1200 x 3 = 3600; output 57 x 15 = 855; writes 1000 x 3.75 + 2000 x 6 = 3750 + 12000 = 15750;
        // read 20000 x 0.30 = 6000; total 26205 micro-dollars.
        assertEquals(new Cost(3600, 855, 15750, 6000, 26205), CostCalculator.cost(model, u.usage(), 1.0));
        // The same tokens all written for 5 minutes would cost 3000 x 3.75 = 11250 for writes, 21705 in all.
        TokenUsage all5m = new TokenUsage(1200, 57, 20000, 3000, 0);
        assertEquals(21705, CostCalculator.cost(model, all5m, 1.0).totalMicros());
    }

    @Test
    void longContextStreamUsesTheAbove200kPricesOfTheTable() {
        MessageUsage u = anthropic("fixtures/anthropic-stream-long-context.sse");
        assertEquals(new TokenUsage(150000, 2000, 60000, 4000, 1000), u.usage());
        assertTrue(PriceRules.longContext(u.usage()));
        PricedModel model = OVERRIDDEN.price(u.model(), "");
        // Override entry, prompt 150000 + 60000 + 5000 = 215000 > 200000: $6 in, $22.50 out, $7.50 5m write,
        // 1h write not stated above 200k, so 2 x $6 = $12 (Claude rule), $0.60 read per million.
        // input 150000 x 6 = 900000; output 2000 x 22.5 = 45000; writes 4000 x 7.5 + 1000 x 12 = 42000;
        // read 60000 x 0.6 = 36000; total 1023000.
        assertEquals(new Cost(900000, 45000, 42000, 36000, 1023000), CostCalculator.cost(model, u.usage(), 1.0));
        // The bundled snapshot states the same price above 200k as below for this model:
        // 450000 + 30000 + (15000 + 6000) + 18000 = 519000.
        assertEquals(new Cost(450000, 30000, 21000, 18000, 519000),
                CostCalculator.cost(BUNDLED.price(u.model(), ""), u.usage(), 1.0));
    }

    @Test
    void longContextStartsAbove200000PromptTokens() {
        PricedModel model = OVERRIDDEN.price("claude-sonnet-4-5-20250929", "");
        // Exactly 200000 prompt tokens: ordinary prices, 199000 x 3 + 1000 x 0.3 = 597300.
        TokenUsage at = new TokenUsage(199000, 0, 1000, 0, 0);
        assertFalse(PriceRules.longContext(at));
        assertEquals(597300, CostCalculator.cost(model, at, 1.0).totalMicros());
        // One more: 199001 x 6 + 1000 x 0.6 = 1194006 + 600 = 1194606.
        TokenUsage above = new TokenUsage(199001, 0, 1000, 0, 0);
        assertTrue(PriceRules.longContext(above));
        assertEquals(1194606, CostCalculator.cost(model, above, 1.0).totalMicros());
    }

    @Test
    void openAiResponsesUsageMovesCachedInputToCacheRead() {
        MessageUsage u = ResponsesUsage.fromStream(Fixtures.bytes("fixtures/openai-responses-stream.sse"));
        assertEquals("gpt-5-2025-08-07", u.model());
        assertEquals(new TokenUsage(4000, 1500, 8000, 0, 0), u.usage());
        PricedModel model = BUNDLED.price(u.model(), "");
        assertEquals("gpt-5-2025-08-07", model.matchedKey());
        // gpt-5-2025-08-07: $1.25 in, $10 out, $0.125 cached input per million.
        // input (12000 - 8000) x 1.25 = 5000; cached 8000 x 0.125 = 1000; output 1500 x 10 = 15000; total 21000.
        assertEquals(new Cost(5000, 15000, 0, 1000, 21000), CostCalculator.cost(model, u.usage(), 1.0));
    }

    @Test
    void accountMultiplierScalesEachPartBeforeRounding() {
        PricedModel model = BUNDLED.price("claude-sonnet-4-5-20250929", "");
        // Half of 3600 / 855 / 15750 / 6000: 1800, 427.5 -> 428, 7875, 3000; exact total 13102.5 -> 13103.
        assertEquals(new Cost(1800, 428, 7875, 3000, 13103),
                CostCalculator.cost(model, new TokenUsage(1200, 57, 20000, 1000, 2000), 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> CostCalculator.cost(model, TokenUsage.ZERO, -1));
        assertEquals(39_750, CostCalculator.rated(26_500, 1.5));
        assertEquals(3, CostCalculator.rated(5, 0.5));
    }

    @Test
    void unknownModelsArePricedByTheFallbackModelAndFlagged() {
        PricedModel unknown = BUNDLED.price("acme-coder-1", "claude-sonnet-4-5");
        assertTrue(unknown.fallback());
        assertEquals("claude-sonnet-4-5", unknown.matchedKey());
        // 1000 x 3 + 100 x 15 = 4500 at the Sonnet price.
        assertEquals(4500, CostCalculator.cost(unknown, new TokenUsage(1000, 100, 0, 0, 0), 1.0).totalMicros());
        PricedModel builtIn = BUNDLED.price("acme-coder-1", "no-such-model");
        assertTrue(builtIn.fallback());
        assertNull(builtIn.matchedKey());
        assertEquals(PriceTable.DEFAULT_FALLBACK, builtIn.price());
    }

    @Test
    void overrideFileAddsAndReplacesModelsAndChangesTheVersion() {
        PricedModel acme = OVERRIDDEN.price("acme-coder-1", "claude-sonnet-4-5");
        assertFalse(acme.fallback());
        // 1000 x 1 + 100 x 4 = 1400.
        assertEquals(1400, CostCalculator.cost(acme, new TokenUsage(1000, 100, 0, 0, 0), 1.0).totalMicros());
        assertEquals(BUNDLED.size() + 1, OVERRIDDEN.size());
        assertNotEquals(BUNDLED.version(), OVERRIDDEN.version());
        assertEquals(OVERRIDDEN.version(),
                BUNDLED.overriddenBy(PriceTable.parse(Fixtures.bytes("fixtures/pricing-override.json"))).version());
        assertTrue(OVERRIDDEN.findLongContext("claude-sonnet-4-5-20250929").isPresent());
    }
}
