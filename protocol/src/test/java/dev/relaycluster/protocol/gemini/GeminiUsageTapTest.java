package dev.relaycluster.protocol.gemini;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.testing.Fixtures;
import dev.relaycluster.protocol.usage.MessageUsage;
import dev.relaycluster.protocol.usage.TokenUsage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GeminiUsageTapTest {
  /** Last usageMetadata: prompt 12480 with 10240 cached, 57 candidate and 384 thought tokens. */
  static final TokenUsage EXPECTED = new TokenUsage(2240, 441, 10240, 0, 0);

  static byte[] publicStream() {
    return Fixtures.bytes("fixtures/gemini-stream.sse");
  }

  static byte[] codeAssistStream() {
    return Fixtures.bytes("fixtures/gemini-code-assist-stream.sse");
  }

  @Test
  void publicStreamAtEverySplit() {
    everySplit(publicStream());
  }

  @Test
  void codeAssistStreamAtEverySplit() {
    everySplit(codeAssistStream());
  }

  @Test
  void lfLineEndsAndThreeWaySplits() {
    byte[] bytes = new String(publicStream(), StandardCharsets.UTF_8).replace("\r\n", "\n")
        .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += 11) {
      int j = Math.min(bytes.length, i + 17);
      GeminiUsageTap tap = new GeminiUsageTap();
      tap.feed(ByteBuffer.wrap(bytes, 0, i));
      tap.feed(ByteBuffer.wrap(bytes, i, j - i));
      tap.feed(ByteBuffer.wrap(bytes, j, bytes.length - j));
      assertEquals(EXPECTED, tap.usage());
      assertTrue(tap.sawEnd());
    }
  }

  @Test
  void cutStreamKeepsWhatWasSeenAndHasNoEnd() {
    byte[] bytes = publicStream();
    String text = new String(bytes, StandardCharsets.UTF_8);
    int lastEvent = text.lastIndexOf("data: ");
    byte[] cut = text.substring(0, lastEvent + 40).getBytes(StandardCharsets.UTF_8);
    GeminiUsageTap tap = new GeminiUsageTap();
    tap.feed(ByteBuffer.wrap(cut));
    assertFalse(tap.sawEnd());
    assertFalse(tap.atEventBoundary());
    assertEquals(new TokenUsage(2240, 145, 10240, 0, 0), tap.usage(), "the second chunk's running totals");
    assertEquals("gemini-2.5-pro", tap.model());
  }

  @Test
  void errorEventGivesStatusAndJson() {
    String error = "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\","
        + "\"status\":\"RESOURCE_EXHAUSTED\"}}";
    String stream = new String(publicStream(), StandardCharsets.UTF_8);
    byte[] first = utf8(stream.substring(0, stream.indexOf("\r\n\r\n") + 4));
    GeminiUsageTap tap = new GeminiUsageTap();
    tap.feed(ByteBuffer.wrap(first));
    tap.feed(ByteBuffer.wrap(utf8("data: " + error + "\r\n\r\n")));
    assertEquals("RESOURCE_EXHAUSTED", tap.errorType());
    assertEquals(error, new String(tap.errorJson(), StandardCharsets.UTF_8));
    assertFalse(tap.sawEnd());
    assertTrue(tap.atEventBoundary());
  }

  @Test
  void errorWithoutStatusIsNamedByItsCode() {
    GeminiUsageTap tap = new GeminiUsageTap();
    tap.onEventJson(utf8("{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\"}}"));
    assertEquals("UNAVAILABLE", tap.errorType());
  }

  @Test
  void wholeEventsOneByOne() {
    GeminiUsageTap tap = new GeminiUsageTap();
    for (String line : new String(codeAssistStream(), StandardCharsets.UTF_8).split("\r\n\r\n")) {
      tap.onEventJson(utf8(line.substring("data: ".length())));
    }
    assertEquals(EXPECTED, tap.usage());
    assertEquals("gemini-2.5-pro", tap.model());
    assertTrue(tap.sawEnd());
    assertNull(tap.errorType());
    assertNull(tap.errorJson());
  }

  @Test
  void malformedEventIsIgnored() {
    GeminiUsageTap tap = new GeminiUsageTap();
    tap.feed(ByteBuffer.wrap(utf8("data: {\"candidates\":[{\"finishReason\":\r\n\r\n")));
    assertFalse(tap.sawEnd());
    assertEquals(TokenUsage.ZERO, tap.usage());
    assertNull(tap.model());
  }

  @Test
  void wholeAnswersOfBothShapes() {
    String publicAnswer = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},"
        + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":900,"
        + "\"candidatesTokenCount\":12,\"totalTokenCount\":1012,\"cachedContentTokenCount\":512,"
        + "\"thoughtsTokenCount\":100},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}";
    TokenUsage expected = new TokenUsage(388, 112, 512, 0, 0);
    GeminiDialect d = GeminiDialect.INSTANCE;
    assertEquals(new MessageUsage("gemini-2.5-flash", expected),
        d.wholeUsage("models/gemini-2.5-flash:generateContent", utf8(publicAnswer)));
    assertEquals(new MessageUsage("gemini-2.5-flash", expected),
        d.wholeUsage("v1internal:generateContent", utf8("{\"response\":" + publicAnswer + ",\"traceId\":\"t\"}")));
    assertEquals(new MessageUsage("gemini-2.5-flash", expected),
        d.wholeUsage("models/gemini-2.5-flash:streamGenerateContent", utf8("[" + publicAnswer + "]")));
    assertEquals(new MessageUsage(null, TokenUsage.ZERO),
        d.wholeUsage("models/gemini-2.5-flash:countTokens", utf8("{\"totalTokens\":31}")));
    assertEquals(new MessageUsage(null, TokenUsage.ZERO),
        d.wholeUsage("v1internal:loadCodeAssist", utf8("{\"cloudaicompanionProject\":\"p\"}")));
    assertEquals(new MessageUsage(null, TokenUsage.ZERO),
        d.wholeUsage("models/gemini-2.5-flash:generateContent", utf8("not json")));
  }

  @Test
  void toolUsePromptCountsAsInput() {
    GeminiUsageTap tap = new GeminiUsageTap();
    tap.onEventJson(utf8("{\"usageMetadata\":{\"promptTokenCount\":100,\"toolUsePromptTokenCount\":40,"
        + "\"candidatesTokenCount\":5}}"));
    assertEquals(new TokenUsage(140, 5, 0, 0, 0), tap.usage());
  }

  private static void everySplit(byte[] bytes) {
    for (int i = 0; i <= bytes.length; i++) {
      GeminiUsageTap tap = new GeminiUsageTap();
      tap.feed(bytes, 0, i);
      tap.feed(bytes, i, bytes.length - i);
      assertEquals(EXPECTED, tap.usage(), "split at " + i);
      assertEquals("gemini-2.5-pro", tap.model(), "split at " + i);
      assertTrue(tap.sawEnd(), "split at " + i);
      assertTrue(tap.atEventBoundary(), "split at " + i);
      assertNull(tap.errorType(), "split at " + i);
    }
  }
}
