package dev.relaycluster.apikey;

/** Whether a key is accepted. */
public enum KeyStatus {
  ACTIVE,
  REVOKED
}
