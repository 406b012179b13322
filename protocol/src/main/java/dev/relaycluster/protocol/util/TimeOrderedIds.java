package dev.relaycluster.protocol.util;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Request ids as time-ordered UUIDs (version 7, RFC 9562): 48 bits of Unix milliseconds, then random
 * bits. Their text sorts by time, so a table keyed by request id grows at its end instead of at random
 * places in its index, which on an append-heavy request log saves rewriting pages all over the file.
 * The ids name requests; they grant nothing, so the 74 random bits come from a fast, unshared generator.
 */
public final class TimeOrderedIds {

  private final LongSupplier clock;

  public TimeOrderedIds(LongSupplier clock) {
    this.clock = clock;
  }

  public static TimeOrderedIds systemClock() {
    return new TimeOrderedIds(System::currentTimeMillis);
  }

  public UUID next() {
    long millis = clock.getAsLong() & 0xFFFF_FFFF_FFFFL;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long random1 = random.nextLong();
    long random2 = random.nextLong();
    long high = (millis << 16) | 0x7000L | (random1 & 0x0FFFL);
    long low = (random2 & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }

  /** The milliseconds a version-7 id was made at. */
  public static long millisOf(UUID id) {
    if (id.version() != 7) {
      throw new IllegalArgumentException("not a time-ordered (version 7) UUID: " + id);
    }
    return id.getMostSignificantBits() >>> 16;
  }
}
