package dev.relaycluster.upstream;

/** Upstream did not answer (response headers, or a whole non-streaming body) within the configured time. */
public final class UpstreamTimeoutException extends RuntimeException {
  public UpstreamTimeoutException(String message) {
    super(message, null, false, false);
  }
}
