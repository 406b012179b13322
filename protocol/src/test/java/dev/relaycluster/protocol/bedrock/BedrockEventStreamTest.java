package dev.relaycluster.protocol.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relaycluster.protocol.anthropic.AnthropicUsageTap;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

class BedrockEventStreamTest {
  static final List<String> EVENTS = List.of(
      "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_01\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
          + "\"usage\":{\"input_tokens\":321,\"cache_creation_input_tokens\":40,\"cache_read_input_tokens\":500,"
          + "\"output_tokens\":1}}}",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello ünï 🌍\"}}",
      "{\"type\":\"content_block_stop\",\"index\":0}",
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
          + "\"usage\":{\"output_tokens\":42}}",
      "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":321,"
          + "\"outputTokenCount\":42,\"invocationLatency\":812,\"firstByteLatency\":301,"
          + "\"cacheReadInputTokenCount\":500,\"cacheWriteInputTokenCount\":40}}");

  static byte[] chunkFrame(String eventJson) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString("chunk"));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    String payload = "{\"bytes\":\"" + Base64.getEncoder().encodeToString(eventJson.getBytes(StandardCharsets.UTF_8))
        + "\",\"p\":\"abcdefghij\"}";
    return encode(new Message(headers, payload.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] exceptionFrame(String type, String message) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    return encode(new Message(headers, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] encode(Message m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.encode(out);
    return out.toByteArray();
  }

  static byte[] stream(List<String> events) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    events.forEach(e -> all.writeBytes(chunkFrame(e)));
    return all.toByteArray();
  }

  /** Feeds {@code wire} in pieces of {@code size} (the last one shorter) and ends the stream. */
  private static String reframe(byte[] wire, int size) {
    BedrockEventStream reframer = new BedrockEventStream("claude-sonnet-4-5");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < wire.length; i += size) {
      ByteBuffer piece = ByteBuffer.wrap(wire, i, Math.min(size, wire.length - i));
      int position = piece.position();
      out.writeBytes(reframer.feed(piece));
      assertEquals(position, piece.position(), "the chunk's position is not moved");
    }
    out.writeBytes(reframer.end());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static List<SseEvent> events(String sse) {
    SseDecoder decoder = new SseDecoder();
    List<SseEvent> out = new ArrayList<>(decoder.feed(ByteBuffer.wrap(sse.getBytes(StandardCharsets.UTF_8))));
    out.addAll(decoder.finish());
    return out;
  }

  @Test
  void everyEventComesOutAsAnthropicSseWhereverTheChunksBreak() {
    byte[] wire = stream(EVENTS);
    String whole = reframe(wire, wire.length);
    for (int size : new int[] {1, 2, 3, 7, 16, 64, 333}) {
      assertEquals(whole, reframe(wire, size), "chunks of " + size);
    }
    List<SseEvent> events = events(whole);
    assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop"), events.stream().map(SseEvent::event).toList());
    assertTrue(events.get(0).data().contains("\"model\":\"claude-sonnet-4-5\""), "the model as the client asked");
    assertFalse(whole.contains("invocationMetrics"));
    assertEquals(EVENTS.get(2), events.get(2).data(), "untouched events pass byte for byte");
    assertEquals("{\"type\":\"message_stop\"}", events.get(5).data());
  }

  @Test
  void theUsageTapReadsTheDecodedStreamExactly() {
    AnthropicUsageTap tap = new AnthropicUsageTap();
    tap.feed(ByteBuffer.wrap(reframe(stream(EVENTS), 5).getBytes(StandardCharsets.UTF_8)));
    assertEquals(321, tap.usage().inputTokens());
    assertEquals(42, tap.usage().outputTokens());
    assertEquals(500, tap.usage().cacheReadTokens());
    assertEquals("claude-sonnet-4-5", tap.model());
    assertTrue(tap.sawEnd());
  }

  @Test
  void anExceptionFrameBecomesAnAnthropicErrorEventAndEndsTheStream() {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(stream(EVENTS.subList(0, 3)));
    wire.writeBytes(exceptionFrame("throttlingException", "Too many tokens, please wait before trying again."));
    wire.writeBytes(chunkFrame(EVENTS.get(3)));
    String sse = reframe(wire.toByteArray(), 11);
    List<SseEvent> events = events(sse);
    assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "error"),
        events.stream().map(SseEvent::event).toList());
    assertTrue(events.get(3).data().contains("\"type\":\"rate_limit_error\""), events.get(3).data());
    assertTrue(events.get(3).data().contains("Too many tokens"), events.get(3).data());
  }

  @Test
  void aBrokenChecksumIsAnErrorNotGarbage() {
    byte[] wire = stream(EVENTS);
    byte[] first = chunkFrame(EVENTS.get(0));
    wire[first.length + 20] ^= 0x5a; // inside the second frame's headers: its message CRC no longer adds up
    List<SseEvent> events = events(reframe(wire, 9));
    assertEquals(List.of("message_start", "error"), events.stream().map(SseEvent::event).toList());
    assertTrue(events.get(1).data().contains("api_error"));
  }

  /** Found by BedrockStreamFuzzTest (its saved input crlf-in-chunk): JSON may break lines between its tokens. */
  @Test
  void aChunkWhoseJsonBreaksLinesIsStillOneEvent() {
    List<String> events = new ArrayList<>(EVENTS);
    events.add(2, "{\"type\":\"ping\",\r\n\"a\":\"x\"\n}");
    List<SseEvent> out = events(reframe(stream(events), 7));
    assertEquals("ping", out.get(2).event());
    assertEquals("{\"type\":\"ping\",\"a\":\"x\"}", out.get(2).data());
    assertEquals("message_stop", out.get(out.size() - 1).event(), "the rest of the stream still comes");

    List<SseEvent> broken = events(reframe(stream(List.of(EVENTS.get(0), "{\"type\":\"ping\\nevent: x\"}")), 5));
    assertEquals(List.of("message_start", "error"), broken.stream().map(SseEvent::event).toList(),
        "an event type with a line break ends the stream with an error, not with an injected line");
  }

  @Test
  void aStreamCutBeforeMessageStopEndsWithAnError() {
    byte[] wire = stream(EVENTS.subList(0, 5));
    byte[] cut = java.util.Arrays.copyOf(wire, wire.length - 3);
    List<SseEvent> events = events(reframe(cut, 13));
    assertEquals("error", events.get(events.size() - 1).event());
    assertEquals(4, events.size() - 1, "the cut frame is not sent");
  }

  @Test
  void aWholeAnswerNamesTheModelAsTheClientAsked() {
    BedrockFraming framing = new BedrockFraming("claude-haiku-4-5");
    String body = "{\"id\":\"msg_1\",\"type\":\"message\",\"model\":\"claude-haiku-4-5-20251001\",\"content\":[],"
        + "\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}";
    String out = new String(framing.whole(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    assertTrue(out.contains("\"model\":\"claude-haiku-4-5\""), out);
    assertTrue(out.contains("\"input_tokens\":3"));
    assertEquals("text/event-stream", framing.streamContentType());
    assertFalse(framing.identity());
  }
}
