package dev.relaycluster.apikey;

import dev.relaycluster.usage.UsageRecord;

/**
 * One request's usage in a {@link ApiKeyEntity.SettleAll}: the lease it settles (the request id when the request
 * held none) and its record.
 */
public record LeaseUsage(String leaseId, UsageRecord usage) {}
