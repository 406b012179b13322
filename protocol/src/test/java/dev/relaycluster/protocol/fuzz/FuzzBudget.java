package dev.relaycluster.protocol.fuzz;

/**
 * How long each coverage-guided fuzz target runs when fuzzing is on ({@code JAZZER_FUZZ=1}, as the
 * {@code fuzz} profile of protocol/pom.xml sets in {@code mvn test}): a number of executions, with a time bound
 * should a slow machine not reach it. A longer run passes libFuzzer's own flags (see the README's fuzzing
 * section). Without {@code JAZZER_FUZZ} a fuzz test runs only its seeds, as a regression test.
 */
final class FuzzBudget {
  /** Executions per target in CI (after the seeds). */
  static final long EXECUTIONS = 20_000;
  /** The time bound per target. */
  static final String DURATION = "30s";

  private FuzzBudget() {}
}
