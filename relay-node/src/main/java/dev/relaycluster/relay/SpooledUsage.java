package dev.relaycluster.relay;

import dev.relaycluster.usage.UsageRecord;

/**
 * A usage record that its settlement could not deliver to the key's entity, waiting on this node until
 * it lands: the record, the key lease it settles, and when it was put aside (epoch ms).
 */
public record SpooledUsage(String leaseId, UsageRecord usage, long spooledAt) {
  public String requestId() {
    return usage.requestId();
  }

  public String keyId() {
    return usage.keyId();
  }
}
