package dev.relaycluster.admin;

import dev.relaycluster.account.PoolEntry;
import dev.relaycluster.account.QuotaSnapshot;
import dev.relaycluster.account.RecentError;
import java.util.List;
import java.util.Map;

/**
 * One account as the admin API shows it in detail: its pool entry plus what its entity knows now, the
 * Google Cloud project of a gemini-oauth account ({@code projectId}, else null) and its last quota reading
 * ({@code quota}, null: none) and the settings of its type that are not secret ({@code settings}: a
 * Bedrock region and model map, an Azure deployment).
 */
public record AccountDetail(PoolEntry entry, int leasesInFlight, long lastUsedAt, List<RecentError> recentErrors,
    String projectId, QuotaSnapshot quota, Map<String, String> settings) {

  public AccountDetail {
    settings = settings == null ? Map.of() : settings;
  }

  public AccountDetail(PoolEntry entry, int leasesInFlight, long lastUsedAt, List<RecentError> recentErrors) {
    this(entry, leasesInFlight, lastUsedAt, recentErrors, null, null, Map.of());
  }
}
