package dev.relaycluster.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.pricing.PriceTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceBookTest {

  private static RelaySettings.Pricing settings(Path file) {
    return new RelaySettings.Pricing(file == null ? "" : file.toString(), Map.of(), "claude-sonnet-4-5",
        Duration.ofSeconds(1));
  }

  private static void write(Path f, String json, long mtimeSeconds) throws Exception {
    Files.writeString(f, json);
    Files.setLastModifiedTime(f, FileTime.fromMillis(mtimeSeconds * 1000));
  }

  @Test
  void withoutAFileTheBundledTableIsUsed() {
    PriceBook book = PriceBook.load(settings(null));
    assertEquals(PriceTable.bundled().version(), book.current().version());
    assertNull(book.reloadIfChanged());
  }

  @Test
  void aChangedFileIsMergedOverTheBundledTableAndABrokenOneKeepsThePrevious(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("prices.json");
    write(f, "{\"acme-coder-1\": {\"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 4e-06}}", 1000);
    PriceBook book = PriceBook.load(settings(f));
    String first = book.current().version();
    assertNotEquals(PriceTable.bundled().version(), first);
    assertTrue(book.current().find("acme-coder-1").isPresent());
    assertTrue(book.current().find("claude-sonnet-4-5").isPresent(), "bundled models stay");

    write(f, "{\"acme-coder-1\": {\"input_cost_per_token\": 2e-06}}", 2000);
    assertNull(book.reloadIfChanged());
    String second = book.current().version();
    assertNotEquals(first, second);
    assertEquals(2_000_000L, book.current().find("acme-coder-1").orElseThrow().inputPico());

    write(f, "{\"acme-coder-1\": {\"input_cost_per_token\": ", 3000);
    assertNotNull(book.reloadIfChanged(), "a broken file is reported");
    assertEquals(second, book.current().version(), "and the previous table kept");

    write(f, "[1, 2]", 4000);
    assertNotNull(book.reloadIfChanged());
    assertEquals(second, book.current().version());

    Files.delete(f);
    assertNotNull(book.reloadIfChanged());
    assertEquals(second, book.current().version());
  }

  @Test
  void aBrokenFileStopsTheStart(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("prices.json");
    write(f, "not json", 1000);
    assertThrows(IllegalStateException.class, () -> PriceBook.load(settings(f)));
    assertThrows(IllegalStateException.class, () -> PriceBook.load(settings(dir.resolve("missing.json"))));
  }
}
