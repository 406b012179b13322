package dev.relaycluster.protocol.pricing;

import dev.relaycluster.protocol.usage.TokenUsage;

/** Which of a model's prices applies to one request. */
public final class PriceRules {

    /**
     * Prompts above this many tokens (input + cache read + cache writes, as Anthropic counts them) are
     * billed at the long-context prices when the table states them ({@code *_above_200k_tokens}).
     */
    public static final long LONG_CONTEXT_THRESHOLD = 200_000;

    private PriceRules() {
    }

    /** Whether {@code usage} is a long-context request. */
    public static boolean longContext(TokenUsage usage) {
        return usage.inputTokens() + usage.cacheReadTokens() + usage.cacheWriteTokens() > LONG_CONTEXT_THRESHOLD;
    }

    /** The price that applies to {@code usage}: the long-context one when there is one and the prompt is long. */
    public static ModelPrice applicable(PricedModel model, TokenUsage usage) {
        return model.longContextPrice() != null && longContext(usage) ? model.longContextPrice() : model.price();
    }
}
