package dev.relaycluster.protocol.pricing;

/** Per-token prices of one model in picodollars (1e-12 USD). */
public record ModelPrice(long inputPico, long outputPico, long cacheWrite5mPico, long cacheWrite1hPico,
        long cacheReadPico) {
}
