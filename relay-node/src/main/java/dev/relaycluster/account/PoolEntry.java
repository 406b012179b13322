package dev.relaycluster.account;

import dev.relaycluster.node.Versioned;

/** What every node knows about an account for scheduling and listing; no credentials. */
public record PoolEntry(
    String id,
    String name,
    String platform,
    AccountType type,
    String baseUrl,
    int priority,
    int maxConcurrency,
    AccountStatus status,
    long createdAt,
    long updatedAt,
    long revision) implements Versioned {

  public boolean schedulable() {
    return status == AccountStatus.ACTIVE;
  }
}
