package dev.relaycluster.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.usage.RequestOutcome;
import dev.relaycluster.usage.UsageRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The usage spool's line format: round trips, a torn last line, corrupt lines, lines from a newer node. */
class UsageSpoolFormatTest {

  static UsageRecord record(String requestId) {
    return new UsageRecord(requestId, "key-1", "acc-1", "claude", "/v1/messages", "claude-sonnet-4-5",
        "claude-sonnet-4-5-20250929", true, 1200, 57, 20000, 1000, 2000, 3600, 855, 5250, 6000, 15705, 31410,
        "litellm-2025", false, 200, RequestOutcome.COMPLETED, null, 1_700_000_000_000L, 830, 120, 2,
        "0123456789abcdef", "claude-cli/2.0.14 (external, cli)\n\"quoted\"", "claude-code", "2.0.14", 95, 1.0, 2.0);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void aWaitingRecordAndALandedIdRoundTrip() {
    SpooledUsage item = new SpooledUsage("req-1", record("req-1"), 1_700_000_001_000L);
    byte[] waiting = UsageSpoolFormat.waiting(item);
    byte[] landed = UsageSpoolFormat.landed("req-1");
    assertEquals('\n', waiting[waiting.length - 1]);
    assertEquals(1, count(waiting, (byte) '\n'), "one record is one line, even with a line break in a field");
    assertTrue(new String(waiting, StandardCharsets.UTF_8).startsWith("U "));
    assertTrue(new String(landed, StandardCharsets.UTF_8).startsWith("L "));

    UsageSpoolFormat.Contents contents = UsageSpoolFormat.read(concat(waiting, landed));
    assertEquals(List.of(new UsageSpoolFormat.Line(item, null), new UsageSpoolFormat.Line(null, "req-1")),
        contents.lines());
    assertEquals(0, contents.corrupt());
    assertFalse(contents.torn(waiting.length + landed.length));
  }

  @Test
  void recordsWithoutTheLaterFieldsRoundTripWithTheirNulls() {
    UsageRecord old = new UsageRecord("req-old", "key-1", null, "claude", "/v1/messages", "m", null, false, 1, 2, 0,
        0, 0, 1, 2, 0, 0, 3, 3, "v", true, 502, RequestOutcome.UPSTREAM_FAILED, "api_error", 1L, 2L, -1L, 3, null,
        null, "unknown", null);
    SpooledUsage item = new SpooledUsage(null, old, 5L);
    assertEquals(List.of(new UsageSpoolFormat.Line(item, null)),
        UsageSpoolFormat.read(UsageSpoolFormat.waiting(item)).lines());
  }

  /** {@code r} with the given dialects. */
  static UsageRecord withDialects(UsageRecord r, String client, String upstream) {
    return new UsageRecord(r.requestId(), r.keyId(), r.accountId(), r.platform(), r.endpoint(), r.model(),
        r.servedModel(), r.stream(), r.inputTokens(), r.outputTokens(), r.cacheReadTokens(), r.cacheWrite5mTokens(),
        r.cacheWrite1hTokens(), r.inputCostMicros(), r.outputCostMicros(), r.cacheWriteCostMicros(),
        r.cacheReadCostMicros(), r.costMicros(), r.ratedCostMicros(), r.priceVersion(), r.priceFallback(), r.status(),
        r.outcome(), r.errorType(), r.startedAt(), r.durationMs(), r.firstByteMs(), r.attempts(), r.sessionHash(),
        r.userAgent(), r.client(), r.clientVersion(), r.upstreamLatencyMs(), r.accountPriceMultiplier(),
        r.serviceRate(), client, upstream);
  }

  @Test
  void theDialectsRoundTripAndALineFromBeforeThemReadsWithNulls() {
    UsageRecord converted = withDialects(record("req-conv"), "openai-chat", "openai-responses");
    SpooledUsage item = new SpooledUsage("req-conv", converted, 9L);
    byte[] bytes = UsageSpoolFormat.waiting(item);
    String text = new String(bytes, StandardCharsets.UTF_8);
    String fields = ",\"clientDialect\":\"openai-chat\",\"upstreamDialect\":\"openai-responses\"";
    assertTrue(text.endsWith(fields + ",\"route\":null}}\n"), text);
    UsageSpoolFormat.Line read = UsageSpoolFormat.read(bytes).lines().get(0);
    assertEquals(item, read.waiting());
    assertEquals("openai-chat", read.waiting().usage().clientDialect());
    assertEquals("openai-responses", read.waiting().usage().upstreamDialect());

    // The same line as a node from before the dialects wrote it.
    String old = text.substring(11, text.length() - 1).replace(fields, "");
    UsageRecord before = UsageSpoolFormat.decode(line('U', old)).waiting().usage();
    assertNull(before.clientDialect());
    assertNull(before.upstreamDialect());
    assertEquals(withDialects(converted, null, null), before, "every other field as written");
  }

  @Test
  void aTornLastLineIsSkippedAndTheCompleteBytesEndBeforeIt() {
    byte[] first = UsageSpoolFormat.waiting(new SpooledUsage("a", record("a"), 1));
    byte[] second = UsageSpoolFormat.waiting(new SpooledUsage("b", record("b"), 2));
    byte[] third = UsageSpoolFormat.waiting(new SpooledUsage("c", record("c"), 3));
    // A crash while the third line was written: everything but its last few bytes reached the disk.
    byte[] torn = Arrays.copyOf(third, third.length - 5);
    byte[] file = concat(first, second, torn);

    UsageSpoolFormat.Contents contents = UsageSpoolFormat.read(file);
    assertEquals(List.of("a", "b"), contents.lines().stream().map(l -> l.waiting().requestId()).toList());
    assertEquals(first.length + second.length, contents.completeBytes());
    assertTrue(contents.torn(file.length));
    assertEquals(0, contents.corrupt(), "a torn line is not counted as corrupt: it was never complete");

    // Even a torn line that lacks only its line break is not taken.
    byte[] noBreak = concat(first, Arrays.copyOf(second, second.length - 1));
    UsageSpoolFormat.Contents c2 = UsageSpoolFormat.read(noBreak);
    assertEquals(1, c2.lines().size());
    assertEquals(first.length, c2.completeBytes());
  }

  @Test
  void aCorruptLineIsSkippedAndTheLinesAfterItStillRead() {
    byte[] first = UsageSpoolFormat.waiting(new SpooledUsage("a", record("a"), 1));
    byte[] second = UsageSpoolFormat.waiting(new SpooledUsage("b", record("b"), 2));
    byte[] third = UsageSpoolFormat.landed("a");
    byte[] damaged = second.clone();
    int at = new String(damaged, StandardCharsets.UTF_8).indexOf("\"inputTokens\":1200") + 15;
    damaged[at] = '9';
    UsageSpoolFormat.Contents contents = UsageSpoolFormat.read(concat(first, damaged, third));
    assertEquals(1, contents.corrupt());
    assertEquals(2, contents.lines().size());
    assertEquals("a", contents.lines().get(0).waiting().requestId());
    assertEquals("a", contents.lines().get(1).landed());
  }

  @Test
  void malformedLinesAreNotDecoded() {
    String good = new String(UsageSpoolFormat.landed("r"), StandardCharsets.UTF_8).strip();
    assertEquals("r", UsageSpoolFormat.decode(good).landed());
    assertNull(UsageSpoolFormat.decode(""));
    assertNull(UsageSpoolFormat.decode("L 00000000 {\"requestId\":\"r\"}"), "wrong checksum");
    assertNull(UsageSpoolFormat.decode("U" + good.substring(1)), "the kind letter is covered by the checksum");
    assertNull(UsageSpoolFormat.decode(line('X', "{\"requestId\":\"r\"}")), "unknown kind");
    assertNull(UsageSpoolFormat.decode(line('L', "{\"other\":1}")), "a landed line without its id");
    assertNull(UsageSpoolFormat.decode(line('U', "{\"leaseId\":\"x\"}")), "a waiting line without its record");
    assertNull(UsageSpoolFormat.decode(line('L', "{not json")));
  }

  @Test
  void fieldsANewerNodeAddedAreIgnored() {
    String json = "{\"spooledAt\":7,\"leaseId\":\"r\",\"future\":true,\"usage\":{\"requestId\":\"r\",\"keyId\":\"k\","
        + "\"outcome\":\"COMPLETED\",\"costMicros\":42,\"someNewField\":\"x\"}}";
    UsageSpoolFormat.Line line = UsageSpoolFormat.decode(line('U', json));
    assertEquals("r", line.waiting().requestId());
    assertEquals("k", line.waiting().keyId());
    assertEquals(42, line.waiting().usage().costMicros());
    assertEquals(7, line.waiting().spooledAt());
  }

  @Test
  void theChecksumIsCrc32cOfKindSpaceAndJson() {
    byte[] bytes = UsageSpoolFormat.landed("req-9");
    String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
    assertArrayEquals(bytes, (line('L', text.substring(11)) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** A line built independently of the format class. */
  private static String line(char kind, String json) {
    CRC32C crc = new CRC32C();
    crc.update((kind + " " + json).getBytes(StandardCharsets.UTF_8));
    return kind + " " + String.format(Locale.ROOT, "%08x", crc.getValue()) + " " + json;
  }

  private static int count(byte[] bytes, byte b) {
    int n = 0;
    for (byte x : bytes) {
      n += x == b ? 1 : 0;
    }
    return n;
  }
}
