package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvExportTest {

  @Test
  void awkwardTextSurvivesARoundTrip() {
    UsageTotals t = new UsageTotals(3, 10, 20, 30, 40, 50, 1_234_567, 2_469_134, 1, 1);
    String model = "vendor/model, \"quoted\"\nline";
    String csv = CsvExport.aggregates(List.of(
        new AggregateRow("day", 0, "2026-11-22T00:00Z", "model", model, t),
        new AggregateRow("day", 0, "2026-11-22T00:00Z", "model", "=HYPERLINK(\"x\")", t)));
    List<Map<String, String>> rows = UsageLedgerContract.parseCsv(csv);
    assertEquals(2, rows.size());
    assertEquals(model, rows.get(0).get("value"));
    assertEquals("1234567", rows.get(0).get("cost_micros"));
    assertEquals("1.234567", rows.get(0).get("cost_usd"));
    assertEquals("2.469134", rows.get(0).get("rated_cost_usd"));
    assertEquals("50", rows.get(0).get("cache_write_1h_tokens"));
    assertEquals("'=HYPERLINK(\"x\")", rows.get(1).get("value"), "no spreadsheet formulas");
  }
}
