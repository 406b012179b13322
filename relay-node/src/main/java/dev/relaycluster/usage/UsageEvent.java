package dev.relaycluster.usage;

import java.util.List;

/**
 * A journal event that records requests' usage: what the usage projection and re-pricing read from the
 * usage-tagged journal. The key entity's {@code UsageRecorded} (one request, as every journal written
 * before 2026-12 holds) and {@code UsageBatchRecorded} (the requests of one batch write) are such events;
 * usage/ knows nothing else of them (the key entity sits above usage/ in the package order), so the events
 * are read as {@code Object} and recognised by this interface.
 */
public interface UsageEvent {
  /** The requests' usage the event records, in the order they were settled. */
  List<UsageRecord> records();
}
