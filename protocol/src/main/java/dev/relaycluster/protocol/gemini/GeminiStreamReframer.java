package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.dialect.StreamReframer;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Re-frames one Gemini SSE answer stream (bytes split anywhere; only the current partial event is held).
 * Each event's data JSON goes through the envelope change (an error object comes out unchanged), then out
 * either as SSE ({@code data: <json>\r\n\r\n}, as Google sends it with {@code alt=sse}) or as the next element
 * of the JSON array the public API streams without {@code alt=sse}: {@code [} and the first element, then
 * {@code ,\r\n} and each further element, and {@code ]} at the end ({@code []} when no element came).
 * An event whose data is not JSON (such as the remains of an event cut off upstream) is dropped: it could
 * not be re-framed, and in a JSON array it would spoil the whole answer.
 */
final class GeminiStreamReframer implements StreamReframer {
  private static final byte[] DATA = ascii("data: ");
  private static final byte[] CRLF = ascii("\r\n");
  private static final byte[] SEPARATOR = ascii(",\r\n");

  private final SseDecoder decoder = new SseDecoder();
  /** The change made to each answer, or null (JSON-array mode only: elements are passed as they are). */
  private final UnaryOperator<JsonNode> transform;
  private final boolean jsonArray;
  private boolean started;
  private boolean ended;

  GeminiStreamReframer(UnaryOperator<JsonNode> transform, boolean jsonArray) {
    this.transform = transform;
    this.jsonArray = jsonArray;
  }

  @Override
  public byte[] feed(ByteBuffer chunk) {
    if (ended) {
      return new byte[0];
    }
    List<SseEvent> events = decoder.feed(chunk);
    if (events.isEmpty()) {
      return new byte[0];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.remaining() + 16);
    for (SseEvent e : events) {
      String json = reframe(e.data());
      if (json != null) {
        write(out, json);
      }
    }
    return out.toByteArray();
  }

  @Override
  public byte[] end() {
    if (ended) {
      return new byte[0];
    }
    ended = true;
    decoder.finish();
    if (!jsonArray) {
      return new byte[0];
    }
    return ascii(started ? "]" : "[]");
  }

  /** The JSON to send for one event's data, or null to drop it. */
  private String reframe(String data) {
    if (data.isBlank()) {
      return null;
    }
    if (transform == null) {
      return isJson(data) ? data : null;
    }
    JsonNode node = Json.tryParse(data).orElse(null);
    if (node == null || node.isMissingNode()) {
      return null;
    }
    JsonNode changed = transform.apply(node);
    return changed == node ? data : new String(Json.write(changed), StandardCharsets.UTF_8);
  }

  private void write(ByteArrayOutputStream out, String json) {
    if (jsonArray) {
      out.writeBytes(started ? SEPARATOR : ascii("["));
      out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
      started = true;
      return;
    }
    // Data that spans lines (an unchanged multi-line event) goes out as one data line each.
    int from = 0;
    while (true) {
      int nl = json.indexOf('\n', from);
      out.writeBytes(DATA);
      out.writeBytes(json.substring(from, nl < 0 ? json.length() : nl).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(CRLF);
      if (nl < 0) {
        break;
      }
      from = nl + 1;
    }
    out.writeBytes(CRLF);
  }

  /** Whether {@code text} is exactly one JSON value (checked without building it). */
  private static boolean isJson(String text) {
    try (JsonParser p = Json.mapper().getFactory().createParser(text)) {
      if (p.nextToken() == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
