package dev.relaycluster.fuzz;

import java.util.Locale;

/**
 * How much the fuzz run tries and from which seed: {@code FUZZ_TRIES} inputs per target family and
 * {@code FUZZ_SEED} (environment, which {@code bench/reliability.sh} can set, or the system properties
 * {@code fuzz.tries} / {@code fuzz.seed}). Without a seed each run draws a fresh one and names it in its
 * figures and failures, so any run can be repeated input for input; {@code FUZZ_ONLY=family:index} (with the
 * seed) sends just the one input a finding names, and prints it.
 */
record FuzzSettings(long seed, int tries, boolean seedGiven, String only) {
  /**
   * Inputs per family in CI: nine families (ClientInputs' seven, http and admin) make 13,500 inputs, and a few
   * slow senders come on top.
   */
  static final int CI_TRIES = 1_500;

  static FuzzSettings fromEnvironment() {
    String seed = setting("FUZZ_SEED", "fuzz.seed");
    String tries = setting("FUZZ_TRIES", "fuzz.tries");
    int n = tries == null ? CI_TRIES : Integer.parseInt(tries.strip());
    if (n < 1) {
      throw new IllegalArgumentException("FUZZ_TRIES must be at least 1: " + tries);
    }
    String only = setting("FUZZ_ONLY", "fuzz.only");
    if (only != null && !only.matches("[a-z-]+:\\d+")) {
      throw new IllegalArgumentException("FUZZ_ONLY names one input as family:index, e.g. http:37: " + only);
    }
    return seed == null
        ? new FuzzSettings(new java.security.SecureRandom().nextLong(), n, false, only)
        : new FuzzSettings(parseSeed(seed), n, true, only);
  }

  /** A decimal or {@code 0x}-hexadecimal seed, as the figures print it. */
  static long parseSeed(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
  }

  String seedText() {
    return Long.toString(seed);
  }

  private static String setting(String env, String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? null : v;
  }
}
