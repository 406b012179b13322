package dev.relaycluster.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaycluster.testing.AdminClient;
import dev.relaycluster.testing.ThreeNodeCluster;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Outages on a 3-node cluster (PostgreSQL journal, Redis, three JVMs) under streaming load from several
 * clients, with the figures written for RELIABILITY.md: PostgreSQL unreachable, then Redis unreachable (each
 * behind a proxy the test closes, the machine's servers untouched), then one node killed with SIGKILL and
 * started again. Each scenario: what the clients got, every whole stream in the ledger once storage is back,
 * no request recorded twice, no lease left held, and the relay serving again by itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterOutageTest {
  /** Seconds each storage outage lasts: 8 in CI, 30 in the long run (bench/reliability.sh). */
  private static final int OUTAGE_SECONDS = setting("OUTAGE_SECONDS", 8);
  /** Clients streaming at once. */
  private static final int CLIENTS = setting("OUTAGE_CLIENTS", 4);
  /** Longest wait for the relay to serve again by itself before the scenario fails. */
  private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(90);
  /** Whole streams in a row every client must see after the outage to count the relay as recovered. */
  private static final int STREAK = 3;
  private static final int KILLED = 2;
  /** The scenario that kills a node (and starts it again at its end). */
  private static final int KILL = 3;

  private static final ObjectMapper JSON = new ObjectMapper();

  private OutageCluster cluster;
  private AdminClient admin;
  private final List<String> accounts = new ArrayList<>();
  private final Map<Integer, OutageFigures> figures = new TreeMap<>();

  private static int setting(String name, int fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
  }

  @BeforeAll
  void start() throws Exception {
    cluster = OutageCluster.start("outages");
    admin = cluster.admin(0);
    accounts.add(admin.createConsoleAccount("outage-a", cluster.mock().baseUrl(), "sk-ant-outage-A", 10));
    accounts.add(admin.createConsoleAccount("outage-b", cluster.mock().baseUrl(), "sk-ant-outage-B", 10));
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (!figures.isEmpty()) {
        StringBuilder md = new StringBuilder(setup()).append("\n\n");
        figures.values().forEach(f -> md.append(f.markdown()).append("\n"));
        Reliability.write("outages", "Outages on a 3-node cluster (ClusterOutageTest)", md.toString());
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /** How the figures below were made: the settings, not measurements. */
  private static String setup() {
    return "Three nodes in separate JVMs (256 MB heap each) on PostgreSQL and Redis, each reached through a TCP "
        + "proxy the test closes (connections cut and refused; the servers keep running). A node that stops "
        + "answering is downed after 2 s stable (split-brain resolver; the production default is 10 s) and a 2 s "
        + "failure-detector pause, as in the other cluster tests; every other setting is the default (a request "
        + "waits up to 5 s for admission). " + CLIENTS + " clients stream Anthropic Messages (about half a second "
        + "per stream) round-robin over the nodes, pausing " + StreamingLoad.PAUSE_AFTER_FAILURE.toMillis()
        + " ms after a failed request. Recovery: seconds from the end of the outage (for the kill: from the kill) "
        + "until the first whole stream begun after the last failed request. Ledger: the key's request log and "
        + "journal once storage is back; duplicates are journal events beyond the first for a request. Leases: "
        + "the key's and the accounts' leases in flight once the load has stopped. Admin API back: seconds from "
        + "the end until a signed-in call to node 1 is answered (tried every 100 ms from the end; once Redis's "
        + "circuit has opened, a node tries Redis again after its reset timeout, 3 s by default).";
  }

  @Test
  @Order(1)
  void postgresUnreachableLosesNoUsageAndRecoversByItself() throws Exception {
    Scenario s = new Scenario(1, "postgres", "PostgreSQL unreachable for " + OUTAGE_SECONDS + " s");
    s.warmUpAndLoad();
    cluster.postgres().down();
    try {
      Thread.sleep(OUTAGE_SECONDS * 1000L);
    } finally {
      cluster.postgres().up();
    }
    OutageFigures f = s.finish(System.nanoTime());
    assertStorageOutage(f);
  }

  @Test
  @Order(2)
  void redisUnreachableLosesNoUsageAndRecoversByItself() throws Exception {
    Scenario s = new Scenario(2, "redis", "Redis unreachable for " + OUTAGE_SECONDS + " s");
    s.warmUpAndLoad();
    cluster.redis().down();
    try {
      Thread.sleep(OUTAGE_SECONDS * 1000L);
    } finally {
      cluster.redis().up();
    }
    OutageFigures f = s.finish(System.nanoTime());
    assertStorageOutage(f);
  }

  @Test
  @Order(3)
  void aNodeKilledUnderLoadLeavesTheOthersServingAndComesBack() throws Exception {
    Scenario s = new Scenario(KILL, "kill", "Node 3 of 3 killed with SIGKILL under load, then started again");
    s.warmUpAndLoad();
    cluster.node(KILLED).kill9();
    long killedAt = System.nanoTime();
    OutageFigures f = s.finish(killedAt);
    assertCommon(f);
    assertTrue(f.outcomes().stream().filter(StreamOutcome::cut).allMatch(o -> o.node() == KILLED),
        () -> "only streams through the killed node are cut: " + f.outcomes().stream()
            .filter(o -> o.cut() && o.node() != KILLED).findFirst().orElse(null));
    assertTrue(f.others().keySet().stream().allMatch("no answer"::equals),
        () -> "no answers but 200 and 503 (and the killed node's silence): " + f.others());
    assertEquals(null, example(f, o -> o.status() < 0 && o.node() != KILLED), "the other nodes answer every request");
    assertEquals(List.of(), f.refusalsNotLedgered().stream().filter(o -> o.node() != KILLED).toList(),
        "every refusal by a surviving node is in the ledger");
  }

  /** PostgreSQL or Redis gone: nodes stay up, so every answer is 200 or 503 and no stream is cut. */
  private void assertStorageOutage(OutageFigures f) {
    assertCommon(f);
    assertEquals(Map.of(), f.others(), () -> "answers other than 200 and 503: " + example(f, o -> o.status() != 200
        && o.status() != 503));
    assertEquals(0, f.cut(), () -> "streams cut: " + example(f, StreamOutcome::cut));
    assertEquals(List.of(), f.refusalsNotLedgered(), "every refusal that named its request is in the ledger");
  }

  private static void assertCommon(OutageFigures f) {
    assertTrue(f.whole() > 0, "the load ran: " + f.sent() + " requests");
    assertEquals(List.of(), f.missing(), "every whole stream is in the request log and the journal");
    assertEquals(0, f.duplicates(), "no request recorded twice");
    assertEquals(0, f.leasesAfter(), "no lease left held");
    assertFalse(Double.isNaN(f.recoverySeconds()), "the relay serves again by itself");
    assertFalse(Double.isNaN(f.adminSeconds()), "the admin API answers again by itself");
  }

  private static StreamOutcome example(OutageFigures f, Predicate<StreamOutcome> which) {
    return f.outcomes().stream().filter(which).findFirst().orElse(null);
  }

  /** One scenario's key, load and figures, in the report's order. */
  private final class Scenario {
    private final int order;
    private final String name;
    private final String title;
    private final String keyId;
    private final String apiKey;
    private final String token;
    private final List<StreamOutcome> warmUps = new ArrayList<>();
    private StreamingLoad load;

    Scenario(int order, String name, String title) throws Exception {
      this.order = order;
      this.name = name;
      this.title = title;
      // A concurrency limit with room above the clients: a lease left held would show as a 429 before long.
      JsonNode key = admin.createKey("outage-" + name, 2 * CLIENTS);
      this.keyId = key.get("id").asText();
      this.apiKey = key.get("key").asText();
      this.token = admin.login();
    }

    /** Waits until every node knows the key (one whole stream through each), then starts the clients. */
    void warmUpAndLoad() throws Exception {
      HttpClient http = StreamedRequest.client();
      for (int node = 0; node < 3; node++) {
        StreamOutcome o = null;
        for (int i = 0; i < 100 && (o == null || !o.complete()); i++) {
          if (o != null) {
            Thread.sleep(100);
          }
          o = StreamedRequest.send(http, cluster.baseUrls().get(node), apiKey, "warm-up", -1, node);
        }
        assertTrue(o.complete(), "node " + (node + 1) + " serves the key: " + o);
        warmUps.add(o);
      }
      load = StreamingLoad.start(cluster.baseUrls(), apiKey, CLIENTS);
      Thread.sleep(2000);
    }

    /**
     * Lets the load run until every client streams whole again after {@code endNanos} (or the recovery
     * limit), stops it, waits for the ledger and the leases, and records the figures.
     */
    OutageFigures finish(long endNanos) throws Exception {
      CompletableFuture<Double> adminBack = CompletableFuture.supplyAsync(() -> adminBack(endNanos));
      long deadline = endNanos + RECOVERY_LIMIT.toNanos();
      long atLeast = endNanos + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < deadline
          && (System.nanoTime() < atLeast || !load.everyClientSucceedsSince(endNanos, STREAK))) {
        Thread.sleep(100);
      }
      List<StreamOutcome> loaded = load.stop();
      double recovery = OutageFigures.recoverySeconds(loaded, endNanos);
      String note = order == KILL ? restartKilled() : "";
      List<StreamOutcome> outcomes = new ArrayList<>(warmUps);
      outcomes.addAll(loaded);
      UsageLedger ledger = new UsageLedger(cluster.databaseUrl());
      Map<String, String> log = awaitLedger(ledger, outcomes);
      Map<String, Integer> journal = ledger.journal(keyId);
      OutageFigures f = new OutageFigures(title, outcomes, load.refusedConnections(), log, journal, awaitLeases(),
          recovery, adminBack.get(), note);
      figures.put(order, f);
      timeline(outcomes, endNanos);
      return f;
    }

    /** Every request of the scenario, seconds from the outage's end, next to the nodes' logs. */
    private void timeline(List<StreamOutcome> outcomes, long endNanos) throws IOException {
      Instant end = Instant.now().minusNanos(System.nanoTime() - endNanos);
      StringBuilder tsv = new StringBuilder("# seconds from the outage's end (the kill's moment), " + end + "\n")
          .append("client\tnode\tstart_s\tend_s\tstatus\twhole\trequest_id\tfailure\n");
      outcomes.stream().sorted(Comparator.comparingLong(StreamOutcome::startNanos)).forEach(o -> tsv
          .append(o.client()).append('\t').append(o.node() + 1).append('\t')
          .append(String.format("%.2f\t%.2f", (o.startNanos() - endNanos) / 1e9, (o.endNanos() - endNanos) / 1e9))
          .append('\t').append(o.status()).append('\t').append(o.complete()).append('\t').append(o.requestId())
          .append('\t').append(o.failure() == null ? "" : o.failure().replaceAll("\\s+", " ")).append('\n'));
      Files.writeString(cluster.dir().resolve(name + "-timeline.tsv"), tsv);
    }

    /**
     * Starts the killed node again and, once it is healthy in the cluster, streams through it until a stream
     * arrives whole and then a few more, which must all be whole; says how long each step took.
     */
    private String restartKilled() throws Exception {
      long start = System.nanoTime();
      cluster.node(KILLED).start();
      cluster.awaitHealthy(KILLED, 3, Duration.ofSeconds(120));
      double healthy = (System.nanoTime() - start) / 1e9;
      HttpClient http = StreamedRequest.client();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      StreamOutcome o = throughRestarted(http);
      while (!o.complete() && System.nanoTime() < deadline) {
        Thread.sleep(StreamingLoad.PAUSE_AFTER_FAILURE.toMillis());
        o = throughRestarted(http);
      }
      double serving = (o.endNanos() - start) / 1e9;
      StreamOutcome last = o;
      assertTrue(o.complete(), () -> "the restarted node serves: " + last + "\n"
          + ThreeNodeCluster.tail(cluster.node(KILLED).log()));
      for (int i = 0; i < STREAK; i++) {
        StreamOutcome next = throughRestarted(http);
        assertTrue(next.complete(), () -> "the restarted node keeps serving: " + next);
      }
      return String.format("Started again, the node was healthy in the cluster after %.1f s and streamed whole "
          + "after %.1f s (its %d requests are counted above).", healthy, serving,
          warmUps.stream().filter(w -> w.startNanos() >= start).count());
    }

    /** One stream through the restarted node, counted with the scenario's requests. */
    private StreamOutcome throughRestarted(HttpClient http) throws Exception {
      StreamOutcome o = StreamedRequest.send(http, cluster.baseUrls().get(KILLED), apiKey, "after-restart", -1, KILLED);
      warmUps.add(o);
      return o;
    }

    /**
     * The key's request log once it holds every request that was answered with a request id (whole streams
     * and refusals), or after a minute and a half of waiting: the projection and the nodes' usage spools catch
     * up on their own.
     */
    private Map<String, String> awaitLedger(UsageLedger ledger, List<StreamOutcome> outcomes) throws Exception {
      List<String> expected = outcomes.stream().filter(o -> o.complete() || (o.status() > 0 && o.status() != 200))
          .map(StreamOutcome::requestId).filter(id -> id != null).toList();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      Map<String, String> log = ledger.requestLog(keyId);
      while (!log.keySet().containsAll(expected) && System.nanoTime() < deadline) {
        Thread.sleep(500);
        log = ledger.requestLog(keyId);
      }
      return log;
    }

    /**
     * Seconds from {@code endNanos} until the first node's admin API answers a signed-in call again (the time of
     * the call that succeeded), or NaN if it does not within the recovery limit.
     */
    private double adminBack(long endNanos) {
      long deadline = endNanos + RECOVERY_LIMIT.toNanos();
      try {
        while (System.nanoTime() < deadline) {
          long asked = System.nanoTime();
          if (admin.send("GET", "/admin/api/keys/" + keyId, null, token).statusCode() == 200) {
            return Math.max(0, asked - endNanos) / 1e9;
          }
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return Double.NaN;
    }

    /** The key's and the accounts' leases in flight once they are all back (-1: not known) or after half a minute. */
    private long awaitLeases() throws Exception {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      long held = leases();
      while (held != 0 && System.nanoTime() < deadline) {
        Thread.sleep(250);
        held = leases();
      }
      return held;
    }

    private long leases() throws Exception {
      var key = admin.send("GET", "/admin/api/keys/" + keyId, null, token);
      if (key.statusCode() != 200) {
        return -1;
      }
      long held = JSON.readTree(key.body()).get("inFlight").asLong();
      for (String account : accounts) {
        var a = admin.send("GET", "/admin/api/accounts/" + account, null, token);
        if (a.statusCode() != 200) {
          return -1;
        }
        held += JSON.readTree(a.body()).get("leasesInFlight").asLong();
      }
      return held;
    }
  }
}
