package dev.relaycluster.admin;

/**
 * Who may try a password now (pure). Failed logins are counted per (user, client address), per client
 * address and per user, each over the configured window. A (user, address) pair with {@code max} failures is
 * refused, and so is an address with {@code max × ADDRESS_FACTOR} failures over any users; a user's failures
 * from everywhere only slow each further attempt for that user (a back-off doubling from a quarter second to
 * five seconds), so nobody can lock the owner out, and the right password from another address still works.
 */
final class LoginThrottle {
  /** An address may fail this many times {@code max} over all users before it is refused. */
  static final int ADDRESS_FACTOR = 4;
  static final long FIRST_BACK_OFF_MILLIS = 250;
  static final long MAX_BACK_OFF_MILLIS = 5_000;

  /** Failures in the window: of this user from this address, of this address, of this user. */
  record Failures(long pair, long address, long user) {}

  private LoginThrottle() {}

  /** Whether the attempt is refused outright (429 until the window passes). */
  static boolean refused(Failures f, int max) {
    return f.pair() >= max || f.address() >= (long) max * ADDRESS_FACTOR;
  }

  /** How long the attempt waits before its password is checked: 0 until the user has {@code max} failures. */
  static long backOffMillis(Failures f, int max) {
    if (f.user() < max) {
      return 0;
    }
    long doublings = Math.min(f.user() - max, 16);
    return Math.min(MAX_BACK_OFF_MILLIS, FIRST_BACK_OFF_MILLIS << doublings);
  }
}
