package dev.relaycluster.usage;

/** How a relayed request ended, as recorded in its usage event. */
public enum RequestOutcome {
  /** Upstream answered and the whole answer reached the client. */
  COMPLETED,
  /** Upstream answered with an error status, passed to the client unchanged. */
  UPSTREAM_ERROR,
  /** Upstream could not be reached, timed out, or broke off mid-answer. */
  UPSTREAM_FAILED,
  /** The client went away before the answer ended; usage is what was seen so far. */
  CLIENT_DISCONNECTED,
  /** No account could take the request. */
  NO_ACCOUNT,
  /** The key's policy or limits refused the request; nothing was sent upstream. */
  REFUSED;

  /** Whether the recorded usage covers the whole answer. */
  public boolean complete() {
    return this == COMPLETED || this == UPSTREAM_ERROR || this == NO_ACCOUNT || this == REFUSED;
  }
}
