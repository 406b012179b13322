package dev.relaycluster.apikey;

/**
 * Where a key stands at one moment, as admission sees it: requests in flight, its rate window (null when
 * none is open), what requests in flight have reserved, and the rated cost already spent.
 */
public record KeyMeter(int leasesInFlight, RateWindow window, Reserved reserved, CostTotals spent) {}
