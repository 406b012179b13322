package dev.relaycluster.usage;

/**
 * A journal event that records one request's usage: what the usage projection and re-pricing read from the
 * usage-tagged journal. The key entity's {@code UsageRecorded} is one; usage/ knows nothing else of it (the
 * key entity sits above usage/ in the package order), so the events are read as {@code Object} and
 * recognised by this interface.
 */
public interface UsageEvent {
  UsageRecord usage();
}
