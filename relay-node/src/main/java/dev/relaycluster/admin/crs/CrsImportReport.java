package dev.relaycluster.admin.crs;

import java.util.List;
import java.util.Map;

/**
 * What an import did (or, for a dry run, would do): counts per kind ({@code keys}, {@code accounts},
 * {@code usage} entries, {@code requests} of the request-detail log, {@code webhooks} platforms), the items left
 * out and why, notes on items that came across with something missing, and a one-line summary (the audit log's
 * detail).
 */
public record CrsImportReport(boolean dryRun, Map<String, Counts> counts, List<CrsSkip> skipped, List<CrsSkip> notes,
    String summary) {

  /** Items found in CRS; imported (or would be); skipped (see the list); already here from an earlier run. */
  public record Counts(int found, int imported, int skipped, int alreadyPresent) {}
}
