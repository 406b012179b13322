package dev.relaycluster.protocol.convert.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.StreamDecoder;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.util.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A Responses SSE stream (api.openai.com, chatgpt.com/backend-api/codex) read into {@link AnswerEvent}s.
 * Output items are taken one after another as OpenAI streams them: a message's text starts at its first
 * content part or delta; reasoning summary parts are joined with a blank line and its encrypted content is
 * the piece's signature; a function call's arguments come from its deltas, or whole from the done events when
 * no delta came; a custom (free-form) call's input is held until the item is done and given as
 * {@code {"input": …}}. An item seen only in {@code output_item.done} is taken whole. Other item types
 * (hosted tools' calls) are skipped. {@code response.completed} / {@code .incomplete} give the usage then
 * the stop; {@code response.failed} and {@code error} events give {@link AnswerEvent.Failed}.
 */
final class ResponsesDecoder implements StreamDecoder {
  private enum Kind { NONE, MESSAGE, REASONING, FUNCTION, CUSTOM }

  private final SseDecoder sse = new SseDecoder();
  private boolean started;
  private boolean ended;
  private String responseId;
  private int madeUpIds;
  private Kind current = Kind.NONE;
  private boolean textStarted;
  private boolean sawDelta;
  private int lastSummary = -1;
  private final StringBuilder customInput = new StringBuilder();
  private boolean calledTools;
  private boolean refused;
  private Consumer<AnswerEvent> out;

  @Override
  public void feed(ByteBuffer chunk, Consumer<AnswerEvent> sink) {
    this.out = sink;
    for (SseEvent e : sse.feed(chunk)) {
      if (e.data().isEmpty()) {
        continue;
      }
      JsonNode data = Json.tryParse(e.data()).orElse(null);
      if (data == null || !data.isObject()) {
        continue;
      }
      String type = Json.text(data, "type");
      handle(type != null ? type : e.event(), data);
    }
  }

  @Override
  public void end(Consumer<AnswerEvent> sink) {
    sse.finish();
  }

  private void handle(String type, JsonNode data) {
    if (ended || type == null) {
      return;
    }
    JsonNode response = data.get("response");
    switch (type) {
      case "response.created", "response.in_progress", "response.queued" -> start(response);
      case "response.output_item.added" -> added(data.path("item"));
      case "response.content_part.added" -> {
        String part = data.path("part").path("type").asText("");
        if (current == Kind.MESSAGE && (part.equals("output_text") || part.equals("refusal"))) {
          refused |= part.equals("refusal");
          startText();
        }
      }
      case "response.output_text.delta" -> text(data.path("delta").asText(""));
      case "response.refusal.delta" -> {
        refused = true;
        text(data.path("delta").asText(""));
      }
      case "response.reasoning_summary_text.delta" -> reasoning(data.path("summary_index").asInt(0),
          data.path("delta").asText(""));
      case "response.reasoning_text.delta" -> reasoning(data.path("content_index").asInt(0),
          data.path("delta").asText(""));
      case "response.function_call_arguments.delta" -> {
        if (current == Kind.FUNCTION) {
          arguments(data.path("delta").asText(""));
        }
      }
      case "response.function_call_arguments.done" -> {
        if (current == Kind.FUNCTION && !sawDelta) {
          arguments(data.path("arguments").asText(""));
        }
      }
      case "response.custom_tool_call_input.delta" -> customInput.append(data.path("delta").asText(""));
      case "response.custom_tool_call_input.done" -> {
        if (data.hasNonNull("input")) {
          customInput.setLength(0);
          customInput.append(data.get("input").asText());
        }
      }
      case "response.output_item.done" -> done(data.path("item"));
      case "response.completed", "response.incomplete" -> {
        start(response);
        out.accept(new AnswerEvent.UsageUpdate(ResponseObjects.readUsage(response == null ? null
            : response.get("usage"))));
        out.accept(new AnswerEvent.Finished(ResponseObjects.stopReason(response, calledTools, refused), null));
        ended = true;
      }
      case "response.failed" -> {
        start(response);
        JsonNode error = response == null ? null : response.get("error");
        String code = Json.text(error, "code");
        fail(code != null ? code : Json.text(error, "type"), Json.text(error, "message"));
      }
      case "error" -> {
        JsonNode error = data.path("error").isObject() ? data.get("error") : data;
        String code = Json.text(error, "code");
        fail(code != null ? code : Json.text(error, "type"), Json.text(error, "message"));
      }
      default -> {
        // other events (done events of parts, rate limit news, metadata) add nothing
      }
    }
  }

  private void start(JsonNode response) {
    if (!started) {
      started = true;
      responseId = Json.text(response, "id");
      out.accept(new AnswerEvent.Started(responseId, Json.text(response, "model")));
    }
  }

  private void added(JsonNode item) {
    start(null);
    sawDelta = false;
    textStarted = false;
    switch (item.path("type").asText("")) {
      case "message" -> current = Kind.MESSAGE;
      case "reasoning" -> {
        current = Kind.REASONING;
        lastSummary = -1;
        out.accept(new AnswerEvent.ReasoningStarted(false));
      }
      case "function_call" -> {
        current = Kind.FUNCTION;
        calledTools = true;
        out.accept(new AnswerEvent.ToolCallStarted(callId(item), item.path("name").asText(""), null));
        String args = item.path("arguments").asText("");
        if (!args.isEmpty()) {
          arguments(args);
        }
      }
      case "custom_tool_call" -> {
        current = Kind.CUSTOM;
        calledTools = true;
        customInput.setLength(0);
        customInput.append(item.path("input").asText(""));
        out.accept(new AnswerEvent.ToolCallStarted(callId(item), item.path("name").asText(""), null));
      }
      default -> current = Kind.NONE;
    }
  }

  private void done(JsonNode item) {
    String type = item.path("type").asText("");
    boolean matches = switch (current) {
      case MESSAGE -> type.equals("message");
      case REASONING -> type.equals("reasoning");
      case FUNCTION -> type.equals("function_call");
      case CUSTOM -> type.equals("custom_tool_call");
      case NONE -> false;
    };
    if (!matches) {
      added(item);
    }
    switch (current) {
      case MESSAGE -> {
        if (!textStarted) {
          StringBuilder text = new StringBuilder();
          for (JsonNode part : item.path("content")) {
            refused |= "refusal".equals(part.path("type").asText());
            text.append(part.has("refusal") ? part.path("refusal").asText("") : part.path("text").asText(""));
          }
          if (text.length() > 0) {
            startText();
            out.accept(new AnswerEvent.TextDelta(text.toString()));
          }
        }
      }
      case REASONING -> {
        if (!sawDelta) {
          String text = InputReader.joined(item.get("summary"));
          if (text.isEmpty()) {
            text = InputReader.joined(item.get("content"));
          }
          if (!text.isEmpty()) {
            out.accept(new AnswerEvent.ReasoningDelta(text));
          }
        }
        String encrypted = Json.text(item, "encrypted_content");
        if (encrypted != null) {
          out.accept(new AnswerEvent.ReasoningSignature(encrypted, InputReader.ORIGIN));
        }
      }
      case FUNCTION -> {
        if (!sawDelta) {
          String args = item.path("arguments").asText("");
          arguments(args.isEmpty() ? "{}" : args);
        }
      }
      case CUSTOM -> {
        String input = item.hasNonNull("input") ? item.get("input").asText() : customInput.toString();
        ObjectNode args = Json.mapper().createObjectNode().put("input", input);
        out.accept(new AnswerEvent.ToolArgumentsDelta(new String(Json.write(args), StandardCharsets.UTF_8)));
      }
      case NONE -> {
        // a hosted tool's item: nothing for the client
      }
    }
    current = Kind.NONE;
  }

  private void startText() {
    if (!textStarted) {
      textStarted = true;
      out.accept(new AnswerEvent.TextStarted());
    }
  }

  private void text(String delta) {
    if (current == Kind.NONE) {
      added(Json.mapper().createObjectNode().put("type", "message"));
    }
    if (current == Kind.MESSAGE) {
      startText();
      out.accept(new AnswerEvent.TextDelta(delta));
    }
  }

  private void reasoning(int index, String delta) {
    if (current == Kind.NONE) {
      added(Json.mapper().createObjectNode().put("type", "reasoning"));
    }
    if (current != Kind.REASONING) {
      return;
    }
    if (sawDelta && index != lastSummary) {
      delta = "\n\n" + delta;
    }
    sawDelta = true;
    lastSummary = index;
    out.accept(new AnswerEvent.ReasoningDelta(delta));
  }

  private void arguments(String json) {
    sawDelta = true;
    out.accept(new AnswerEvent.ToolArgumentsDelta(json));
  }

  private String callId(JsonNode item) {
    String id = Json.text(item, "call_id");
    return id != null ? id : "call_" + (responseId == null ? "relay" : responseId) + "_" + (madeUpIds++);
  }

  private void fail(String code, String message) {
    start(null);
    out.accept(new AnswerEvent.Failed(ResponseObjects.kind(code),
        message != null ? message : "the upstream answer failed" + (code == null ? "" : " (" + code + ")")));
    ended = true;
  }
}
