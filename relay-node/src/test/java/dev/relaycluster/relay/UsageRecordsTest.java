package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.apikey.KeyEntry;
import dev.relaycluster.apikey.KeyStatus;
import dev.relaycluster.config.RelaySettings;
import dev.relaycluster.protocol.anthropic.AnthropicDialect;
import dev.relaycluster.protocol.client.ClientRecognizer;
import dev.relaycluster.protocol.pricing.PriceTable;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.usage.PriceBook;
import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.Repricing;
import dev.relaycluster.usage.UsageRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class UsageRecordsTest {
  private static final TokenUsage STREAM_USAGE = new TokenUsage(1200, 57, 20000, 1000, 2000);

  private static RelayCall call(String model, String userAgent, long startedNanos) {
    String body = "{\"model\":\"" + model + "\",\"max_tokens\":10,\"stream\":true,\"messages\":[]}";
    KeyEntry key = new KeyEntry("key-1", "k", "hash", "cr_ab", 0, KeyStatus.ACTIVE, 0, 0, 1);
    return new RelayCall("req-1", key, AnthropicDialect.INSTANCE, "claude", "messages", null, List.of(),
        ContentTypes.APPLICATION_JSON, ByteString.fromString(body),
        AnthropicDialect.INSTANCE.read("messages", body.getBytes(StandardCharsets.UTF_8), name -> null, "key-1"),
        userAgent, 1_700_000_000_000L, startedNanos);
  }

  private static UsageRecords records(double claudeRate) {
    RelaySettings.Pricing pricing = new RelaySettings.Pricing("", Map.of("claude", claudeRate), "claude-sonnet-4-5",
        Duration.ofSeconds(30));
    return new UsageRecords(PriceBook.fixed(PriceTable.bundled(), "claude-sonnet-4-5"), ClientRecognizer.standard(),
        pricing);
  }

  @Test
  void pricesWithTheAccountMultiplierAndRatesWithThePoolRate() {
    long start = System.nanoTime();
    UsageRecord u = records(1.5).record(call("claude-sonnet-4-5", "claude-cli/2.0.14 (external, cli)", start),
        "acc-1", 2, "claude-sonnet-4-5-20250929", STREAM_USAGE, 200, RequestOutcome.COMPLETED, null,
        start + 900_000_000L, start + 300_000_000L, 0.5);
    // Half of 26205 per part (see FixturePricingTest): 1800 + 428 + 7875 + 3000, exact total 13102.5 -> 13103.
    assertEquals(13_103, u.costMicros());
    assertEquals(1800, u.inputCostMicros());
    // Rated: 13103 x 1.5 = 19654.5 -> 19655.
    assertEquals(19_655, u.ratedCostMicros());
    assertEquals(0.5, u.accountPriceMultiplier());
    assertEquals(1.5, u.serviceRate());
    assertEquals(300, u.upstreamLatencyMs());
    assertEquals(900, u.firstByteMs());
    assertEquals(2, u.attempts());
    assertEquals("claude", u.pool());
    assertEquals("claude-code", u.client());
    assertEquals("2.0.14", u.clientVersion());
    assertEquals(PriceTable.bundled().version(), u.priceVersion());
    assertFalse(u.priceFallback());
    assertFalse(u.incomplete());
    assertEquals("anthropic", u.clientDialect());
    assertEquals("anthropic", u.upstreamDialect(), "not converted: the client's dialect");
  }

  @Test
  void aConvertedRequestNamesBothDialectsAndNothingElseChanges() {
    long start = System.nanoTime();
    UsageRecord u = records(1.0).record(call("claude-sonnet-4-5", null, start), "acc-1", 1, null, STREAM_USAGE, 200,
        RequestOutcome.COMPLETED, null, 0);
    UsageRecord converted = u.withUpstreamDialect("openai-responses");
    assertEquals("anthropic", converted.clientDialect());
    assertEquals("openai-responses", converted.upstreamDialect());
    assertEquals(u, converted.withUpstreamDialect("anthropic"), "every other field as it was");
  }

  @Test
  void aCutStreamIsIncompleteAndAnUnknownModelIsFlagged() {
    long start = System.nanoTime();
    UsageRecord u = records(1.0).record(call("acme-coder-1", null, start), null, 1, null,
        new TokenUsage(1000, 100, 0, 0, 0), 200, RequestOutcome.CLIENT_DISCONNECTED, null, 0);
    assertTrue(u.incomplete());
    assertTrue(u.priceFallback());
    // Priced as claude-sonnet-4-5: 1000 x 3 + 100 x 15 = 4500.
    assertEquals(4500, u.costMicros());
    assertEquals(-1, u.upstreamLatencyMs());
    assertEquals(-1, u.firstByteMs());
    assertEquals(1.0, u.accountPriceMultiplier());
  }

  @Test
  void repricingKeepsTokensMultiplierAndRate() {
    long start = System.nanoTime();
    UsageRecord u = records(2.0).record(call("claude-sonnet-4-5", null, start), "acc-1", 1,
        "claude-sonnet-4-5-20250929", STREAM_USAGE, 200, RequestOutcome.COMPLETED, null, 0, 0, 0.5);
    PriceTable dearer = PriceTable.bundled().overriddenBy(PriceTable.parse(("{\"claude-sonnet-4-5-20250929\":"
        + "{\"litellm_provider\":\"anthropic\",\"input_cost_per_token\":6e-06,\"output_cost_per_token\":1.5e-05}}")
        .getBytes(StandardCharsets.UTF_8)));
    UsageRecord r = Repricing.reprice(u, dearer, "claude-sonnet-4-5");
    // $6 input, $15 output, Claude cache defaults from input: 7.5 (5m), 12 (1h), 0.6 (read), all halved:
    // input 1200 x 3 = 3600; output 57 x 7.5 = 427.5; writes 1000 x 3.75 + 2000 x 6 = 15750; read 20000 x 0.3
    // = 6000; exact total 25777.5 -> 25778. Rated x 2 = 51556.
    assertEquals(25_778, r.costMicros());
    assertEquals(51_556, r.ratedCostMicros());
    assertEquals(dearer.version(), r.priceVersion());
    assertEquals(u.inputTokens(), r.inputTokens());
    assertEquals(u.requestId(), r.requestId());

    UsageRecord converted = Repricing.reprice(u.withUpstreamDialect("gemini"), dearer, "claude-sonnet-4-5");
    assertEquals("anthropic", converted.clientDialect());
    assertEquals("gemini", converted.upstreamDialect());
  }
}
