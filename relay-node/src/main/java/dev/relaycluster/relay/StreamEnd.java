package dev.relaycluster.relay;

/** How a relayed stream ended. */
public enum StreamEnd {
  COMPLETED,
  UPSTREAM_FAILED,
  CLIENT_CANCELLED
}
