package dev.relaycluster.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The counts of a fuzz run, safe to add to from every worker: inputs and answers per family, statuses
 * seen, and each kind of finding with its first few examples (input number, description, answer).
 */
final class FuzzTally {
  /** The kinds of finding; each one fails the run. */
  enum Finding {
    RELAY_5XX("relay 5xx"),
    LEAK("library or class names in an answer"),
    SHAPE("4xx not in the caller's dialect"),
    UNANSWERED("request not answered"),
    SILENT_CLOSE("kept-alive connection closed without saying so"),
    SLOW_SENDER("slow sender not handled");

    final String title;

    Finding(String title) {
      this.title = title;
    }
  }

  /** Examples kept per kind of finding, and per kind of answer within it (so one frequent answer hides no other). */
  private static final int EXAMPLES = 24;
  private static final int EXAMPLES_PER_ANSWER = 2;

  private final Map<String, AtomicInteger> inputs = new ConcurrentHashMap<>();
  private final Map<String, Map<String, AtomicInteger>> outcomes = new ConcurrentHashMap<>();
  private final Map<Finding, AtomicInteger> findings = new ConcurrentHashMap<>();
  private final Map<Finding, List<String>> examples = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> examplesPerAnswer = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicLong> nanos = new ConcurrentHashMap<>();
  final AtomicInteger upstream5xx = new AtomicInteger();
  /** Requests the HTTP layer refused before any route (it could not parse them; no dialect is known there). */
  final AtomicInteger httpLayer = new AtomicInteger();

  void input(String family) {
    inputs.computeIfAbsent(family, f -> new AtomicInteger()).incrementAndGet();
  }

  /** One answer's status (or how the connection ended without one) for a family. */
  void outcome(String family, FuzzAnswer answer) {
    String key = answer.answered() ? Integer.toString(answer.status())
        : answer.outcome().name().toLowerCase(java.util.Locale.ROOT);
    outcomes.computeIfAbsent(family, f -> new ConcurrentHashMap<>())
        .computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  /** The time one input of a family took, from its first byte sent to its last answer read. */
  void took(String family, long nanoseconds) {
    nanos.computeIfAbsent(family, f -> new java.util.concurrent.atomic.AtomicLong()).addAndGet(nanoseconds);
  }

  /** Mean milliseconds per input of a family. */
  double meanMillis(String family) {
    java.util.concurrent.atomic.AtomicLong n = nanos.get(family);
    int count = inputs(family);
    return n == null || count == 0 ? 0 : n.get() / 1e6 / count;
  }

  void finding(Finding kind, FuzzInput input, String what) {
    findings.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
    String sameAnswer = kind + what.substring(0, Math.min(what.length(), 48));
    if (examplesPerAnswer.computeIfAbsent(sameAnswer, k -> new AtomicInteger()).incrementAndGet()
        > EXAMPLES_PER_ANSWER) {
      return;
    }
    synchronized (list) {
      if (list.size() < EXAMPLES) {
        String label = input.label().replace("\r", "\\r").replace("\n", "\\n");
        list.add("#" + input.index() + " " + input.family() + " " + (label.length() > 200 ? label.substring(0, 200)
            + "…" : label) + " → " + what);
      }
    }
  }

  int count(Finding kind) {
    AtomicInteger n = findings.get(kind);
    return n == null ? 0 : n.get();
  }

  int inputs(String family) {
    AtomicInteger n = inputs.get(family);
    return n == null ? 0 : n.get();
  }

  int totalInputs() {
    return inputs.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Statuses (and endings without an answer) of one family, sorted. */
  Map<String, Integer> outcomes(String family) {
    Map<String, Integer> out = new TreeMap<>();
    outcomes.getOrDefault(family, Map.of()).forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Statuses over every family. */
  Map<String, Integer> allOutcomes() {
    Map<String, Integer> out = new TreeMap<>();
    outcomes.values().forEach(m -> m.forEach((k, v) -> out.merge(k, v.get(), Integer::sum)));
    return out;
  }

  /** Every finding with its examples, for an assertion message. */
  String findingsText() {
    StringBuilder s = new StringBuilder();
    for (Finding f : Finding.values()) {
      if (count(f) > 0) {
        s.append(f.title).append(": ").append(count(f)).append('\n');
        for (String e : examples.getOrDefault(f, List.of())) {
          s.append("  ").append(e).append('\n');
        }
      }
    }
    return s.toString();
  }

  boolean clean() {
    for (Finding f : Finding.values()) {
      if (count(f) > 0) {
        return false;
      }
    }
    return true;
  }
}
