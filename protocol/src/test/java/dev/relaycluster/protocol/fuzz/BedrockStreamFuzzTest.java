package dev.relaycluster.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.bedrock.BedrockEventStream;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.util.Json;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Coverage-guided fuzzing of the Bedrock event-stream reframer ({@code application/vnd.amazon.eventstream} to
 * Anthropic SSE). The first input byte picks the mode (even: the rest is raw wire bytes; odd: each line of the
 * rest is one frame's content, made into a well-formed frame with good checksums, so the fuzzer reaches what
 * follows the decoder: a line {@code !type message} is an exception frame, {@code ?code message} an error
 * frame, anything else a chunk whose base64 payload is the line) and seeds where the wire is cut. Nothing may
 * be thrown; the output, whole or in pieces, must be the same SSE whose every event's data is one JSON object
 * of the event's type; and no error text may name an internal.
 */
class BedrockStreamFuzzTest {

  static Stream<byte[]> seeds() {
    String events = String.join("\n",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"usage\":{\"input_tokens\":3,"
            + "\"output_tokens\":1}}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi ü\"}}",
        "{\"type\":\"content_block_stop\",\"index\":0}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":4}}",
        "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":3}}");
    List<byte[]> all = new ArrayList<>();
    all.add(Internals.seed(1, events));
    all.add(Internals.seed(3, events.substring(0, 200) + "\n!throttlingException Too many requests"));
    all.add(Internals.seed(5, "?500 internal"));
    all.add(Internals.seed(0, frames(events)));
    return all.stream();
  }

  @MethodSource("seeds")
  @FuzzTest(maxExecutions = FuzzBudget.EXECUTIONS, maxDuration = FuzzBudget.DURATION)
  void reframesOrEndsInAnErrorEvent(byte[] input) {
    int selector = Internals.selector(input);
    byte[] rest = Internals.rest(input);
    byte[] wire = selector % 2 == 0 ? rest : frames(new String(rest, StandardCharsets.UTF_8));
    String whole = reframe(wire, null);
    String inPieces = reframe(wire, new SplittableRandom(selector));
    if (!whole.equals(inPieces)) {
      throw new AssertionError("in pieces the SSE differs:\n" + whole + "\n---\n" + inPieces);
    }
    byte[] sse = whole.getBytes(StandardCharsets.UTF_8);
    SseDecoder decoder = new SseDecoder();
    List<SseEvent> events = decoder.feed(sse, 0, sse.length);
    if (!decoder.atEventBoundary() || events.isEmpty()) {
      throw new AssertionError("the output is not whole SSE events: " + whole);
    }
    // What upstream sent is passed on as it is (base64-decoded); only the reframer's own error text is judged.
    StringBuilder carried = new StringBuilder(new String(input, StandardCharsets.UTF_8));
    for (SseEvent e : events) {
      JsonNode data = Json.tryParse(e.data().getBytes(StandardCharsets.UTF_8)).orElse(null);
      if (data == null || !data.isObject() || !data.path("type").asText("").equals(e.event())) {
        throw new AssertionError("event '" + e.event() + "' does not carry one JSON object of its type: " + e.data());
      }
      if (!"error".equals(e.event())) {
        carried.append('\n').append(e.data());
      }
    }
    for (SseEvent e : events) {
      if ("error".equals(e.event())) {
        String message = Json.tryParse(e.data().getBytes(StandardCharsets.UTF_8)).orElseThrow().path("error")
            .path("message").asText("");
        Internals.assertClean("the error event's message", message, carried.toString());
      }
    }
  }

  private static String reframe(byte[] wire, SplittableRandom random) {
    BedrockEventStream reframer = new BedrockEventStream("claude-sonnet-4-5");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < wire.length; ) {
      int n = random == null ? wire.length : Math.min(wire.length - i, 1 + random.nextInt(48));
      out.writeBytes(reframer.feed(ByteBuffer.wrap(wire, i, n)));
      i += n;
    }
    out.writeBytes(reframer.end());
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Each line as one well-formed frame (see the class comment). */
  static byte[] frames(String lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String line : lines.split("\n", -1)) {
      Map<String, HeaderValue> headers = new LinkedHashMap<>();
      byte[] payload;
      if (line.startsWith("!") || line.startsWith("?")) {
        int space = line.indexOf(' ');
        String name = space < 0 ? line.substring(1) : line.substring(1, space);
        String message = space < 0 ? "" : line.substring(space + 1);
        if (line.startsWith("!")) {
          put(headers, ":exception-type", name);
          headers.put(":message-type", HeaderValue.fromString("exception"));
          payload = ("{\"message\":" + Json.mapper().valueToTree(message) + "}").getBytes(StandardCharsets.UTF_8);
        } else {
          put(headers, ":error-code", name);
          put(headers, ":error-message", message);
          headers.put(":message-type", HeaderValue.fromString("error"));
          payload = new byte[0];
        }
      } else {
        headers.put(":event-type", HeaderValue.fromString("chunk"));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        payload = ("{\"bytes\":\"" + Base64.getEncoder().encodeToString(line.getBytes(StandardCharsets.UTF_8))
            + "\",\"p\":\"abc\"}").getBytes(StandardCharsets.UTF_8);
      }
      new Message(headers, payload).encode(out);
    }
    return out.toByteArray();
  }

  /** A string header, left out when empty (the event-stream format has no empty string header). */
  private static void put(Map<String, HeaderValue> headers, String name, String value) {
    if (!value.isEmpty()) {
      headers.put(name, HeaderValue.fromString(value));
    }
  }
}
