package dev.relaycluster.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.reliability.Reliability;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing (issue 17): seeded random inputs against every client endpoint, the admin API and the HTTP layer
 * of one node, then a few slow senders. No answer may be a relay 5xx or show a stack trace, class or library
 * name; every 4xx is in the caller's dialect; every request a client could frame is answered; the node logs
 * no error with a stack trace, answers /health at the end, still writes its request log, and keeps a flat live
 * heap, sampled through the run ({@link HeapTrend}). The figures go to RELIABILITY.md's "fuzz" section;
 * FUZZ_SEED repeats a run and FUZZ_TRIES sets the inputs per family.
 */
class RelayFuzzTest {
  private static final int WORKERS = 4;
  /** Slices of the client families' inputs, each followed by a live heap sample. */
  private static final int CLIENT_SLICES = 6;
  /** Slices of the http and the admin family each. */
  private static final int OTHER_SLICES = 2;

  @Test
  void fuzzedInputsGetNoRelay5xxNoInternalsAndTheNodeKeepsServing() throws Exception {
    FuzzSettings settings = FuzzSettings.fromEnvironment();
    System.out.println("RelayFuzzTest: seed " + settings.seedText() + ", " + settings.tries()
        + " inputs per family (repeat with FUZZ_SEED=" + settings.seedText() + ")");
    FuzzTally tally = new FuzzTally();
    LogTally logs = LogTally.attach();
    HeapTrend heap = new HeapTrend();
    try (FuzzRig rig = FuzzRig.start();
        FuzzRunner runner = new FuzzRunner(rig.port(), settings.seed(), WORKERS, tally, rig::clearMocks)) {
      long heapBefore = HeapProbe.liveBytes();
      long started = System.nanoTime();
      long cpuBefore = HeapProbe.processCpuNanos();
      // Each phase runs in slices; between two, with no input in flight, the live heap is sampled.
      ClientInputs client = new ClientInputs(rig.key);
      sliced(settings, CLIENT_SLICES, rig, heap, tally, (from, to) -> runner.run(ClientInputs.FAMILIES, from, to,
          settings.only(), (family, i) -> client.next(family, i, runner.junk(family, i))));
      RawCases raw = new RawCases(rig.key);
      sliced(settings, OTHER_SLICES, rig, heap, tally, (from, to) -> runner.run(List.of("http"), from, to,
          settings.only(), (family, i) -> raw.next(i, runner.junk(family, i))));
      if (settings.only() == null) {
        new SlowSenders(rig.port(), rig.key, tally).run();
      }
      List<String> ids = new ArrayList<>(rig.accountIds);
      ids.add(rig.keyId);
      AdminInputs admin = new AdminInputs(rig.adminToken, rig.key, ids);
      sliced(settings, OTHER_SLICES, rig, heap, tally, (from, to) -> runner.run(List.of("admin"), from, to,
          settings.only(), (family, i) -> admin.next(i, runner.junk(family, i))));
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpuSeconds = (HeapProbe.processCpuNanos() - cpuBefore) / 1e9;
      int health = health(rig.port());
      boolean ledgerFlows = settings.only() != null || ledgerFlows(rig);
      rig.clearMocks();
      long heapAfter = HeapProbe.liveBytes();
      if (heap.judged()) {
        heap.add(tally.totalInputs(), heapAfter);
      }
      List<String> families = new ArrayList<>(ClientInputs.FAMILIES);
      families.addAll(List.of("http", "slow", "admin"));
      FuzzReport.Run run = new FuzzReport.Run(settings, families, seconds, cpuSeconds, heapBefore, heapAfter, heap,
          health, ledgerFlows, logs);
      String markdown = FuzzReport.markdown(tally, run);
      if (settings.only() == null) {
        // One input sent again is no run's figures.
        Reliability.write("fuzz", "Fuzzing (RelayFuzzTest)", markdown);
      }
      System.out.println(markdown);

      String again = " (repeat with FUZZ_SEED=" + settings.seedText() + ")";
      assertTrue(tally.clean(), "findings" + again + ":\n" + tally.findingsText());
      assertEquals(200, health, "the node answers /health after the run" + again);
      assertTrue(ledgerFlows, "a request after the run reaches the request log" + again);
      assertEquals(0, logs.errorsWithTrace.get(), "errors with a stack trace in the node's log" + again + ": "
          + logs.firstErrors());
      assertTrue(heap.flat(), "the live heap grew during the run: " + heap.summary() + "; samples (inputs: MiB) "
          + heap.samplesText() + again);
    } finally {
      logs.detach();
    }
  }

  /** One phase's inputs {@code from} to {@code to}. */
  private interface Slice {
    void run(int from, int to) throws Exception;
  }

  /**
   * Runs a phase's inputs in {@code slices} slices (one with FUZZ_ONLY) and samples the live heap after each, once
   * the mocks have forgotten what they received.
   */
  private static void sliced(FuzzSettings settings, int slices, FuzzRig rig, HeapTrend heap, FuzzTally tally,
      Slice slice) throws Exception {
    if (settings.only() != null) {
      slice.run(0, settings.tries());
      return;
    }
    for (int k = 0; k < slices; k++) {
      slice.run(settings.tries() * k / slices, settings.tries() * (k + 1) / slices);
      rig.clearMocks();
      heap.sample(tally.totalInputs());
    }
  }

  /**
   * Whether the usage ledger still takes rows after the run: one more request with the fuzzed key (a record the
   * projection could not write would have stopped its partition) and one with a fresh key both reach the
   * request log. Either may be refused (the admin family may have changed the key or the accounts); a refusal
   * is ledgered too.
   */
  private static boolean ledgerFlows(FuzzRig rig) throws Exception {
    var fresh = rig.node.createKey("fuzz-after", 0);
    return ledgered(rig, rig.key, rig.keyId) && ledgered(rig, fresh.get("key").asText(), fresh.get("id").asText());
  }

  private static boolean ledgered(FuzzRig rig, String key, String keyId) throws Exception {
    String body = "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"after the fuzz\"}]}";
    String requestId;
    try (FuzzConnection c = new FuzzConnection(rig.port(), 20_000, null)) {
      c.write(("POST /api/v1/messages HTTP/1.1\r\nHost: relay\r\nx-api-key: " + key
          + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      requestId = c.read(false).header("x-relay-request-id");
    }
    if (requestId == null) {
      return false;
    }
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (rig.node.admin("GET", "/admin/api/usage/requests?limit=20&keyId=" + keyId, null).toString()
          .contains(requestId)) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  private static int health(int port) throws Exception {
    try (FuzzConnection c = new FuzzConnection(port, 10_000, null)) {
      c.write("GET /health HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n".getBytes(
          java.nio.charset.StandardCharsets.US_ASCII));
      FuzzAnswer answer = c.read(false);
      return answer.answered() ? answer.status() : -1;
    }
  }
}
