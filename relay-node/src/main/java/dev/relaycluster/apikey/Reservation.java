package dev.relaycluster.apikey;

/**
 * What one admitted request holds until its usage settles: its estimated rated cost and tokens, whether
 * it counts toward the weekly Opus limit, and the rate window it was admitted in.
 */
public record Reservation(long costMicros, long tokens, boolean opus, long windowStart) {}
