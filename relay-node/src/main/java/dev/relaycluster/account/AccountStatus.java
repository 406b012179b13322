package dev.relaycluster.account;

/** Whether the scheduler may choose an account (cooldowns are separate marks with an end time). */
public enum AccountStatus {
  ACTIVE,
  /** Paused by an admin: kept, never chosen. */
  PAUSED,
  /** Upstream said the organisation is disabled: never chosen until an admin resets it. */
  BLOCKED,
  /** The credential was refused and a refresh did not help: never chosen until fixed or reset. */
  UNAUTHORIZED,
  DELETED
}
