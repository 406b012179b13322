package dev.relaycluster.protocol.usage;

/** Token counts of one request, split the way providers bill them. */
public record TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWrite5mTokens,
        long cacheWrite1hTokens) {

    /** No tokens at all. */
    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0);

    /** Field-by-field sum; throws {@link ArithmeticException} on overflow. */
    public TokenUsage plus(TokenUsage o) {
        return new TokenUsage(
                Math.addExact(inputTokens, o.inputTokens),
                Math.addExact(outputTokens, o.outputTokens),
                Math.addExact(cacheReadTokens, o.cacheReadTokens),
                Math.addExact(cacheWrite5mTokens, o.cacheWrite5mTokens),
                Math.addExact(cacheWrite1hTokens, o.cacheWrite1hTokens));
    }

    /** Cache-write tokens of both lifetimes. */
    public long cacheWriteTokens() {
        return cacheWrite5mTokens + cacheWrite1hTokens;
    }

    /** All five counts added up. */
    public long totalTokens() {
        return inputTokens + outputTokens + cacheReadTokens + cacheWrite5mTokens + cacheWrite1hTokens;
    }
}
