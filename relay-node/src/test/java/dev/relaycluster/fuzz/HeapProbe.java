package dev.relaycluster.fuzz;

import java.lang.management.ManagementFactory;

/**
 * What the run costs this JVM (node, mocks and fuzzer together): the live heap (used heap right after full
 * collections) and the process's CPU time.
 */
final class HeapProbe {
  private HeapProbe() {}

  static long liveBytes() throws InterruptedException {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(150);
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  static long processCpuNanos() {
    return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
  }

  static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
