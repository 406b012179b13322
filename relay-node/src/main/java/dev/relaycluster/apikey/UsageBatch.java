package dev.relaycluster.apikey;

import dev.relaycluster.apikey.ApiKeyEntity.Settle;
import dev.relaycluster.usage.UsageRecord;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The usage settled on one key and not written yet. Settlements queue here and are written in one batch a
 * moment later ({@link #WINDOW}), or as soon as {@link #MAX} wait, so a busy key writes one journal batch
 * for many requests instead of one write each, and admissions do not queue behind every single write.
 * Also the ids whose usage this incarnation wrote, so that a settlement sent again is counted once. In
 * memory only, owned by the {@link ApiKeyEntity}'s actor (senders retry a settlement that was lost).
 */
final class UsageBatch {
  /**
   * A batch this full is written at once. Large, because most requests no longer ask the key's entity to be
   * admitted, so nothing slows them while its writes fall behind (a PostgreSQL journal on a busy machine):
   * the usage queued meanwhile, stashed by the entity while it writes, must drain in few writes, or the
   * stash fills and the settlements go round the retry spool (28,000 dropped in a minute with 100).
   */
  static final int MAX = 500;
  /** How long queued usage waits for more before it is written. */
  static final Duration WINDOW = Duration.ofMillis(5);
  /** A flush this late was dropped (or waits behind a very slow write): another is scheduled. */
  private static final long FLUSH_LOST_AFTER_NANOS = Duration.ofSeconds(1).toNanos();

  private final List<Settle> pending = new ArrayList<>();
  /** When the pending flush was scheduled (System.nanoTime), 0 if none; a flush stashed past the stash's capacity is lost. */
  private long flushScheduledAt;
  /** Ids whose usage this incarnation wrote, beyond the state's last 512. */
  private final RecordedRequestIds written = new RecordedRequestIds(16_384);

  /** The usage of one batch: the settlements it answers, every request id in it, and the usage to write. */
  record Batch(List<Settle> settled, Set<String> requestIds, List<UsageRecord> toWrite) {}

  /** Whether usage for this request was written already (in the state's window or by this incarnation). */
  boolean recorded(ApiKeyState state, String requestId) {
    return state.recorded(requestId) || written.contains(requestId);
  }

  /** Queues a settlement (with usage); true when the batch is full and is to be written now. */
  boolean add(Settle settle) {
    pending.add(settle);
    return pending.size() >= MAX;
  }

  /**
   * Whether a flush is to be scheduled at {@code nanoNow}: none is, or the one that is looks lost. A flush
   * dropped by a full stash (thousands of streams ending together) would otherwise leave the queued usage
   * waiting for a full batch; scheduling another is harmless (an empty flush does nothing).
   */
  boolean flushToSchedule(long nanoNow) {
    if (flushScheduledAt == 0 || nanoNow - flushScheduledAt > FLUSH_LOST_AFTER_NANOS) {
      flushScheduledAt = nanoNow;
      return true;
    }
    return false;
  }

  /**
   * Takes the queued settlements out as one batch (null when none wait): its usage to write is each
   * request's once, leaving out those written already.
   */
  Batch take(ApiKeyState state) {
    flushScheduledAt = 0;
    if (pending.isEmpty()) {
      return null;
    }
    List<Settle> settled = List.copyOf(pending);
    pending.clear();
    Set<String> seen = new HashSet<>();
    List<UsageRecord> toWrite = settled.stream()
        .filter(s -> seen.add(s.usage().requestId()) && !recorded(state, s.usage().requestId()))
        .map(Settle::usage)
        .toList();
    return new Batch(settled, seen, toWrite);
  }

  /** A batch's usage is in the journal. */
  void written(Batch batch) {
    written.addAll(batch.requestIds());
  }

  /** {@code totals} with the queued usage counted as spent. */
  CostTotals spent(CostTotals totals, KeyLimits limits, ZoneId zone) {
    CostTotals spent = totals;
    for (Settle s : pending) {
      spent = ApiKeyState.addCost(spent, s.usage(), limits, zone);
    }
    return spent;
  }

  /** Requests, tokens and real cost of the queued usage not written yet, each request once. */
  record Unwritten(long requests, long tokens, long costMicros) {}

  Unwritten unwritten(ApiKeyState state) {
    long requests = 0;
    long tokens = 0;
    long cost = 0;
    Set<String> seen = new HashSet<>();
    for (Settle s : pending) {
      if (seen.add(s.usage().requestId()) && !recorded(state, s.usage().requestId())) {
        requests++;
        tokens += s.usage().totalTokens();
        cost += s.usage().costMicros();
      }
    }
    return new Unwritten(requests, tokens, cost);
  }
}
