package dev.relaycluster.relay;

import dev.relaycluster.apikey.LeaseUsage;
import dev.relaycluster.usage.UsageRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;

/**
 * Carries a node's settlements to their keys' entities with at most one message out per key: the first request
 * to end goes at once, alone; those that end while a key's message is out wait for its answer and then go
 * together, at most {@link #MAX_BATCH} a message. Under load a key's settlements travel in batches (one ask, one
 * timer, one answer for dozens of requests) and an idle key's travel as soon as they end. Each request's
 * delivery completes or fails with the message that carried it, and when a message fails, so does every
 * settlement that waited behind it: the caller puts what failed in the node's usage spool, as before, and sends it
 * again (a record carried twice is recorded once: the entity takes a request id once). So a settlement waits at
 * most about two ask timeouts in memory before it is on disk.
 *
 * <p>A key's lane stays once made (a map entry per key that settled on this node).
 */
final class SettlementCourier implements UsageDelivery {
  /**
   * The most settlements one message carries; more wait for the next. As many as the entity writes in one event
   * (its usage batch's limit): with one message out per key, a key's settlements flow at most this many per round
   * trip (the entity's batch window and its journal write). 100 was tried first; its node kept more in the old
   * generation per young collection than the jar before it did (bench/what-bounds-it.md), 500 did not.
   */
  static final int MAX_BATCH = 500;

  /** Sends one key's batch; completes once the entity has all of it in its journal. */
  @FunctionalInterface
  interface Send {
    CompletionStage<Done> send(String keyId, List<LeaseUsage> usage);
  }

  private record Waiting(LeaseUsage usage, CompletableFuture<Done> delivered) {}

  /** One key's settlements waiting to go, and whether a message of the key is out (guarded by the lane). */
  private static final class Lane {
    final ArrayDeque<Waiting> queued = new ArrayDeque<>();
    boolean out;
  }

  private final Send send;
  private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

  SettlementCourier(Send send) {
    this.send = send;
  }

  @Override
  public CompletionStage<Done> deliver(String keyId, String leaseId, UsageRecord usage) {
    Waiting waiting = new Waiting(new LeaseUsage(leaseId, usage), new CompletableFuture<>());
    Lane lane = lanes.computeIfAbsent(keyId, k -> new Lane());
    List<Waiting> batch;
    synchronized (lane) {
      lane.queued.add(waiting);
      batch = lane.out ? null : next(lane);
    }
    if (batch != null) {
      carry(keyId, lane, batch);
    }
    return waiting.delivered();
  }

  /** The next batch of the lane, marking a message out; null (and none out) when nothing waits. */
  private static List<Waiting> next(Lane lane) {
    if (lane.queued.isEmpty()) {
      lane.out = false;
      return null;
    }
    lane.out = true;
    List<Waiting> batch = new ArrayList<>(Math.min(lane.queued.size(), MAX_BATCH));
    while (!lane.queued.isEmpty() && batch.size() < MAX_BATCH) {
      batch.add(lane.queued.poll());
    }
    return batch;
  }

  private void carry(String keyId, Lane lane, List<Waiting> batch) {
    List<LeaseUsage> usage = new ArrayList<>(batch.size());
    batch.forEach(w -> usage.add(w.usage()));
    CompletionStage<Done> answer;
    try {
      answer = send.send(keyId, usage);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((done, failure) -> {
      List<Waiting> following;
      List<Waiting> failed = batch;
      synchronized (lane) {
        if (failure != null) {
          // What waited behind a message that failed fails with it, at once: the entity did not answer in time,
          // and each of these would otherwise wait as long again before it reaches the spool (on disk).
          failed = new ArrayList<>(batch);
          failed.addAll(lane.queued);
          lane.queued.clear();
        }
        following = next(lane);
      }
      for (Waiting w : failed) {
        if (failure == null) {
          w.delivered().complete(Done.getInstance());
        } else {
          w.delivered().completeExceptionally(failure);
        }
      }
      if (following != null) {
        carry(keyId, lane, following);
      }
    });
  }
}
