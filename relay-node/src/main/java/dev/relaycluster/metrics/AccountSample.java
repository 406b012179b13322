package dev.relaycluster.metrics;

/**
 * One upstream account as the account gauges count it: its pool, its state ({@code active}, {@code paused},
 * …) and whether a cooldown keeps it from some model family now.
 */
public record AccountSample(String pool, String state, boolean cooling) {}
