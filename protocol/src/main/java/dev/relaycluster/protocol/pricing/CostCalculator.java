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

    private static long micros(long pico) {
        return Math.floorDiv(Math.addExact(pico, PICO_PER_MICRO / 2), PICO_PER_MICRO);
    }
}
