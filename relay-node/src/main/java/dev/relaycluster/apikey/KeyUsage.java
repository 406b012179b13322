package dev.relaycluster.apikey;

import dev.relaycluster.cluster.CborSerializable;

/**
 * A key's usage as its entity sees it at {@code now}: requests in flight and recorded, its open rate
 * window (null when none is open), rated cost today, this week for the Opus family and in all, real cost
 * in all, what requests in flight reserved, and when the daily and weekly totals reset.
 */
public record KeyUsage(
    KeyEntry key,
    long now,
    int inFlight,
    long requests,
    long totalTokens,
    RateWindow window,
    long todayMicros,
    long weekOpusMicros,
    long totalRatedMicros,
    long totalRealMicros,
    long reservedMicros,
    long dayResetAt,
    long weekResetAt) implements CborSerializable {}
