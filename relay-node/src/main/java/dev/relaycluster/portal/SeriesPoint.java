package dev.relaycluster.portal;

/**
 * One bucket of a key's usage over time: its start (epoch millis, and ISO-8601 with the ledger zone's
 * offset), requests, tokens of every class, and rated cost in micro-dollars (what the key's cost limits count).
 */
public record SeriesPoint(long startMillis, String start, long requests, long tokens, long costMicros) {}
