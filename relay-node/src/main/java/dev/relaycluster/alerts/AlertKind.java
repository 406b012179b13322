package dev.relaycluster.alerts;

/** What happened to an account that operators want to hear about. */
public enum AlertKind {
  UNAUTHORIZED,
  BLOCKED,
  RATE_LIMITED,
  RECOVERED,
  DISABLED_BY_ADMIN,
  REFRESH_FAILED,
  /** Sent by an admin's "send a test" action. */
  TEST
}
