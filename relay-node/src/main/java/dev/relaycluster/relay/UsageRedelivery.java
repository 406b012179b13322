package dev.relaycluster.relay;

import dev.relaycluster.config.UsageSpoolSettings;
import dev.relaycluster.metrics.RelayMetrics;
import dev.relaycluster.usage.UsageRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's usage records that have not landed in their key's entity yet, one per actor system. A
 * {@link Settlement} whose delivery fails hands its record here ({@link #keep}): it is written to the
 * {@link UsageSpool} (forced to disk) and sent again, with back-off ({@code retry-first} doubling up to
 * {@code retry-max}), until the entity acknowledges it; then its {@code L} line is written and a spool
 * file with nothing left waiting is deleted. Created at start-up, it loads what the spool kept from
 * earlier runs and sends that too. A record sent again after it landed (an acknowledgement lost, a crash
 * before the {@code L} line) changes nothing: the request log and the aggregates take a request id once,
 * and the key's entity ignores an id in its state's last 512 (kept in every snapshot, so across restarts)
 * or among the 16,384 newest it wrote since it started.
 *
 * <p>Spool writes run one at a time on the blocking dispatcher, batched (one fsync for all records
 * that queued meanwhile). If the disk fails the record stays in memory and is still re-sent.
 */
public final class UsageRedelivery implements Extension {
  private static final Logger log = LoggerFactory.getLogger(UsageRedelivery.class);
  private static final Duration LONGEST_TICK = Duration.ofSeconds(1);
  /** At most a line a second for records put aside (thousands a second when a key's entity falls behind). */
  private final LogQuota keptLines = new LogQuota(Duration.ofSeconds(1));

  public static final ExtensionId<UsageRedelivery> ID = new ExtensionId<>() {
    @Override
    public UsageRedelivery createExtension(ActorSystem<?> system) {
      return new UsageRedelivery(system, UsageSpoolSettings.from(system.settings().config()));
    }
  };

  public static UsageRedelivery get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** One record waiting: when it is next due and how often it failed since it was put aside. */
  private static final class Waiting {
    final SpooledUsage item;
    final long order;
    long nextAttemptAt;
    int failures;

    Waiting(SpooledUsage item, long order, long nextAttemptAt) {
      this.item = item;
      this.order = order;
      this.nextAttemptAt = nextAttemptAt;
    }
  }

  private final UsageSpoolSettings settings;
  private final UsageSpool spool;
  private final Clock clock = Clock.systemUTC();
  private final Executor executor;
  private final Executor blocking;
  private volatile UsageDelivery delivery;
  private final RelayMetrics metrics;

  // Guarded by this: the records waiting (oldest first), those due by time, the sends in flight.
  private final LinkedHashMap<String, Waiting> waiting = new LinkedHashMap<>();
  private final PriorityQueue<Waiting> due = new PriorityQueue<>(
      Comparator.<Waiting>comparingLong(w -> w.nextAttemptAt).thenComparingLong(w -> w.order));
  private long order;
  private int sending;

  // Guarded by writes: spool operations queued for the writer task, and whether it runs.
  private final Object writes = new Object();
  private final List<SpooledUsage> toAppend = new ArrayList<>();
  private final List<CompletableFuture<Void>> appended = new ArrayList<>();
  private final List<String> toMarkLanded = new ArrayList<>();
  private boolean writing;
  private boolean closed;
  private volatile int onDisk;

  private UsageRedelivery(ActorSystem<?> system, UsageSpoolSettings settings) {
    this.settings = settings;
    this.metrics = RelayMetrics.get(system);
    this.executor = system.executionContext();
    this.blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("relay-blocking-dispatcher"));
    this.delivery = SettlementReceipts.viaSharding(system, settings.askTimeout());
    this.spool = new UsageSpool(settings.dir(), settings.segmentBytes());
    List<SpooledUsage> left;
    try {
      left = spool.open();
    } catch (IOException e) {
      throw new IllegalStateException("the usage spool in " + settings.dir() + " cannot be opened: " + e, e);
    }
    onDisk = spool.waiting();
    long now = clock.millis();
    synchronized (this) {
      for (SpooledUsage item : left) {
        add(item, now);
      }
    }
    if (!left.isEmpty()) {
      log.warn("{} usage records kept in {} before this start have not landed yet; sending them again",
          left.size(), settings.dir());
    }
    Duration tick = settings.retryFirst().compareTo(LONGEST_TICK) < 0 ? settings.retryFirst() : LONGEST_TICK;
    system.scheduler().scheduleWithFixedDelay(tick, tick, this::pump, system.executionContext());
    // Before the system terminates, so that a node started next on the same data directory finds it closed.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "close-usage-spool", () -> {
          close();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }

  /** Delivers a request's usage to its key's entity once (no retry; see {@link #keep} for that). */
  public CompletionStage<Done> deliver(String keyId, String leaseId, UsageRecord usage) {
    try {
      long sentNanos = System.nanoTime();
      return delivery.deliver(keyId, leaseId, usage).whenComplete((done, failure) -> {
        if (failure == null) {
          metrics.usageSettled(System.nanoTime() - sentNanos);
        }
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Replaces how records reach their entity (tests make it fail to stand for an unreachable entity). */
  void deliverWith(UsageDelivery replacement) {
    this.delivery = replacement;
  }

  /**
   * Keeps a record its settlement could not deliver and sends it again until it lands. Completes once the
   * record is on disk (or, if the disk failed, kept in memory only); a record kept already is not kept twice.
   */
  public CompletionStage<Void> keep(String leaseId, UsageRecord usage) {
    SpooledUsage item = new SpooledUsage(leaseId, usage, clock.millis());
    CompletableFuture<Void> written = new CompletableFuture<>();
    synchronized (this) {
      if (waiting.containsKey(item.requestId())) {
        return CompletableFuture.completedFuture(null);
      }
      add(item, item.spooledAt());
      // Queued under the same lock that makes it sendable, so its L line can only be queued after it.
      boolean start;
      synchronized (writes) {
        if (closed) {
          log.error("usage of request {} (key {}) could not be settled while the node stops; the spool is closed, "
              + "so it is sent again only while this process lives", item.requestId(), item.keyId());
          written.complete(null);
          return written;
        }
        toAppend.add(item);
        appended.add(written);
        start = startWriter();
      }
      if (start) {
        blocking.execute(this::write);
      }
    }
    long leftOut = keptLines.admit(System.nanoTime());
    if (leftOut >= 0) {
      log.warn("usage of request {} (key {}) could not be settled now; kept in the usage spool and sent again{}",
          item.requestId(), item.keyId(), leftOut == 0 ? "" : " (" + leftOut + " more since the last such line)");
    }
    return written;
  }

  /** What waits now. */
  public synchronized UsageBacklog backlog() {
    if (waiting.isEmpty()) {
      return UsageBacklog.EMPTY;
    }
    Waiting oldest = waiting.values().iterator().next();
    return new UsageBacklog(waiting.size(), onDisk, sending, oldest.item.spooledAt());
  }

  public UsageSpoolSettings settings() {
    return settings;
  }

  /** How long a record waits before its next try after {@code failures} failed re-sends. */
  static Duration backoff(int failures, Duration first, Duration max) {
    int doublings = Math.min(Math.max(failures, 0), 30);
    long millis = first.toMillis();
    for (int i = 0; i < doublings && millis < max.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, max.toMillis()));
  }

  private void add(SpooledUsage item, long now) {
    Waiting w = new Waiting(item, order++, now + settings.retryFirst().toMillis());
    waiting.put(item.requestId(), w);
    due.add(w);
  }

  /** Sends every record that is due, as far as the in-flight limit allows. */
  private void pump() {
    List<Waiting> send = new ArrayList<>();
    synchronized (this) {
      long now = clock.millis();
      while (sending < settings.maxInFlight() && !due.isEmpty() && due.peek().nextAttemptAt <= now) {
        send.add(due.poll());
        sending++;
      }
    }
    for (Waiting w : send) {
      SpooledUsage item = w.item;
      deliver(item.keyId(), item.leaseId(), item.usage())
          .whenCompleteAsync((ok, failure) -> answered(w, failure), executor);
    }
  }

  private void answered(Waiting w, Throwable failure) {
    SpooledUsage item = w.item;
    synchronized (this) {
      sending--;
      if (failure == null) {
        waiting.remove(item.requestId());
      } else {
        w.failures++;
        w.nextAttemptAt = clock.millis() + backoff(w.failures, settings.retryFirst(), settings.retryMax()).toMillis();
        due.add(w);
      }
    }
    if (failure == null) {
      log.info("usage of request {} (key {}) landed on re-send {}, {} ms after it was kept",
          item.requestId(), item.keyId(), w.failures + 1, Math.max(0, clock.millis() - item.spooledAt()));
      boolean start;
      synchronized (writes) {
        toMarkLanded.add(item.requestId());
        start = startWriter();
      }
      if (start) {
        blocking.execute(this::write);
      }
    } else if (w.failures == 1 || w.failures % 10 == 0) {
      log.warn("usage of request {} (key {}) still could not be settled ({} re-sends failed): {}",
          item.requestId(), item.keyId(), w.failures, failure.toString());
    }
    pump();
  }

  /** Called holding {@code writes}: whether the caller is to start the writer task. */
  private boolean startWriter() {
    if (writing || closed) {
      return false;
    }
    writing = true;
    return true;
  }

  /** The writer task: applies queued spool operations in batches until none is left. */
  private void write() {
    while (true) {
      List<SpooledUsage> records;
      List<CompletableFuture<Void>> futures;
      List<String> landed;
      synchronized (writes) {
        if (closed || (toAppend.isEmpty() && toMarkLanded.isEmpty())) {
          writing = false;
          writes.notifyAll();
          appended.forEach(f -> f.complete(null));
          appended.clear();
          return;
        }
        records = List.copyOf(toAppend);
        futures = List.copyOf(appended);
        landed = List.copyOf(toMarkLanded);
        toAppend.clear();
        appended.clear();
        toMarkLanded.clear();
      }
      try {
        spool.append(records);
      } catch (IOException | RuntimeException e) {
        log.error("the usage spool could not write {} records; they wait in memory only: {}", records.size(),
            e.toString());
      }
      futures.forEach(f -> f.complete(null));
      try {
        spool.landed(landed);
      } catch (IOException | RuntimeException e) {
        log.warn("the usage spool could not note {} landed records (they may be sent once more after a "
            + "restart): {}", landed.size(), e.toString());
      }
      onDisk = spool.waiting();
    }
  }

  /** Waits for the writer to finish what it has, then closes the spool's files. */
  private void close() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    synchronized (writes) {
      while (writing && System.nanoTime() < deadline) {
        try {
          writes.wait(1_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      closed = true;
      appended.forEach(f -> f.complete(null));
      appended.clear();
    }
    spool.close();
  }
}
