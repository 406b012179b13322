package dev.relaycluster.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a label's set of values bounded: the first {@code max} distinct values seen are kept as they are,
 * every later one is {@link #OTHER}; blank values are {@link #UNKNOWN}, long ones are cut. For labels fed from
 * outside (model names a client or upstream sends), so that no caller can grow the series without end.
 */
public final class BoundedLabels {
  public static final String OTHER = "other";
  public static final String UNKNOWN = "unknown";
  static final int LONGEST = 100;

  private final int max;
  private final Set<String> kept = ConcurrentHashMap.newKeySet();

  public BoundedLabels(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    this.max = max;
  }

  /** The label value to use for {@code raw}. */
  public String of(String raw) {
    if (raw == null || raw.isBlank()) {
      return UNKNOWN;
    }
    String value = raw.length() > LONGEST ? raw.substring(0, LONGEST) : raw;
    if (kept.contains(value)) {
      return value;
    }
    synchronized (kept) {
      if (kept.contains(value)) {
        return value;
      }
      if (kept.size() >= max) {
        return OTHER;
      }
      kept.add(value);
      return value;
    }
  }
}
