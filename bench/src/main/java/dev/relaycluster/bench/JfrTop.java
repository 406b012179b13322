package dev.relaycluster.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a Java Flight Recorder file as Markdown: where the CPU samples are (by code area, by
 * thread pool, top methods by self and by inclusive samples, top relay-code methods), where the
 * allocation goes, GC pauses and monitor contention.
 *
 * <pre>java -cp bench/target/bench.jar dev.relaycluster.bench.JfrTop relay.jfr [top-n]</pre>
 */
public final class JfrTop {
  private final Map<String, Integer> self = new HashMap<>();
  private final Map<String, Integer> inclusive = new HashMap<>();
  private final Map<String, Integer> area = new HashMap<>();
  private final Map<String, Integer> threads = new HashMap<>();
  private final Map<String, Integer> relayInclusive = new HashMap<>();
  private final Map<String, Double> allocBySite = new HashMap<>();
  private final Map<String, Double> allocByClass = new HashMap<>();
  private final Map<String, Double> monitorMs = new HashMap<>();
  private int samples;
  private int gcCount;
  private double gcPauseMs;
  private double gcMaxPauseMs;
  private double allocTotal;
  private double cpuJvm;
  private double cpuMachine;
  private int cpuReadings;
  private int threadStarts;
  private int threadPerTaskStarts;

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrTop <file.jfr> [top-n]");
      System.exit(2);
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    JfrTop t = new JfrTop();
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      t.accept(e);
    }
    System.out.print(t.markdown(top));
  }

  private void accept(RecordedEvent e) {
    switch (e.getEventType().getName()) {
      case "jdk.ExecutionSample" -> sample(e);
      case "jdk.ObjectAllocationSample" -> allocation(e);
      case "jdk.GarbageCollection" -> {
        gcCount++;
        double ms = e.getDuration("sumOfPauses").toNanos() / 1e6;
        gcPauseMs += ms;
        gcMaxPauseMs = Math.max(gcMaxPauseMs, ms);
      }
      case "jdk.JavaMonitorEnter" -> monitorMs.merge(e.getClass("monitorClass") == null ? "?"
          : e.getClass("monitorClass").getName(), e.getDuration().toNanos() / 1e6, Double::sum);
      case "jdk.ThreadStart" -> {
        threadStarts++;
        RecordedStackTrace st = e.getStackTrace();
        if (st != null && st.getFrames().stream()
            .anyMatch(f -> f.getMethod().getType().getName().endsWith("CompletableFuture$ThreadPerTaskExecutor"))) {
          threadPerTaskStarts++;
        }
      }
      case "jdk.CPULoad" -> {
        cpuJvm += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
        cpuMachine += e.getFloat("machineTotal");
        cpuReadings++;
      }
      default -> { }
    }
  }

  private void sample(RecordedEvent e) {
    RecordedStackTrace st = e.getStackTrace();
    if (st == null || st.getFrames().isEmpty()) {
      return;
    }
    samples++;
    List<RecordedFrame> frames = st.getFrames();
    String top = name(frames.get(0));
    self.merge(top, 1, Integer::sum);
    area.merge(area(callerType(frames)), 1, Integer::sum);
    RecordedThread t = e.getThread("sampledThread");
    threads.merge(t == null ? "?" : pool(t.getJavaName()), 1, Integer::sum);
    Set<String> seen = new HashSet<>();
    Set<String> seenRelay = new HashSet<>();
    for (RecordedFrame f : frames) {
      String n = name(f);
      if (seen.add(n)) {
        inclusive.merge(n, 1, Integer::sum);
      }
      if (f.getMethod().getType().getName().startsWith("dev.relaycluster.") && seenRelay.add(n)) {
        relayInclusive.merge(n, 1, Integer::sum);
      }
    }
  }

  /** The first frame's class outside the JDK and the Scala library: whose work a JDK frame is doing. */
  private static String callerType(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")
          && !type.startsWith("scala.") && !type.startsWith("com.sun.")) {
        return type;
      }
    }
    return frames.get(0).getMethod().getType().getName();
  }

  private void allocation(RecordedEvent e) {
    double w = e.getLong("weight");
    allocTotal += w;
    allocByClass.merge(e.getClass("objectClass").getName(), w, Double::sum);
    RecordedStackTrace st = e.getStackTrace();
    if (st == null) {
      return;
    }
    // The first frame outside java.*/jdk.*/scala.* is the code that asked for the memory.
    String site = "?";
    for (RecordedFrame f : st.getFrames()) {
      String type = f.getMethod().getType().getName();
      if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")
          && !type.startsWith("scala.")) {
        site = name(f);
        break;
      }
    }
    allocBySite.merge(site, w, Double::sum);
  }

  private static String name(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    String type = m.getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + m.getName() + "  (" + pkg(type) + ")";
  }

  private static String pkg(String type) {
    int i = type.lastIndexOf('.');
    return i < 0 ? "" : type.substring(0, i);
  }

  /** A coarse code area for a class name. */
  static String area(String type) {
    String[][] areas = {
        {"dev.relaycluster.", "relay code (dev.relaycluster)"},
        {"org.apache.pekko.http.", "pekko-http"},
        {"org.apache.pekko.stream.", "pekko-stream"},
        {"org.apache.pekko.persistence.", "pekko-persistence (+jdbc)"},
        {"org.apache.pekko.projection.", "pekko-projection"},
        {"org.apache.pekko.cluster.", "pekko-cluster / sharding"},
        {"org.apache.pekko.remote.", "pekko-remote"},
        {"org.apache.pekko.", "pekko-actor / dispatch / other pekko"},
        {"slick.", "slick (persistence-jdbc)"},
        {"org.h2.", "H2 database"},
        {"com.zaxxer.", "HikariCP"},
        {"com.fasterxml.jackson.", "Jackson"},
        {"scala.", "Scala library"},
        {"ch.qos.logback.", "logging"},
        {"org.slf4j.", "logging"},
        {"sun.nio.", "JDK NIO / sockets"},
        {"java.nio.", "JDK NIO / sockets"},
        {"sun.security.", "JDK crypto"},
        {"javax.crypto.", "JDK crypto"},
        {"com.sun.crypto.", "JDK crypto"},
        {"org.bouncycastle.", "BouncyCastle"},
        {"java.util.concurrent.", "JDK concurrency (ForkJoin, locks, queues)"},
        {"java.", "JDK other"},
        {"jdk.", "JDK other"},
        {"sun.", "JDK other"},
    };
    for (String[] a : areas) {
      if (type.startsWith(a[0])) {
        return a[1];
      }
    }
    return "other: " + pkg(type);
  }

  /** A thread name without its trailing number, so pools group together. */
  static String pool(String thread) {
    return thread == null ? "?" : thread.replaceAll("[-#]?\\d+$", "").replaceAll("-\\d+-", "-N-");
  }

  private String markdown(int n) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%d CPU samples (jdk.ExecutionSample). ", samples));
    if (cpuReadings > 0) {
      sb.append(String.format("Mean CPU while recording: this JVM %.0f%%, whole machine %.0f%% (of all cores). ",
          100 * cpuJvm / cpuReadings, 100 * cpuMachine / cpuReadings));
    }
    sb.append(String.format("GC: %d collections, %.0f ms paused in all, longest %.1f ms. ", gcCount, gcPauseMs,
        gcMaxPauseMs));
    sb.append(String.format("Allocation (sampled estimate): %.0f MiB. ", allocTotal / (1 << 20)));
    sb.append(String.format("Threads started: %,d (%,d of them by CompletableFuture's thread-per-task executor).%n%n",
        threadStarts, threadPerTaskStarts));
    table(sb, "CPU samples by code area (JDK and Scala-library frames counted for the code that called them)", "area",
        area, n, samples);
    table(sb, "CPU samples by thread (pool)", "thread", threads, n, samples);
    table(sb, "Top methods by self samples", "method", self, n, samples);
    table(sb, "Top methods by inclusive samples (on the stack)", "method", inclusive, n, samples);
    table(sb, "Relay code (dev.relaycluster) by inclusive samples", "method", relayInclusive, n, samples);
    tableD(sb, "Allocation by first non-JDK frame (sampled weight)", "site", allocBySite, n, allocTotal, "MiB",
        v -> v / (1 << 20));
    tableD(sb, "Allocation by class (sampled weight)", "class", allocByClass, 10, allocTotal, "MiB",
        v -> v / (1 << 20));
    if (!monitorMs.isEmpty()) {
      tableD(sb, "Monitor contention (jdk.JavaMonitorEnter ≥ 20 ms threshold of the profile settings)", "monitor class",
          monitorMs, 10, monitorMs.values().stream().mapToDouble(Double::doubleValue).sum(), "ms", v -> v);
    }
    return sb.toString();
  }

  private static void table(StringBuilder sb, String title, String what, Map<String, Integer> m, int n, int total) {
    sb.append("**").append(title).append("**\n\n| ").append(what).append(" | samples | share |\n|---|---:|---:|\n");
    top(m, n, Integer::doubleValue).forEach((k, v) ->
        sb.append(String.format("| `%s` | %d | %.1f%% |%n", k, v, total == 0 ? 0 : 100.0 * v / total)));
    sb.append('\n');
  }

  private static void tableD(StringBuilder sb, String title, String what, Map<String, Double> m, int n, double total,
      String unit, Function<Double, Double> scale) {
    sb.append("**").append(title).append("**\n\n| ").append(what).append(" | ").append(unit)
        .append(" | share |\n|---|---:|---:|\n");
    top(m, n, v -> v).forEach((k, v) ->
        sb.append(String.format("| `%s` | %.1f | %.1f%% |%n", k, scale.apply(v), total == 0 ? 0 : 100.0 * v / total)));
    sb.append('\n');
  }

  private static <V> Map<String, V> top(Map<String, V> m, int n, Function<V, Double> key) {
    return m.entrySet().stream()
        .sorted((a, b) -> Double.compare(key.apply(b.getValue()), key.apply(a.getValue())))
        .limit(n)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }
}
