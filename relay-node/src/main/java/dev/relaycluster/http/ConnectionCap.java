package dev.relaycluster.http;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many client connections the node accepts, chosen at start so that it never runs out of file
 * descriptors: every connection used for API traffic may hold two (the client's socket and the
 * upstream one its stream holds), every reserved connection (health checks, the admin) one, and
 * {@code fileDescriptorReserve} stay free for the node's journal, database, Redis and cluster sockets,
 * jars and logs. {@code api} is the cap for API traffic, {@code reserved} the connections beyond it.
 */
public record ConnectionCap(int api, int reserved, long openFilesLimit, boolean limitedByFiles) {
  /** Each connection that relays a stream holds its client socket and one upstream socket. */
  public static final int DESCRIPTORS_PER_API_CONNECTION = 2;

  /** The listener's own cap: API connections plus the reserved ones. */
  public int accepted() {
    return api + reserved;
  }

  /**
   * The cap for {@code configured} API connections under an open-files limit ({@code openFilesLimit} &lt;= 0:
   * unknown, the configured number stands).
   *
   * @throws IllegalStateException when the limit leaves no connection for API traffic
   */
  public static ConnectionCap of(int configured, int reserved, int fileDescriptorReserve, long openFilesLimit) {
    if (openFilesLimit <= 0) {
      return new ConnectionCap(configured, reserved, openFilesLimit, false);
    }
    long fits = (openFilesLimit - fileDescriptorReserve - reserved) / DESCRIPTORS_PER_API_CONNECTION;
    if (fits < 1) {
      throw new IllegalStateException("the open-files limit (" + openFilesLimit + ") leaves no room for client "
          + "connections after " + fileDescriptorReserve + " descriptors for the node and " + reserved
          + " reserved connections: raise it (ulimit -n) or lower relay.http.file-descriptor-reserve");
    }
    return fits < configured
        ? new ConnectionCap((int) fits, reserved, openFilesLimit, true)
        : new ConnectionCap(configured, reserved, openFilesLimit, false);
  }

  /** This process's open-files limit, or -1 where the JVM does not tell it (not a Unix system). */
  public static long processOpenFilesLimit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }
}
