package dev.relaycluster.admin;

/**
 * The outcome of an admin's test request through one account: upstream's status (0 when it could not
 * be reached), how long it took, and upstream's message when it refused.
 */
public record AccountTestResult(String accountId, boolean ok, int status, long latencyMs, String message) {}
