package dev.relaycluster.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.relaycluster.apikey.KeyAccess;
import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.apikey.KeyExpiry;
import dev.relaycluster.apikey.KeyLimits;
import dev.relaycluster.apikey.KeySettings;
import dev.relaycluster.apikey.KeyStatus;
import dev.relaycluster.apikey.KeyUsage;
import dev.relaycluster.apikey.RateWindow;
import dev.relaycluster.apikey.RateWindowLimit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitLinesTest {
  private static final long NOW = 1_800_000_000_000L;
  private static final long DAY_RESET = NOW + 3_600_000;
  private static final long WEEK_RESET = NOW + 86_400_000;

  private static KeyEntry key(KeyLimits limits, KeyExpiry expiry, long activatedAt) {
    KeySettings s = new KeySettings("k", "", List.of(), limits, KeyAccess.ANY, expiry, Map.of(), Map.of());
    return new KeyEntry("id-1", "k", "hash", "cr_ab…", limits.concurrency(), KeyStatus.ACTIVE, NOW - 1000, 0, 1, s,
        activatedAt, 0);
  }

  private static KeyUsage usage(KeyEntry key, RateWindow window) {
    return new KeyUsage(key, NOW, 1, 10, 5000, window, 2_000_000, 500_000, 7_000_000, 6_000_000, 0, DAY_RESET,
        WEEK_RESET);
  }

  private static LimitLine line(List<LimitLine> lines, String name) {
    return lines.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
  }

  @Test
  void aKeyWithoutLimitsListsNone() {
    assertEquals(List.of(), LimitLines.of(usage(key(KeyLimits.NONE, KeyExpiry.NONE, 0), null)));
  }

  @Test
  void everyLimitWithWhatIsUsedWhatRemainsAndItsReset() {
    KeyLimits limits = new KeyLimits(4, new RateWindowLimit(60, 100, 200_000, 3_000_000), 5_000_000, 6_000_000,
        1_000_000, 1, 0);
    RateWindow window = new RateWindow(NOW - 60_000, 3_600_000, 30, 250_000, 1_000_000);
    List<LimitLine> lines = LimitLines.of(usage(key(limits, KeyExpiry.fixed(NOW + 10_000), 0), window));
    assertEquals(List.of("concurrency", "windowRequests", "windowTokens", "windowCost", "dailyCost",
        "weeklyOpusCost", "totalCost", "expiry"), lines.stream().map(LimitLine::name).toList());
    assertEquals(new LimitLine("concurrency", "requests", 4, 1, 3, 0, 0, 0, null), line(lines, "concurrency"));
    long windowEnd = NOW - 60_000 + 3_600_000;
    assertEquals(new LimitLine("windowRequests", "requests", 100, 30, 70, windowEnd, 60, 0, null),
        line(lines, "windowRequests"));
    assertEquals(0, line(lines, "windowTokens").remaining(), "never below zero");
    assertEquals(2_000_000, line(lines, "windowCost").remaining());
    assertEquals(new LimitLine("dailyCost", "micros", 5_000_000, 2_000_000, 3_000_000, DAY_RESET, 0, 0, null),
        line(lines, "dailyCost"));
    assertEquals(WEEK_RESET, line(lines, "weeklyOpusCost").resetsAt());
    assertEquals(500_000, line(lines, "weeklyOpusCost").remaining());
    assertEquals(new LimitLine("totalCost", "micros", 6_000_000, 7_000_000, 0, 0, 0, 0, "never-resets"),
        line(lines, "totalCost"));
    assertEquals(new LimitLine("expiry", "time", 0, 0, 0, 0, 0, NOW + 10_000, null), line(lines, "expiry"));
  }

  @Test
  void aWindowThatIsNotOpenHasNothingUsedAndNoResetYet() {
    KeyLimits limits = new KeyLimits(0, new RateWindowLimit(10, 5, 0, 0), 0, 0, 0, 1, 0);
    RateWindow over = new RateWindow(NOW - 3_600_000, 600_000, 5, 0, 0);
    for (RateWindow w : new RateWindow[] {null, over}) {
      List<LimitLine> lines = LimitLines.of(usage(key(limits, KeyExpiry.NONE, 0), w));
      assertEquals(List.of(new LimitLine("windowRequests", "requests", 5, 0, 5, 0, 10, 0, "window-not-open")), lines);
    }
  }

  @Test
  void expiryByActivationBeforeAndAfterTheFirstRequest() {
    KeyExpiry thirtyDays = KeyExpiry.activation(30L * 86_400_000);
    assertEquals(List.of(new LimitLine("expiry", "time", 30L * 86_400_000, 0, 0, 0, 0, 0, "activation-pending")),
        LimitLines.of(usage(key(KeyLimits.NONE, thirtyDays, 0), null)));
    long activated = NOW - 31L * 86_400_000;
    assertEquals(List.of(new LimitLine("expiry", "time", 0, 0, 0, 0, 0, activated + 30L * 86_400_000, "expired")),
        LimitLines.of(usage(key(KeyLimits.NONE, thirtyDays, activated), null)));
  }

  @Test
  void asJsonNothingIsNull() {
    KeyLimits limits = new KeyLimits(2, new RateWindowLimit(10, 5, 0, 0), 1_000_000, 0, 0, 1, 0);
    ArrayNode json = PortalJson.limits(LimitLines.of(usage(key(limits, KeyExpiry.activation(3_600_000), 0), null)));
    assertFalse(json.toString().contains("null"), json.toString());
    JsonNode window = json.get(1);
    assertEquals("windowRequests", window.get("name").asText());
    assertFalse(window.has("resetsAt"));
    assertEquals("window-not-open", window.get("note").asText());
    JsonNode daily = json.get(2);
    assertEquals(1_000_000, daily.get("limit").asLong());
    assertEquals(0, daily.get("remaining").asLong());
    assertTrue(daily.get("resetsAt").asText().endsWith("Z"));
    JsonNode expiry = json.get(3);
    assertEquals(3_600_000, expiry.get("afterFirstUseMillis").asLong());
    assertFalse(expiry.has("limit"));
  }
}
