package dev.relaycluster.account;

/** Whether the scheduler may choose an account. */
public enum AccountStatus {
  ACTIVE,
  /** Paused by an admin: kept, never chosen. */
  PAUSED,
  DELETED
}
