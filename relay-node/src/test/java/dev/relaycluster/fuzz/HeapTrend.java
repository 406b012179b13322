package dev.relaycluster.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The live heap (used heap after full collections, {@link HeapProbe#liveBytes}) sampled at several quiet points
 * of a fuzz run (between slices of inputs, none in flight), and whether it stays flat: the median of the last
 * third of the samples may be at most {@link #BOUND_BYTES} above the median of the first third. Medians of
 * thirds rather than two single samples, so no one sample decides; the first sample comes after the first
 * slice, once the node's caches and connection pools have been filled.
 */
final class HeapTrend {
  /**
   * How far the last third may lie above the first third. A CI run (13,500 inputs) measured +8.7 MiB, most of
   * it the node filling up during the first slices (samples 55.8, 57.2, 63.7, then 63.0 to 63.7 for the rest of
   * the client inputs), and single samples up to 16 MiB above their neighbours; 24 MiB over 13,500 inputs still
   * catches a leak of about 2 kB an input, and the long run (FUZZ_TRIES=6000) one of a quarter of that.
   */
  static final long BOUND_BYTES = 24L * 1024 * 1024;
  /** Fewer samples than this make no trend (a short run, or FUZZ_ONLY). */
  static final int MIN_SAMPLES = 6;

  /** One sample: after how many inputs, and the live heap then. */
  record Sample(long inputs, long liveBytes) {}

  private final List<Sample> samples = new ArrayList<>();

  /** Samples the live heap now (it runs full collections, so it takes about half a second). */
  void sample(long inputs) {
    try {
      add(inputs, HeapProbe.liveBytes());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Adds a sample measured elsewhere (the one at the end of the run). */
  void add(long inputs, long liveBytes) {
    synchronized (samples) {
      samples.add(new Sample(inputs, liveBytes));
    }
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  boolean judged() {
    return samples().size() >= MIN_SAMPLES;
  }

  long firstThird() {
    List<Sample> s = samples();
    return median(s.subList(0, s.size() / 3));
  }

  long lastThird() {
    List<Sample> s = samples();
    return median(s.subList(s.size() - s.size() / 3, s.size()));
  }

  long growth() {
    return lastThird() - firstThird();
  }

  /** Flat, or too few samples to tell. */
  boolean flat() {
    return !judged() || growth() <= BOUND_BYTES;
  }

  /** The figures' cell: both medians, the growth and the bound. */
  String summary() {
    if (!judged()) {
      return samples().size() + " samples, too few for a trend";
    }
    return String.format(Locale.ROOT, "%d samples with no input in flight: median of the first third %s, of the "
            + "last third %s (%s%s; bound +%s) — %s", samples().size(), HeapProbe.mib(firstThird()),
        HeapProbe.mib(lastThird()), growth() >= 0 ? "+" : "-", HeapProbe.mib(Math.abs(growth())),
        HeapProbe.mib(BOUND_BYTES), flat() ? "flat" : "GROWING");
  }

  /** Every sample, for the figures: "inputs: MiB" pairs. */
  String samplesText() {
    return samples().stream().map(s -> String.format(Locale.ROOT, "%,d: %.1f", s.inputs(),
        s.liveBytes() / (1024.0 * 1024.0))).collect(Collectors.joining(", "));
  }

  private static long median(List<Sample> s) {
    long[] v = s.stream().mapToLong(Sample::liveBytes).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
