package dev.relaycluster.usage;

/**
 * A page of the request log: every filter is optional (null), the time range is [{@code from}, {@code to})
 * in epoch millis, newest first; {@code model} matches the requested or the served model.
 */
public record RequestQuery(
    String keyId, String accountId, String model, Integer status, Long from, Long to, int limit, int offset) {}
