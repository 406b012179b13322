package dev.relaycluster.protocol.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;

/** Converts one LiteLLM model entry to a {@link ModelPrice}, filling in missing cache prices. */
final class LiteLlmEntry {

    private static final BigDecimal PICO_PER_USD = BigDecimal.TEN.pow(12);
    private static final BigDecimal CLAUDE_WRITE_5M = new BigDecimal("1.25");
    private static final BigDecimal CLAUDE_WRITE_1H = new BigDecimal("2");
    private static final BigDecimal CLAUDE_READ = new BigDecimal("0.1");

    private LiteLlmEntry() {
    }

    /**
     * The entry's prices, or empty when it is not an object or has no {@code input_cost_per_token}.
     * Missing output costs 0. Missing cache prices of Claude models (provider "anthropic" or a name
     * containing "claude") are 1.25x input (5m write), 2x input (1h write) and 0.1x input (read); for
     * other models a missing write costs 0 and a missing read costs the input price.
     */
    static Optional<ModelPrice> toPrice(String name, JsonNode entry) {
        if (entry == null || !entry.isObject()) {
            return Optional.empty();
        }
        BigDecimal input = usd(entry.get("input_cost_per_token"));
        if (input == null) {
            return Optional.empty();
        }
        boolean claude = "anthropic".equals(entry.path("litellm_provider").asText())
                || name.toLowerCase(Locale.ROOT).contains("claude");
        BigDecimal output = usd(entry.get("output_cost_per_token"));
        BigDecimal write5m = usd(entry.get("cache_creation_input_token_cost"));
        BigDecimal write1h = usd(entry.get("cache_creation_input_token_cost_above_1hr"));
        BigDecimal read = usd(entry.get("cache_read_input_token_cost"));
        return Optional.of(new ModelPrice(
                pico(input),
                output == null ? 0 : pico(output),
                write5m != null ? pico(write5m) : claude ? pico(input.multiply(CLAUDE_WRITE_5M)) : 0,
                write1h != null ? pico(write1h) : claude ? pico(input.multiply(CLAUDE_WRITE_1H)) : 0,
                read != null ? pico(read) : pico(claude ? input.multiply(CLAUDE_READ) : input)));
    }

    /**
     * The entry's long-context prices (prompts above {@link PriceRules#LONG_CONTEXT_THRESHOLD} tokens), or
     * empty when it states no {@code input_cost_per_token_above_200k_tokens}. A part without its own
     * {@code *_above_200k_tokens} price keeps the ordinary price, except the 1-hour cache write of a Claude
     * model, which is 2x the long-context input price unless
     * {@code cache_creation_input_token_cost_above_1hr_above_200k_tokens} states it.
     */
    static Optional<ModelPrice> toLongContextPrice(String name, JsonNode entry, ModelPrice base) {
        if (entry == null || !entry.isObject()) {
            return Optional.empty();
        }
        BigDecimal input = usd(entry.get("input_cost_per_token_above_200k_tokens"));
        if (input == null) {
            return Optional.empty();
        }
        boolean claude = "anthropic".equals(entry.path("litellm_provider").asText())
                || name.toLowerCase(Locale.ROOT).contains("claude");
        BigDecimal output = usd(entry.get("output_cost_per_token_above_200k_tokens"));
        BigDecimal write5m = usd(entry.get("cache_creation_input_token_cost_above_200k_tokens"));
        BigDecimal write1h = usd(entry.get("cache_creation_input_token_cost_above_1hr_above_200k_tokens"));
        BigDecimal read = usd(entry.get("cache_read_input_token_cost_above_200k_tokens"));
        return Optional.of(new ModelPrice(
                pico(input),
                output != null ? pico(output) : base.outputPico(),
                write5m != null ? pico(write5m) : base.cacheWrite5mPico(),
                write1h != null ? pico(write1h) : claude ? pico(input.multiply(CLAUDE_WRITE_1H)) : base.cacheWrite1hPico(),
                read != null ? pico(read) : base.cacheReadPico()));
    }

    /** USD per token rounded half-up to whole picodollars. */
    static long pico(BigDecimal usd) {
        return usd.multiply(PICO_PER_USD).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static BigDecimal usd(JsonNode v) {
        if (v == null) {
            return null;
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            try {
                return new BigDecimal(v.textValue().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
