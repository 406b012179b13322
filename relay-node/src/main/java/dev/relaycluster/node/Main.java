package dev.relaycluster.node;

import dev.relaycluster.config.RelaySettings;

import com.typesafe.config.ConfigFactory;

/** Starts a node with the configuration from application.conf and the environment; runs until stopped. */
public final class Main {
  private Main() {}

  /**
   * On two cores the JDK's common pool has parallelism 1 and then runs every async completion on a new
   * thread; Pekko's ask futures complete their callbacks there. Give it at least two workers (before
   * anything touches the pool) unless the operator chose otherwise.
   */
  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /** At least two common-pool workers unless the operator set them; before anything touches the pool. */
  static void giveTheCommonPoolTwoWorkers() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM,
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
  }

  /** RELAY_LOG_FORMAT=json picks the JSON logging configuration; before the first logger is made. */
  static void chooseLogFormat(String format) {
    if ("json".equalsIgnoreCase(format) && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("import-crs")) {
      // Moving from claude-relay-service: an admin API call to a running node, no node started here.
      System.exit(ImportCrsCommand.run(args, System.getenv(), System.out, System.err));
      return;
    }
    chooseLogFormat(System.getenv("RELAY_LOG_FORMAT"));
    giveTheCommonPoolTwoWorkers();
    RelayNode node;
    try {
      node = RelayNode.start(ConfigFactory.load());
    } catch (RuntimeException e) {
      System.err.println("Relay node failed to start: " + e.getMessage());
      System.exit(1);
      return;
    }
    RelaySettings s = node.settings();
    System.out.println("Relay Cluster node listening on http://" + s.host() + ":" + node.port());
    System.out.println("  Claude Code: ANTHROPIC_BASE_URL=http://<this host>:" + node.port()
        + "/api ANTHROPIC_AUTH_TOKEN=cr_...");
    node.credentialsFile().ifPresentOrElse(
        f -> System.out.println("  Admin credentials written to " + f + " (mode 0600)"),
        () -> System.out.println("  Admin credentials: see " + s.dataDir().resolve("init.json")
            + " from the first start (or ADMIN_USERNAME / ADMIN_PASSWORD)"));
    node.system().getWhenTerminated().toCompletableFuture().join();
  }
}
