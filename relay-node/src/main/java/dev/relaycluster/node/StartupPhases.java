package dev.relaycluster.node;

import java.util.ArrayList;
import java.util.List;

/** How long each step of a node's start took, for the start-up log line. Used by one thread. */
final class StartupPhases {
  private final long startedNanos = System.nanoTime();
  private long lastNanos = startedNanos;
  private final List<String> marks = new ArrayList<>();

  /** Ends the step named {@code name} now. */
  void mark(String name) {
    long now = System.nanoTime();
    marks.add(name + " " + (now - lastNanos) / 1_000_000 + " ms");
    lastNanos = now;
  }

  long totalMillis() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  @Override
  public String toString() {
    return String.join(", ", marks);
  }
}
