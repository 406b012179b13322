package dev.relaycluster.protocol.pricing;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private static final ModelPrice SONNET_4_5 = new ModelPrice(3_000_000, 15_000_000, 3_750_000, 6_000_000, 300_000);

    @Test
    void bundledTableHasEveryEntryWithAnInputPrice() throws IOException {
        JsonNode raw;
        try (var in = PriceTable.class.getResourceAsStream("/pricing/model_prices_and_context_window.json")) {
            raw = new ObjectMapper().readTree(in);
        }
        int withInputPrice = 0;
        for (Map.Entry<String, JsonNode> e : raw.properties()) {
            if (e.getValue().isObject() && e.getValue().has("input_cost_per_token")) {
                withInputPrice++;
            }
        }
        assertEquals(222, withInputPrice);
        assertEquals(withInputPrice, PriceTable.bundled().size());
        assertSame(PriceTable.bundled(), PriceTable.bundled());
    }

    @Test
    void bundledVersionIsTheFileHash() {
        assertEquals("sha256:0d0bd04de87773a9", PriceTable.bundled().version());
    }

    @Test
    void findsByExactAndNormalisedNames() {
        PriceTable t = PriceTable.bundled();
        assertEquals(Optional.of(SONNET_4_5), t.find("claude-sonnet-4-5"));
        // The snapshot states long-context prices for this model equal to the ordinary ones.
        assertEquals(new PricedModel("claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929", SONNET_4_5, false,
                SONNET_4_5),
                t.price("claude-sonnet-4-5-20250929", PriceTable.DEFAULT_FALLBACK));
        assertEquals("claude-sonnet-4-5-20250929",
                t.price("anthropic/claude-sonnet-4-5-20250929", PriceTable.DEFAULT_FALLBACK).matchedKey());
        assertEquals("claude-sonnet-4-5", t.price("claude-sonnet-4-5[1m]", PriceTable.DEFAULT_FALLBACK).matchedKey());
        assertEquals("claude-sonnet-4-5-20250929",
                t.price("claude-sonnet-4-5-20250929[1m]", PriceTable.DEFAULT_FALLBACK).matchedKey());
        assertEquals("claude-sonnet-4-5", t.price("claude-sonnet-4-5-20991231", PriceTable.DEFAULT_FALLBACK).matchedKey());
        assertEquals("claude-sonnet-4-5", t.price("Claude-Sonnet-4-5", PriceTable.DEFAULT_FALLBACK).matchedKey());
        assertEquals("gpt-5.1-codex", t.price("openai/gpt-5.1-codex", PriceTable.DEFAULT_FALLBACK).matchedKey());
    }

    @Test
    void aNameLookedUpAgainMatchesAsTheFirstTime() {
        PriceTable t = PriceTable.bundled();
        for (String name : new String[] {"Claude-Sonnet-4-5", "anthropic/claude-sonnet-4-5-20250929",
                "claude-sonnet-4-5[1m]", "no-such-model-8"}) {
            PricedModel first = t.price(name, PriceTable.DEFAULT_FALLBACK);
            for (int i = 0; i < 3; i++) {
                assertEquals(first, t.price(name, PriceTable.DEFAULT_FALLBACK), name);
                assertEquals(t.find(name), Optional.ofNullable(first.matchedKey() == null ? null : first.price()), name);
            }
        }
    }

    @Test
    void unknownModelGetsTheFallback() {
        ModelPrice fallback = new ModelPrice(1, 2, 3, 4, 5);
        assertEquals(new PricedModel("no-such-model-9", null, fallback, true),
                PriceTable.bundled().price("no-such-model-9", fallback));
        assertEquals(Optional.empty(), PriceTable.bundled().find("no-such-model-9"));
        assertEquals(Optional.empty(), PriceTable.bundled().find(null));
        assertEquals(new ModelPrice(3_000_000, 15_000_000, 3_750_000, 6_000_000, 300_000), PriceTable.DEFAULT_FALLBACK);
    }

    @Test
    void bundledPricesOfModelsWithoutCacheWritePrices() {
        PriceTable t = PriceTable.bundled();
        assertEquals(Optional.of(new ModelPrice(280_000, 420_000, 0, 0, 28_000)), t.find("deepseek-chat"));
        assertEquals(Optional.of(new ModelPrice(30_000_000, 60_000_000, 0, 0, 30_000_000)), t.find("gpt-4"));
        assertEquals(Optional.of(new ModelPrice(5_000_000, 0, 0, 0, 1_250_000)), t.find("gpt-image-1"));
        assertEquals(Optional.of(new ModelPrice(4_688, 4_688, 0, 0, 4_688)), t.find("gemini-1.5-flash-exp-0827"));
    }

    @Test
    void parsesPicodollarsExactlyAndFillsMissingFields() {
        PriceTable t = PriceTable.parse(utf8("{"
                + "\"sample_spec\":{\"max_tokens\":\"LEGACY parameter\",\"litellm_provider\":\"one of the providers\"},"
                + "\"not-an-object\":5,"
                + "\"vendor-model\":{\"input_cost_per_token\":3e-07,\"litellm_provider\":\"anthropic\"},"
                + "\"my-claude-proxy\":{\"input_cost_per_token\":1.5e-05,\"output_cost_per_token\":7.5e-05,"
                + "\"cache_read_input_token_cost\":1.5e-06,\"litellm_provider\":\"openrouter\"},"
                + "\"other\":{\"input_cost_per_token\":1.5e-05,\"output_cost_per_token\":3.75e-06},"
                + "\"tiny\":{\"input_cost_per_token\":4.6875e-09,\"output_cost_per_token\":4.6874e-09},"
                + "\"as-string\":{\"input_cost_per_token\":\"0.000002\",\"output_cost_per_token\":0}"
                + "}"));
        assertEquals(5, t.size());
        assertEquals(java.util.List.of("as-string", "my-claude-proxy", "other", "tiny", "vendor-model"),
                java.util.List.copyOf(t.models()));
        assertEquals(Optional.of(new ModelPrice(300_000, 0, 375_000, 600_000, 30_000)), t.find("vendor-model"));
        assertEquals(Optional.of(new ModelPrice(15_000_000, 75_000_000, 18_750_000, 30_000_000, 1_500_000)),
                t.find("my-claude-proxy"));
        assertEquals(Optional.of(new ModelPrice(15_000_000, 3_750_000, 0, 0, 15_000_000)), t.find("other"));
        assertEquals(Optional.of(new ModelPrice(4_688, 4_687, 0, 0, 4_688)), t.find("tiny"));
        assertEquals(Optional.of(new ModelPrice(2_000_000, 0, 0, 0, 2_000_000)), t.find("as-string"));
        assertEquals(Optional.empty(), t.find("sample_spec"));
    }

    @Test
    void versionHashesTheGivenBytes() {
        assertEquals("sha256:44136fa355b3678a", PriceTable.parse(utf8("{}")).version());
    }

    @Test
    void rejectsNonObjects() {
        assertThrows(IllegalArgumentException.class, () -> PriceTable.parse(utf8("[]")));
        assertThrows(IllegalArgumentException.class, () -> PriceTable.parse(utf8("{\"a\":")));
        assertThrows(IllegalArgumentException.class, () -> PriceTable.parse(utf8("{\"a\":{\"input_cost_per_token\":1e30}}")));
    }
}
