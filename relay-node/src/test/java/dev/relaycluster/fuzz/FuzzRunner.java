package dev.relaycluster.fuzz;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Sends inputs to the node from a few workers, each with a kept-alive connection for the inputs that may
 * share one (the others get a connection of their own), reads every answer, judges it and tallies. Input
 * number {@code i} of a family is made from its own generator seeded by (run seed, family, i), so the same
 * seed makes the same inputs whatever the order the workers take them in.
 */
final class FuzzRunner implements AutoCloseable {
  private static final int READ_TIMEOUT_MILLIS = 20_000;
  /** Below the rig's keep-alive timeout (5 s): a kept connection idle longer may be closed by the node. */
  private static final long IDLE_MILLIS = 4_000;

  private final int port;
  private final long seed;
  private final int workers;
  private final FuzzTally tally;
  private final Runnable every500;
  private final ExecutorService writers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fuzz-writer");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger sent = new AtomicInteger();

  FuzzRunner(int port, long seed, int workers, FuzzTally tally, Runnable every500) {
    this.port = port;
    this.seed = seed;
    this.workers = workers;
    this.tally = tally;
    this.every500 = every500;
  }

  /** The generator of input {@code index} of {@code family}. */
  Junk junk(String family, int index) {
    long mixed = seed ^ (family.hashCode() * 0x9E3779B97F4A7C15L) ^ (index * 0xC2B2AE3D27D4EB4FL);
    return new Junk(new SplittableRandom(mixed));
  }

  /**
   * Runs {@code tries} inputs of each family, made by {@code make(family, index)}, families interleaved; with
   * {@code only} ("family:index", from FUZZ_ONLY), just that input.
   */
  void run(List<String> families, int tries, String only, BiFunction<String, Integer, FuzzInput> make)
      throws Exception {
    run(families, 0, tries, only, make);
  }

  /** As {@link #run(List, int, String, BiFunction)}, for the inputs numbered {@code from} (inclusive) to {@code to}. */
  void run(List<String> families, int from, int to, String only, BiFunction<String, Integer, FuzzInput> make)
      throws Exception {
    if (only != null) {
      int colon = only.lastIndexOf(':');
      String family = only.substring(0, colon);
      if (families.contains(family)) {
        Worker worker = new Worker();
        FuzzInput input = make.apply(family, Integer.parseInt(only.substring(colon + 1)));
        System.out.println("FUZZ_ONLY " + only + ": " + input.label() + "\n" + new String(input.request(), 0,
            Math.min(input.request().length, 4_000), java.nio.charset.StandardCharsets.ISO_8859_1));
        worker.run(input);
        worker.close();
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    int total = families.size() * (to - from);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        done.add(pool.submit(() -> {
          Worker worker = new Worker();
          try {
            for (int n; (n = next.getAndIncrement()) < total; ) {
              String family = families.get(n % families.size());
              worker.run(make.apply(family, from + n / families.size()));
            }
          } finally {
            worker.close();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** One worker's connection, and the input whose answer it carried last and when (for a silent close). */
  private final class Worker {
    private FuzzConnection kept;
    private FuzzInput lastOnKept;
    private long lastOnKeptAt;

    void run(FuzzInput input) throws IOException {
      tally.input(input.family());
      long started = System.nanoTime();
      if (sent.incrementAndGet() % 500 == 0) {
        every500.run();
      }
      boolean shared = input.delivery() == FuzzInput.Delivery.KEEP_ALIVE;
      FuzzConnection c;
      boolean reused = false;
      if (shared) {
        // A kept connection idle as long as the node keeps one idle may be closing as we write: start afresh.
        boolean stale = System.nanoTime() - lastOnKeptAt >= IDLE_MILLIS * 1_000_000;
        reused = kept != null && kept.open() && !stale;
        if (!reused) {
          closeKept();
          kept = new FuzzConnection(port, READ_TIMEOUT_MILLIS, writers);
        }
        c = kept;
      } else {
        c = new FuzzConnection(port, READ_TIMEOUT_MILLIS, writers);
      }
      try {
        c.send(input.request(), input.delivery() == FuzzInput.Delivery.HALF_CLOSE);
        FuzzAnswer first = c.read(input.method().equals("HEAD"));
        if (reused && (first.outcome() == FuzzAnswer.Outcome.CLOSED || first.outcome() == FuzzAnswer.Outcome.RESET)) {
          // The connection was closed after the previous answer, which did not say it would be (unless it had
          // been idle as long as the node keeps an idle connection). Whether the client then reads an end of
          // stream or a reset depends only on whether its request reached the closed socket first.
          c.sendFailed();
          boolean early = System.nanoTime() - lastOnKeptAt < IDLE_MILLIS * 1_000_000;
          closeKept();
          kept = new FuzzConnection(port, READ_TIMEOUT_MILLIS, writers);
          c = kept;
          c.send(input.request(), false);
          first = c.read(input.method().equals("HEAD"));
          // Blamed on the previous answer only when this input is answered on a fresh connection: an input the
          // node refuses by closing (a head too large, say) closed the kept one too, for its own reason.
          if (early && first.answered()) {
            tally.finding(FuzzTally.Finding.SILENT_CLOSE, lastOnKept, "the next request found the connection closed");
          }
        }
        answers(input, c, first);
        c.sendFailed();
      } finally {
        tally.took(input.family(), System.nanoTime() - started);
        if (shared) {
          lastOnKept = input;
          lastOnKeptAt = System.nanoTime();
        } else {
          c.close();
        }
      }
    }

    private void answers(FuzzInput input, FuzzConnection c, FuzzAnswer first) {
      FuzzAnswer answer = first;
      for (int i = 0; i < input.answers(); i++) {
        if (i > 0) {
          answer = c.read(false);
        }
        tally.outcome(input.family(), answer);
        if (!answer.answered()) {
          if (input.mayGoUnanswered()) {
            return;
          }
          if (i > 0 && answer.outcome() == FuzzAnswer.Outcome.CLOSED) {
            tally.finding(FuzzTally.Finding.SILENT_CLOSE, input, "closed after answer " + i + " of "
                + input.answers() + " without saying so");
          } else {
            tally.finding(FuzzTally.Finding.UNANSWERED, input, "answer " + (i + 1) + ": " + answer.summary());
          }
          return;
        }
        AnswerJudge.Verdict v = AnswerJudge.judge(input, answer, i == 0);
        if (v.relay5xx()) {
          tally.finding(FuzzTally.Finding.RELAY_5XX, input, answer.summary());
        }
        if (v.httpLayer()) {
          tally.httpLayer.incrementAndGet();
        }
        if (v.upstream5xx()) {
          tally.upstream5xx.incrementAndGet();
        }
        if (v.leak() != null) {
          tally.finding(FuzzTally.Finding.LEAK, input, "'" + v.leak() + "' in " + answer.summary());
        }
        if (v.shapeMiss() != null) {
          tally.finding(FuzzTally.Finding.SHAPE, input, v.shapeMiss() + ": " + answer.summary());
        }
        if (answer.closes() || !c.open()) {
          return;
        }
      }
    }

    private void closeKept() {
      if (kept != null) {
        kept.close();
        kept = null;
      }
    }

    void close() {
      closeKept();
    }
  }

  @Override
  public void close() {
    writers.shutdownNow();
  }
}
