package dev.relaycluster.admin.crs;

/** The claude-relay-service Redis could not be reached or read (answered as 502: nothing was written). */
public final class CrsUnreachable extends RuntimeException {
  public CrsUnreachable(String message) {
    super(message, null, false, false);
  }
}
