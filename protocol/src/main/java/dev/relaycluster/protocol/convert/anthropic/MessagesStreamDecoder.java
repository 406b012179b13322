package dev.relaycluster.protocol.convert.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.StreamDecoder;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.sse.SseFormatException;
import dev.relaycluster.protocol.util.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a Messages API stream (message_start, content_block_start/delta/stop, message_delta,
 * message_stop, ping, error) into answer events. Blocks of types the model does not know (server tool
 * calls and results) are skipped with their deltas. Usage in message_delta is cumulative; the final usage
 * goes out at message_stop, just before Finished.
 */
final class MessagesStreamDecoder implements StreamDecoder {
  private final SseDecoder sse = new SseDecoder();
  /** Indexes of blocks whose deltas are passed on. */
  private final Set<Integer> open = new HashSet<>();
  private AnswerUsage usage = AnswerUsage.ZERO;
  private String stopReason;
  private String stopSequence;
  private boolean done;

  @Override
  public void feed(ByteBuffer chunk, Consumer<AnswerEvent> out) {
    if (done) {
      return;
    }
    java.util.List<SseEvent> events;
    try {
      events = sse.feed(chunk);
    } catch (SseFormatException e) {
      done = true;
      out.accept(new AnswerEvent.Failed(ErrorKind.API_ERROR, "upstream sent an event stream that cannot be read"));
      return;
    }
    for (SseEvent event : events) {
      if (!done) {
        onEvent(event, out);
      }
    }
  }

  @Override
  public void end(Consumer<AnswerEvent> out) {
    sse.finish();
  }

  private void onEvent(SseEvent event, Consumer<AnswerEvent> out) {
    String type = event.event() != null ? event.event() : Json.topLevelType(event.data());
    if (type == null || type.equals("ping")) {
      return;
    }
    JsonNode data = Json.tryParse(event.data()).orElse(null);
    if (data == null || !data.isObject()) {
      done = true;
      out.accept(new AnswerEvent.Failed(ErrorKind.API_ERROR, "upstream sent an event that is not JSON: " + type));
      return;
    }
    switch (type) {
      case "message_start" -> {
        JsonNode message = data.path("message");
        usage = AnthropicWire.usage(message.get("usage"));
        out.accept(new AnswerEvent.Started(Json.text(message, "id"), Json.text(message, "model")));
        out.accept(new AnswerEvent.UsageUpdate(usage));
      }
      case "content_block_start" -> blockStart(data.path("index").asInt(-1), data.path("content_block"), out);
      case "content_block_delta" -> {
        if (open.contains(data.path("index").asInt(-1))) {
          delta(data.path("delta"), out);
        }
      }
      case "message_delta" -> messageDelta(data);
      case "message_stop" -> {
        done = true;
        out.accept(new AnswerEvent.UsageUpdate(usage));
        out.accept(new AnswerEvent.Finished(AnthropicWire.stopReason(stopReason), stopSequence));
      }
      case "error" -> {
        done = true;
        JsonNode error = data.path("error");
        String message = Json.text(error, "message");
        out.accept(new AnswerEvent.Failed(AnthropicWire.errorKind(Json.text(error, "type")),
            message == null ? "upstream error" : message));
      }
      default -> {
        // content_block_stop and unknown events carry nothing the model needs
      }
    }
  }

  private void blockStart(int index, JsonNode block, Consumer<AnswerEvent> out) {
    String type = Json.text(block, "type");
    if (type == null) {
      return;
    }
    switch (type) {
      case "text" -> {
        out.accept(new AnswerEvent.TextStarted());
        String text = Json.text(block, "text");
        if (text != null && !text.isEmpty()) {
          out.accept(new AnswerEvent.TextDelta(text));
        }
      }
      case "thinking" -> {
        out.accept(new AnswerEvent.ReasoningStarted(false));
        String text = Json.text(block, "thinking");
        if (text != null && !text.isEmpty()) {
          out.accept(new AnswerEvent.ReasoningDelta(text));
        }
        String signature = Json.text(block, "signature");
        if (signature != null && !signature.isEmpty()) {
          out.accept(new AnswerEvent.ReasoningSignature(signature, AnthropicWire.ORIGIN));
        }
      }
      case "redacted_thinking" -> {
        out.accept(new AnswerEvent.ReasoningStarted(true));
        out.accept(new AnswerEvent.ReasoningSignature(Json.text(block, "data"), AnthropicWire.ORIGIN));
      }
      case "tool_use" -> {
        out.accept(new AnswerEvent.ToolCallStarted(Json.text(block, "id"), Json.text(block, "name"), null));
        JsonNode input = block.get("input");
        if (input != null && input.isObject() && !input.isEmpty()) {
          out.accept(new AnswerEvent.ToolArgumentsDelta(new String(Json.write(input), StandardCharsets.UTF_8)));
        }
      }
      default -> {
        return;
      }
    }
    open.add(index);
  }

  private static void delta(JsonNode delta, Consumer<AnswerEvent> out) {
    String type = Json.text(delta, "type");
    if (type == null) {
      return;
    }
    switch (type) {
      case "text_delta" -> emitText(Json.text(delta, "text"), out, false);
      case "thinking_delta" -> emitText(Json.text(delta, "thinking"), out, true);
      case "signature_delta" -> {
        String signature = Json.text(delta, "signature");
        if (signature != null && !signature.isEmpty()) {
          out.accept(new AnswerEvent.ReasoningSignature(signature, AnthropicWire.ORIGIN));
        }
      }
      case "input_json_delta" -> {
        String json = Json.text(delta, "partial_json");
        if (json != null && !json.isEmpty()) {
          out.accept(new AnswerEvent.ToolArgumentsDelta(json));
        }
      }
      default -> {
        // citations_delta and unknown deltas are not carried
      }
    }
  }

  private static void emitText(String text, Consumer<AnswerEvent> out, boolean reasoning) {
    if (text != null && !text.isEmpty()) {
      out.accept(reasoning ? new AnswerEvent.ReasoningDelta(text) : new AnswerEvent.TextDelta(text));
    }
  }

  private void messageDelta(JsonNode data) {
    JsonNode delta = data.path("delta");
    if (Json.text(delta, "stop_reason") != null) {
      stopReason = Json.text(delta, "stop_reason");
    }
    if (Json.text(delta, "stop_sequence") != null) {
      stopSequence = Json.text(delta, "stop_sequence");
    }
    JsonNode u = data.get("usage");
    if (u != null && u.isObject()) {
      usage = new AnswerUsage(
          u.hasNonNull("input_tokens") ? Json.count(u, "input_tokens") : usage.input(),
          u.hasNonNull("cache_read_input_tokens") ? Json.count(u, "cache_read_input_tokens") : usage.cacheRead(),
          u.hasNonNull("cache_creation_input_tokens") ? Json.count(u, "cache_creation_input_tokens")
              : usage.cacheWrite(),
          u.hasNonNull("output_tokens") ? Json.count(u, "output_tokens") : usage.output(), 0);
    }
  }
}
