package dev.relaycluster.account;

import dev.relaycluster.cluster.CborSerializable;
import dev.relaycluster.protocol.gemini.CodeAssistQuota;
import java.util.List;

/**
 * An account's quota as its upstream last reported it (a Google login's Code Assist buckets per model),
 * fetched at {@code fetchedAt} (epoch millis). Kept in memory by the account's entity for the admin view.
 */
public record QuotaSnapshot(long fetchedAt, List<CodeAssistQuota.Bucket> buckets) implements CborSerializable {

  public QuotaSnapshot {
    buckets = buckets == null ? List.of() : List.copyOf(buckets);
  }

  /** The fullest bucket's used share (0..1), -1 when no bucket says. */
  public double utilisation() {
    return CodeAssistQuota.utilisation(buckets);
  }
}
