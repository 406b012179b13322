package dev.relaycluster.protocol.pricing;

import dev.relaycluster.protocol.usage.TokenUsage;

/** Prices token usage exactly in picodollars and rounds half-up to micro-dollars. */
public final class CostCalculator {

    private static final long PICO_PER_MICRO = 1_000_000L;

    private CostCalculator() {
    }

    /** The cost of {@code u} at {@code p}; throws {@link ArithmeticException} on overflow. */
    public static Cost cost(ModelPrice p, TokenUsage u) {
        long input = Math.multiplyExact(u.inputTokens(), p.inputPico());
        long output = Math.multiplyExact(u.outputTokens(), p.outputPico());
        long cacheWrite = Math.addExact(
                Math.multiplyExact(u.cacheWrite5mTokens(), p.cacheWrite5mPico()),
                Math.multiplyExact(u.cacheWrite1hTokens(), p.cacheWrite1hPico()));
        long cacheRead = Math.multiplyExact(u.cacheReadTokens(), p.cacheReadPico());
        long total = Math.addExact(Math.addExact(input, output), Math.addExact(cacheWrite, cacheRead));
        return new Cost(micros(input), micros(output), micros(cacheWrite), micros(cacheRead), micros(total));
    }

    /**
     * The cost of {@code u} for {@code model}, at its long-context prices when the prompt is long
     * ({@link PriceRules}), each part multiplied by {@code multiplier} (an account's price multiplier)
     * in exact decimal arithmetic before rounding half-up to micro-dollars.
     */
    public static Cost cost(PricedModel model, TokenUsage u, double multiplier) {
        if (!(multiplier >= 0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("price multiplier must be a finite number >= 0: " + multiplier);
        }
        ModelPrice p = PriceRules.applicable(model, u);
        java.math.BigDecimal m = java.math.BigDecimal.valueOf(multiplier);
        long input = scaled(Math.multiplyExact(u.inputTokens(), p.inputPico()), m);
        long output = scaled(Math.multiplyExact(u.outputTokens(), p.outputPico()), m);
        long cacheWrite = scaled(Math.addExact(
                Math.multiplyExact(u.cacheWrite5mTokens(), p.cacheWrite5mPico()),
                Math.multiplyExact(u.cacheWrite1hTokens(), p.cacheWrite1hPico())), m);
        long cacheRead = scaled(Math.multiplyExact(u.cacheReadTokens(), p.cacheReadPico()), m);
        long total = Math.addExact(Math.addExact(input, output), Math.addExact(cacheWrite, cacheRead));
        return new Cost(micros(input), micros(output), micros(cacheWrite), micros(cacheRead), micros(total));
    }

    /** {@code micros × rate} rounded half-up to whole micro-dollars (rated cost from real cost). */
    public static long rated(long micros, double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("service rate must be a finite number >= 0: " + rate);
        }
        return java.math.BigDecimal.valueOf(micros).multiply(java.math.BigDecimal.valueOf(rate))
                .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    private static long scaled(long pico, java.math.BigDecimal multiplier) {
        return java.math.BigDecimal.valueOf(pico).multiply(multiplier)
                .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    private static long micros(long pico) {
        return Math.floorDiv(Math.addExact(pico, PICO_PER_MICRO / 2), PICO_PER_MICRO);
    }
}
