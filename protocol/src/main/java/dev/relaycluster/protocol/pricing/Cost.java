package dev.relaycluster.protocol.pricing;

/**
 * Cost of one request in micro-dollars (1e-6 USD). Each part is rounded on its own; the total is the
 * rounded exact sum, so it may differ from the sum of the parts by rounding.
 */
public record Cost(long inputMicros, long outputMicros, long cacheWriteMicros, long cacheReadMicros,
        long totalMicros) {
}
