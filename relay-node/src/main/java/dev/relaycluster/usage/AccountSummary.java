package dev.relaycluster.usage;

/**
 * One account's usage over a period. {@code errorRate} is errors / requests; {@code coolingErrors} counts
 * upstream answers 429, 529 and 5xx (the answers that put an account in cooldown).
 */
public record AccountSummary(String accountId, UsageTotals totals, double errorRate) {}
