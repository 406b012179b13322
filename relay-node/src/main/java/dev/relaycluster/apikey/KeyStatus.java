package dev.relaycluster.apikey;

/** Whether a key is accepted: revoked keys never again, deleted keys until an admin restores them. */
public enum KeyStatus {
  ACTIVE,
  REVOKED,
  DELETED
}
