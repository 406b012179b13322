package dev.relaycluster.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx from the OS packages in front of the nodes, configured like deploy/local's balancer:
 * requests that a node refuses while draining (503) or that cannot reach it go to the next node.
 */
public final class Nginx implements AutoCloseable {
  private final Process process;
  private final int port;

  private Nginx(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static boolean installed() {
    return Files.isExecutable(Path.of("/usr/sbin/nginx"));
  }

  public static Nginx start(Path dir, List<Integer> nodePorts) throws IOException, InterruptedException {
    int port = NodeProcess.freePort();
    Files.createDirectories(dir);
    // nginx's workers run as an unprivileged user and keep their temp files here.
    dir.toFile().setWritable(true, false);
    StringBuilder servers = new StringBuilder();
    for (int p : nodePorts) {
      servers.append("    server 127.0.0.1:").append(p).append(" max_fails=3 fail_timeout=2s;\n");
    }
    String template = Files.readString(Path.of(System.getProperty("user.dir")).getParent()
        .resolve("deploy/local/nginx.conf.template"));
    String conf = template
        .replace("@PREFIX@", dir.toString())
        .replace("@LISTEN@", "127.0.0.1:" + port)
        .replace("@SERVERS@", servers.toString());
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, conf);
    Process p = new ProcessBuilder("/usr/sbin/nginx", "-c", file.toString(), "-p", dir.toString(), "-g", "daemon off;")
        .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    for (int i = 0; i < 50; i++) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return new Nginx(p, port);
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("nginx.out")));
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
