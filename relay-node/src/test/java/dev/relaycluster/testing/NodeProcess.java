package dev.relaycluster.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A relay node in its own JVM process, started from the test class path with the same environment
 * variables an operator would set, so that it can be stopped with SIGTERM or killed with SIGKILL.
 */
public final class NodeProcess {
  private final Map<String, String> env;
  private final Path log;
  private final int httpPort;
  private final int clusterPort;
  private Process process;

  public NodeProcess(Map<String, String> env, int httpPort, int clusterPort, Path log) {
    this.env = Map.copyOf(env);
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
    this.log = log;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public synchronized void start() throws IOException {
    Files.createDirectories(log.getParent());
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        // Quick failure detection, so that tests of a dead node take seconds, not minutes.
        "-Dpekko.cluster.failure-detector.heartbeat-interval=500ms",
        "-Dpekko.cluster.failure-detector.acceptable-heartbeat-pause=2s",
        "-cp", System.getProperty("java.class.path"),
        "dev.relaycluster.node.Main"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    pb.environment().put("PORT", Integer.toString(httpPort));
    pb.environment().put("CLUSTER_PORT", Integer.toString(clusterPort));
    process = pb.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public String clusterAddress() {
    return "pekko://relay@127.0.0.1:" + clusterPort;
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGTERM, as a container runtime or a rolling restart would, then waits for the process to end. */
  public void terminate(long timeoutSeconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      throw new AssertionError("node on port " + httpPort + " did not stop within " + timeoutSeconds + " s");
    }
  }

  /** SIGKILL: the node vanishes without a word. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public Path log() {
    return log;
  }
}
