package dev.relaycluster.protocol.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.anthropic.AnthropicErrors;
import dev.relaycluster.protocol.dialect.StreamReframer;
import dev.relaycluster.protocol.util.Json;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * Bedrock's binary event stream ({@code application/vnd.amazon.eventstream}) as the Anthropic SSE stream the
 * client asked for, event for event: each {@code chunk} frame carries one Anthropic stream event, base64 in
 * its {@code {"bytes"}} payload, re-sent as {@code event: <type>\ndata: <json>\n\n}. {@code message_start}
 * names the model as the client asked for it; {@code message_stop} loses Bedrock's
 * {@code amazon-bedrock-invocationMetrics} (the usage is in {@code message_start} and {@code message_delta}).
 * An exception frame, a frame whose checksum fails, or a stream that ends before {@code message_stop} becomes
 * an Anthropic {@code error} event, and nothing after it is sent. Frames may arrive split anywhere.
 */
public final class BedrockEventStream implements StreamReframer {
  static final String METRICS = "amazon-bedrock-invocationMetrics";

  private final String clientModel;
  private final MessageDecoder decoder = new MessageDecoder(this::onMessage);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private boolean stopped;
  private boolean failed;

  /** @param clientModel the model as the client named it, or null to leave upstream's */
  public BedrockEventStream(String clientModel) {
    this.clientModel = clientModel;
  }

  @Override
  public byte[] feed(ByteBuffer chunk) {
    if (failed) {
      return new byte[0];
    }
    try {
      decoder.feed(chunk.duplicate());
    } catch (RuntimeException e) {
      // A checksum that does not add up or a frame that cannot be read: nothing after it can be trusted.
      fail("api_error", "the Bedrock event stream could not be read: " + e.getMessage());
    }
    return drain();
  }

  @Override
  public byte[] end() {
    if (!failed && !stopped) {
      fail("api_error", "the Bedrock event stream ended before message_stop");
    }
    return drain();
  }

  private byte[] drain() {
    byte[] bytes = out.toByteArray();
    out.reset();
    return bytes;
  }

  private void onMessage(Message message) {
    if (failed) {
      return;
    }
    Map<String, HeaderValue> headers = message.getHeaders();
    String messageType = header(headers, ":message-type");
    if ("exception".equals(messageType)) {
      String exception = header(headers, ":exception-type");
      String text = BedrockAnswers.message(message.getPayload());
      fail(BedrockAnswers.streamErrorType(exception), (exception == null ? "Bedrock error" : exception)
          + (text.isEmpty() ? "" : ": " + text));
      return;
    }
    if ("error".equals(messageType)) {
      fail("api_error", "Bedrock stream error " + header(headers, ":error-code") + ": "
          + header(headers, ":error-message"));
      return;
    }
    if (!"event".equals(messageType) || !"chunk".equals(header(headers, ":event-type"))) {
      return;
    }
    JsonNode payload = Json.tryParse(message.getPayload()).orElse(null);
    String b64 = payload == null ? null : payload.path("bytes").asText(null);
    if (b64 == null) {
      return;
    }
    byte[] eventJson;
    try {
      eventJson = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      fail("api_error", "a Bedrock stream chunk was not base64");
      return;
    }
    JsonNode event = Json.tryParse(eventJson).orElse(null);
    if (!(event instanceof ObjectNode object)) {
      fail("api_error", "a Bedrock stream chunk was not a JSON event");
      return;
    }
    String type = object.path("type").asText("");
    if (type.indexOf('\n') >= 0 || type.indexOf('\r') >= 0) {
      // It would end the SSE line it is written on.
      fail("api_error", "a Bedrock stream chunk had no usable event type");
      return;
    }
    if (type.equals("message_start") && clientModel != null && object.get("message") instanceof ObjectNode m
        && m.has("model")) {
      m.put("model", clientModel);
      eventJson = Json.write(object);
    } else if (type.equals("message_stop") && object.has(METRICS)) {
      object.remove(METRICS);
      eventJson = Json.write(object);
    } else if (hasLineBreak(eventJson)) {
      // JSON may have CR or LF between its tokens; on one SSE data line they would cut the event short.
      eventJson = Json.write(object);
    }
    if (type.equals("message_stop")) {
      stopped = true;
    }
    if (type.equals("error")) {
      failed = true;
    }
    write("event: " + type + "\ndata: ");
    out.writeBytes(eventJson);
    write("\n\n");
  }

  private void fail(String anthropicType, String message) {
    failed = true;
    out.writeBytes(AnthropicErrors.sseEvent(anthropicType, message));
  }

  private void write(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean hasLineBreak(byte[] json) {
    for (byte b : json) {
      if (b == '\n' || b == '\r') {
        return true;
      }
    }
    return false;
  }

  private static String header(Map<String, HeaderValue> headers, String name) {
    HeaderValue v = headers.get(name);
    return v == null ? null : v.getString();
  }
}
