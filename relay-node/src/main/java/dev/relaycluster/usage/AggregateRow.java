package dev.relaycluster.usage;

/** One aggregate bucket: its start (epoch millis and ISO in the ledger's zone), the dimension value, totals. */
public record AggregateRow(
    String period, long bucketStart, String bucket, String dimension, String value, UsageTotals totals) {}
