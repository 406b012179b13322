package dev.relaycluster.relay;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The time one request has waited on upstream so far, over all its attempts: for its response headers, for
 * the first chunk of a stream, for a whole answer's body. What remains of the request's time is the relay's own
 * ({@link RelayOverhead}).
 */
final class UpstreamWait {
  private final AtomicLong nanos = new AtomicLong();

  /** Adds the wait from {@code sinceNanos} (System.nanoTime) until now; returns now. */
  long since(long sinceNanos) {
    long now = System.nanoTime();
    nanos.addAndGet(Math.max(0, now - sinceNanos));
    return now;
  }

  long nanos() {
    return nanos.get();
  }
}
