package dev.relaycluster.fuzz;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The Markdown section of a fuzz run, from its tally and measurements (nothing typed in by hand). */
final class FuzzReport {
  private FuzzReport() {}

  /** What was measured around the run. */
  record Run(FuzzSettings settings, List<String> families, double seconds, double cpuSeconds, long heapBefore,
      long heapAfter, HeapTrend heap, int healthAtEnd, boolean ledgerFlows, LogTally logs) {}

  static String markdown(FuzzTally tally, Run run) {
    StringBuilder md = new StringBuilder();
    md.append("One embedded node whose upstreams are mock Anthropic, OpenAI and Google servers (they answer 200 to "
        + "every model the fuzzer names) gets seeded random inputs: every client endpoint (Anthropic Messages and "
        + "count_tokens under /api, /claude and the root; OpenAI Responses and compact under /openai, /openai/v1 "
        + "and /v1; Gemini generateContent, streamGenerateContent and countTokens under /gemini and /v1beta; Code "
        + "Assist v1internal calls; model lists, key usage) with mutated JSON bodies (wrong types, dropped and added "
        + "fields, nesting up to 20,000 deep, strings up to 300 kB, numbers out of range, invalid UTF-8, lone "
        + "surrogates, trailing garbage, cut bodies, no JSON at all), mutated headers (key forms, content types, "
        + "unicode and control characters, illegal names, folded lines, huge and many headers, lying "
        + "content-lengths), odd methods, paths and queries; the admin API with mutated bodies, ids and tokens; raw "
        + "bytes for the HTTP layer (malformed request lines, duplicate content-lengths, content-length with "
        + "transfer-encoding, bad chunk sizes, oversize heads, pipelined requests, half-closed sockets, large "
        + "bodies refused early and then a second request); and a few slow senders.\n\n");
    md.append(String.format(Locale.ROOT, "Seed `%s`%s, %,d inputs per family: **%,d inputs in %.1f s** (%.1f s of "
            + "CPU in the JVM that runs node, mocks and fuzzer, on %d cores).%n%n",
        run.settings().seedText(), run.settings().seedGiven() ? " (given)" : " (drawn for this run)",
        run.settings().tries(), tally.totalInputs(), run.seconds(), run.cpuSeconds(),
        Runtime.getRuntime().availableProcessors()));
    md.append("| family | inputs | mean time per input | answers by status (or how the connection ended) |\n"
        + "|---|---:|---:|---|\n");
    for (String family : run.families()) {
      md.append("| ").append(family).append(" | ").append(String.format(Locale.ROOT, "%,d", tally.inputs(family)))
          .append(String.format(Locale.ROOT, " | %.1f ms | ", tally.meanMillis(family)))
          .append(statuses(tally.outcomes(family))).append(" |\n");
    }
    md.append("| **all** | **").append(String.format(Locale.ROOT, "%,d", tally.totalInputs())).append("** | | ")
        .append(statuses(tally.allOutcomes())).append(" |\n\n");
    md.append("| check | result |\n|---|---|\n");
    for (FuzzTally.Finding f : FuzzTally.Finding.values()) {
      md.append("| ").append(f.title).append(" | ").append(tally.count(f)).append(" |\n");
    }
    md.append("| 5xx passed on from a mock upstream | ").append(tally.upstream5xx.get()).append(" |\n");
    md.append("| refused by the HTTP layer before any route (unparseable; plain text, connection closed) | ")
        .append(tally.httpLayer.get()).append(" |\n");
    md.append("| node answers /health at the end | ").append(run.healthAtEnd() == 200 ? "yes (200)"
        : "no (" + run.healthAtEnd() + ")").append(" |\n");
    md.append("| a request after the run reaches the request log (the usage projection still runs) | ")
        .append(run.ledgerFlows() ? "yes" : "no").append(" |\n");
    md.append("| node log during the run: errors (with a stack trace), warnings | ").append(run.logs().errors.get())
        .append(" (").append(run.logs().errorsWithTrace.get()).append("), ").append(run.logs().warnings.get())
        .append(" |\n");
    md.append(String.format(Locale.ROOT, "| live heap after full GC (node, mocks and fuzzer in one JVM) | %s before, "
            + "%s after (×%.2f) |%n", HeapProbe.mib(run.heapBefore()), HeapProbe.mib(run.heapAfter()),
        run.heapAfter() / (double) run.heapBefore()));
    md.append("| live heap during the run (the last third of the samples against the first) | ")
        .append(run.heap().summary()).append(" |\n\n");
    if (!run.heap().samples().isEmpty()) {
      md.append("Live heap samples after full GC (inputs sent: MiB): ").append(run.heap().samplesText())
          .append(".\n\n");
    }
    if (!tally.clean()) {
      md.append("Findings:\n\n```\n").append(tally.findingsText()).append("```\n\n");
    }
    md.append("Repeat this run input for input: `FUZZ_SEED=").append(run.settings().seedText()).append(" FUZZ_TRIES=")
        .append(run.settings().tries()).append(" mvn -B test -pl protocol,relay-node -Dtest=RelayFuzzTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Drelay.classArchive.skip` (the same seed makes the same "
            + "inputs; `FUZZ_TRIES` sets the inputs per family).\n");
    return md.toString();
  }

  private static String statuses(Map<String, Integer> counts) {
    return counts.entrySet().stream().map(e -> e.getKey() + ": " + String.format(Locale.ROOT, "%,d", e.getValue()))
        .collect(Collectors.joining(", "));
  }
}
