package dev.relaycluster.protocol.gemini;

import static dev.relaycluster.protocol.testing.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.AnswerFraming;
import dev.relaycluster.protocol.dialect.StreamReframer;
import dev.relaycluster.protocol.util.Json;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GeminiFramingTest {
  static final String ERROR = "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\","
      + "\"status\":\"RESOURCE_EXHAUSTED\"}}";

  @Test
  void nothingToDoIsIdentity() {
    assertSame(AnswerFraming.IDENTITY, GeminiFraming.of(false, false, false));
    assertFalse(GeminiFraming.of(true, false, false).identity());
    assertFalse(GeminiFraming.of(false, false, true).identity());
    assertEquals("application/json", GeminiFraming.of(true, false, true).streamContentType());
    assertNull(GeminiFraming.of(true, false, false).streamContentType());
  }

  @Test
  void unwrappedStreamIsThePublicStreamAtEverySplit() throws Exception {
    byte[] ca = GeminiUsageTapTest.codeAssistStream();
    AnswerFraming framing = GeminiFraming.of(true, false, false);
    byte[] whole = run(framing.newStream(), ca, ca.length);
    for (int i = 0; i <= ca.length; i++) {
      assertArrayEquals(whole, run(framing.newStream(), ca, i), "split at " + i);
    }
    String text = new String(whole, StandardCharsets.UTF_8);
    String[] events = text.split("\r\n\r\n");
    assertEquals(3, events.length);
    assertTrue(text.endsWith("\r\n\r\n"));
    JsonNode last = Json.parse(utf8(events[2].substring("data: ".length())));
    assertEquals("c0ffee12ab34cd56", last.path("responseId").textValue());
    assertEquals("STOP", last.path("candidates").path(0).path("finishReason").textValue());
    assertFalse(last.has("response"));
    GeminiUsageTap tap = new GeminiUsageTap();
    tap.feed(ByteBuffer.wrap(whole));
    assertEquals(GeminiUsageTapTest.EXPECTED, tap.usage());
    assertTrue(tap.sawEnd());
  }

  @Test
  void wrapThenUnwrapGivesTheSameEvents() throws Exception {
    byte[] pub = GeminiUsageTapTest.publicStream();
    byte[] wrapped = run(GeminiFraming.of(false, true, false).newStream(), pub, 100);
    assertTrue(new String(wrapped, StandardCharsets.UTF_8).startsWith("data: {\"response\":{"));
    byte[] back = run(GeminiFraming.of(true, false, false).newStream(), wrapped, 37);
    String[] original = new String(pub, StandardCharsets.UTF_8).split("\r\n\r\n");
    String[] roundTrip = new String(back, StandardCharsets.UTF_8).split("\r\n\r\n");
    assertEquals(original.length, roundTrip.length);
    for (int i = 0; i < original.length; i++) {
      assertEquals(Json.parse(utf8(original[i].substring(6))), Json.parse(utf8(roundTrip[i].substring(6))));
    }
  }

  @Test
  void jsonArrayModeAtEverySplitParsesAsOneArray() throws Exception {
    byte[] ca = GeminiUsageTapTest.codeAssistStream();
    AnswerFraming framing = GeminiFraming.of(true, false, true);
    byte[] whole = run(framing.newStream(), ca, ca.length);
    for (int i = 0; i <= ca.length; i++) {
      assertArrayEquals(whole, run(framing.newStream(), ca, i), "split at " + i);
    }
    String text = new String(whole, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("[{\"candidates\""), text);
    assertTrue(text.contains("}\r\n,\r\n{") || text.contains("},\r\n{"), text);
    JsonNode array = Json.parse(whole);
    assertTrue(array.isArray());
    assertEquals(3, array.size());
    assertEquals("c0ffee12ab34cd56", array.path(0).path("responseId").textValue());
    assertEquals("gemini-2.5-pro", array.path(2).path("modelVersion").textValue());
  }

  @Test
  void jsonArrayWithoutEnvelopeChangeKeepsEachEventAsItCame() throws Exception {
    byte[] pub = GeminiUsageTapTest.publicStream();
    byte[] out = run(GeminiFraming.of(false, false, true).newStream(), pub, 64);
    JsonNode array = Json.parse(out);
    String[] events = new String(pub, StandardCharsets.UTF_8).split("\r\n\r\n");
    assertEquals(events.length, array.size());
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals("[" + events[0].substring(6) + ",\r\n" + events[1].substring(6) + ",\r\n" + events[2].substring(6)
        + "]", text, "elements are passed byte for byte");
  }

  @Test
  void emptyStreamIsAnEmptyArray() throws Exception {
    StreamReframer r = GeminiFraming.of(false, false, true).newStream();
    assertEquals(0, r.feed(ByteBuffer.wrap(utf8(": keep-alive\r\n\r\n"))).length);
    assertEquals("[]", new String(r.end(), StandardCharsets.UTF_8));
    assertEquals(0, r.end().length, "end is said once");
    assertEquals(0, GeminiFraming.of(true, false, false).newStream().end().length);
  }

  @Test
  void errorEventsPassUnchanged() throws Exception {
    String stream = "data: {\"response\":{\"candidates\":[]},\"traceId\":\"t\"}\r\n\r\ndata: " + ERROR + "\r\n\r\n";
    String sse = new String(run(GeminiFraming.of(true, false, false).newStream(), utf8(stream), 9),
        StandardCharsets.UTF_8);
    assertTrue(sse.endsWith("data: " + ERROR + "\r\n\r\n"), sse);
    String wrapped = new String(run(GeminiFraming.of(false, true, false).newStream(),
        utf8("data: " + ERROR + "\n\n"), 5), StandardCharsets.UTF_8);
    assertEquals("data: " + ERROR + "\r\n\r\n", wrapped);
    byte[] array = run(GeminiFraming.of(true, false, true).newStream(), utf8(stream), 20);
    assertEquals(Json.parse(utf8(ERROR)), Json.parse(array).path(1));
  }

  @Test
  void anEventCutOffUpstreamIsDroppedNotSent() throws Exception {
    // The relay ends a partial event with a blank line before its own error event; what was cut off is no JSON.
    String stream = "data: {\"response\":{\"candidates\":[]},\"traceId\":\"t\"}\r\n\r\ndata: {\"response\":{\"cand"
        + "\n\n" + "data: " + ERROR + "\r\n\r\n";
    byte[] array = run(GeminiFraming.of(true, false, true).newStream(), utf8(stream), 11);
    JsonNode parsed = Json.parse(array);
    assertEquals(2, parsed.size());
    String sse = new String(run(GeminiFraming.of(true, false, false).newStream(), utf8(stream), 11),
        StandardCharsets.UTF_8);
    assertFalse(sse.contains("cand\r\n"), sse);
    assertEquals(2, sse.split("\r\n\r\n").length);
  }

  @Test
  void multiLineDataStaysOneEvent() {
    String stream = "data: {\"error\":\ndata: {\"code\":500}}\n\n";
    String out = new String(run(GeminiFraming.of(false, true, false).newStream(), utf8(stream), 3),
        StandardCharsets.UTF_8);
    assertEquals("data: {\"error\":\r\ndata: {\"code\":500}}\r\n\r\n", out);
  }

  @Test
  void wholeAnswers() throws Exception {
    byte[] ca = utf8("{\"response\":{\"candidates\":[{\"finishReason\":\"STOP\"}],\"modelVersion\":\"gemini-2.5-pro\"},"
        + "\"traceId\":\"t1\"}");
    JsonNode unwrapped = Json.parse(GeminiFraming.of(true, false, false).whole(ca));
    assertEquals("t1", unwrapped.path("responseId").textValue());
    JsonNode wrapped = Json.parse(GeminiFraming.of(false, true, false).whole(Json.write(unwrapped)));
    assertEquals(unwrapped, wrapped.path("response"));
    byte[] error = utf8(ERROR);
    assertArrayEquals(error, GeminiFraming.of(true, false, false).whole(error));
    byte[] count = utf8("{\"totalTokens\":7}");
    assertArrayEquals(count, GeminiFraming.of(false, true, false).whole(count));
    assertArrayEquals(ca, GeminiFraming.of(false, false, true).whole(ca), "a whole answer is no array");
  }

  /** Feeds {@code bytes} in two pieces split at {@code split}, then ends the stream; returns all output. */
  static byte[] run(StreamReframer r, byte[] bytes, int split) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int cut = Math.min(split, bytes.length);
    out.writeBytes(r.feed(ByteBuffer.wrap(bytes, 0, cut)));
    out.writeBytes(r.feed(ByteBuffer.wrap(bytes, cut, bytes.length - cut)));
    out.writeBytes(r.end());
    return out.toByteArray();
  }
}
