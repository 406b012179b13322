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

  /**
   * A new id that sorts after {@code previous} (null: any new id): ids made one after another in the same
   * millisecond keep their order, where {@link #next} orders them at random. When the new id does not sort after
   * {@code previous}, the answer is {@code previous}'s successor in its random bits.
   */
  public UUID nextAfter(UUID previous) {
    UUID id = next();
    if (previous == null || sortsAfter(id, previous)) {
      return id;
    }
    long high = previous.getMostSignificantBits();
    long low = previous.getLeastSignificantBits();
    if ((low & 0x3FFF_FFFF_FFFF_FFFFL) != 0x3FFF_FFFF_FFFF_FFFFL) {
      return new UUID(high, low + 1);
    }
    if ((high & 0x0FFFL) != 0x0FFFL) {
      return new UUID(high + 1, 0x8000_0000_0000_0000L);
    }
    return id;
  }

  /** Whether {@code a}'s text sorts after {@code b}'s (unsigned order of the two halves). */
  static boolean sortsAfter(UUID a, UUID b) {
    int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return high > 0 || high == 0 && Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits()) > 0;
  }

  /** The milliseconds a version-7 id was made at. */
  public static long millisOf(UUID id) {
    if (id.version() != 7) {
      throw new IllegalArgumentException("not a time-ordered (version 7) UUID: " + id);
    }
    return id.getMostSignificantBits() >>> 16;
  }
}
