package dev.relaycluster.admin;

import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.RecentError;
import java.util.List;

/** One account as the admin API shows it in detail: its pool entry plus what its entity knows now. */
public record AccountDetail(PoolEntry entry, int leasesInFlight, long lastUsedAt, List<RecentError> recentErrors) {}
