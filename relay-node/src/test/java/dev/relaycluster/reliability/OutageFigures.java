package dev.relaycluster.reliability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one outage scenario did to its clients and to the ledger, computed from the clients' outcomes, the
 * key's request log and journal, the leases left and the outage's end, with a note of what else the scenario
 * measured; rendered as a Markdown table.
 */
record OutageFigures(String title, List<StreamOutcome> outcomes, int refusedConnections, Map<String, String> requestLog,
    Map<String, Integer> journal, long leasesAfter, double recoverySeconds, double adminSeconds, String note) {

  int sent() {
    return outcomes.size();
  }

  long whole() {
    return outcomes.stream().filter(StreamOutcome::complete).count();
  }

  long cut() {
    return outcomes.stream().filter(StreamOutcome::cut).count();
  }

  long status(int status) {
    return outcomes.stream().filter(o -> o.status() == status).count();
  }

  /** Answers other than 200 and 503, by status ("no answer" when none came). */
  Map<String, Long> others() {
    return outcomes.stream().filter(o -> o.status() != 200 && o.status() != 503)
        .collect(Collectors.groupingBy(o -> o.status() < 0 ? "no answer" : Integer.toString(o.status()), TreeMap::new,
            Collectors.counting()));
  }

  /** Whole streams whose request is not in the request log or not in the journal. */
  List<String> missing() {
    return outcomes.stream().filter(StreamOutcome::complete).map(StreamOutcome::requestId)
        .filter(id -> id == null || !requestLog.containsKey(id) || !journal.containsKey(id)).toList();
  }

  /** Refusals (answers other than 200 that name their request) the request log does not hold. */
  List<StreamOutcome> refusalsNotLedgered() {
    return outcomes.stream().filter(o -> o.status() > 0 && o.status() != 200 && o.requestId() != null)
        .filter(o -> !requestLog.containsKey(o.requestId())).toList();
  }

  long refusalsWithId() {
    return outcomes.stream().filter(o -> o.status() > 0 && o.status() != 200 && o.requestId() != null).count();
  }

  /** Usage events beyond the first for a request id: each one a request counted twice. */
  int duplicates() {
    return journal.values().stream().mapToInt(n -> n - 1).sum();
  }

  /**
   * Seconds from the outage's end until requests succeed again: the start of the first whole stream begun
   * after the last failed request begun after the end; 0 when none failed after it; NaN when none succeeded.
   */
  static double recoverySeconds(List<StreamOutcome> outcomes, long endNanos) {
    List<StreamOutcome> after = new ArrayList<>(outcomes.stream().filter(o -> o.startNanos() >= endNanos).toList());
    after.sort(Comparator.comparingLong(StreamOutcome::startNanos));
    int lastFailure = -1;
    for (int i = 0; i < after.size(); i++) {
      if (!after.get(i).complete()) {
        lastFailure = i;
      }
    }
    if (lastFailure < 0) {
      return after.isEmpty() ? Double.NaN : 0;
    }
    for (int i = lastFailure + 1; i < after.size(); i++) {
      if (after.get(i).complete()) {
        return (after.get(i).startNanos() - endNanos) / 1e9;
      }
    }
    return Double.NaN;
  }

  private static String seconds(double s) {
    return Double.isNaN(s) ? "not recovered" : String.format("%.1f", s);
  }

  String markdown() {
    String others = others().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining(", "));
    StringBuilder md = new StringBuilder("### ").append(title).append("\n\n")
        .append("| requests sent | 200, whole stream | 503 | other answers | streams cut | ledger rows | "
            + "answered, missing from the ledger | duplicates | leases after | recovery (s) | admin API back (s) |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|\n")
        .append("| ").append(sent()).append(" | ").append(whole()).append(" | ").append(status(503)).append(" | ")
        .append(others.isEmpty() ? "0" : others).append(" | ").append(cut()).append(" | ").append(requestLog.size())
        .append(" | ").append(missing().size()).append(" | ").append(duplicates()).append(" | ").append(leasesAfter)
        .append(" | ").append(seconds(recoverySeconds)).append(" | ").append(seconds(adminSeconds)).append(" |\n\n")
        .append("Refusals that name their request, in the ledger: ")
        .append(refusalsWithId() - refusalsNotLedgered().size()).append(" of ").append(refusalsWithId())
        .append(". Usage events in the journal: ").append(journal.values().stream().mapToInt(Integer::intValue).sum())
        .append(".");
    if (refusedConnections > 0) {
      md.append(" Connections refused by a dead node and sent to the next one (not counted as requests): ")
          .append(refusedConnections).append(".");
    }
    if (!note.isEmpty()) {
      md.append(" ").append(note);
    }
    return md.append("\n").toString();
  }
}
