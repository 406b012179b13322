package dev.relaycluster.protocol.convert.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.convert.StreamDecoder;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.util.Json;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Chat Completions stream (OpenAI's or an OpenAI-compatible server's) read into {@link AnswerEvent}s.
 * {@code Started} comes from the first chunk that has a choice or usage (Azure sends its prompt filter results
 * ahead in a {@code choices:[]} chunk without an id or model, and content filter results beside the deltas,
 * both ignored here); text and reasoning ({@code reasoning_content}, or
 * {@code reasoning} as some servers name it) start a piece when their kind changes; a tool call starts
 * at a new {@code index} (or a new id at a known index) and its argument pieces follow. The finish reason
 * is held until the usage chunk (which gives the {@code UsageUpdate} first) or {@code [DONE]}, or the end
 * of a stream that had one; an {@code {"error":…}} chunk gives {@code Failed}. Argument pieces for a call
 * other than the latest started are dropped (OpenAI streams calls one after the other).
 */
final class ChatStreamDecoder implements StreamDecoder {
  private enum Piece { NONE, TEXT, REASONING, TOOL }

  private final SseDecoder sse = new SseDecoder();
  private boolean started;
  private boolean over;
  private Piece piece = Piece.NONE;
  private int toolIndex = -1;
  private final Map<Integer, String> toolIds = new HashMap<>();
  private int madeUpIds;
  private String responseId;
  private StopReason finish;

  @Override
  public void feed(ByteBuffer chunk, Consumer<AnswerEvent> out) {
    for (SseEvent e : sse.feed(chunk)) {
      event(e.data(), out);
    }
  }

  @Override
  public void end(Consumer<AnswerEvent> out) {
    sse.finish();
    if (!over && finish != null) {
      finish(out);
    }
    over = true;
  }

  private void event(String data, Consumer<AnswerEvent> out) {
    if (over) {
      return;
    }
    String trimmed = data.strip();
    if (trimmed.equals("[DONE]")) {
      if (finish != null) {
        finish(out);
      }
      over = true;
      return;
    }
    JsonNode root = Json.tryParse(trimmed).orElse(null);
    if (root == null || !root.isObject()) {
      return;
    }
    JsonNode error = root.get("error");
    if (error != null && !error.isNull()) {
      out.accept(new AnswerEvent.Failed(ChatAnswers.errorKind(root), errorText(error)));
      over = true;
      return;
    }
    if (!started && filterOnly(root)) {
      // Azure's first chunk: choices:[] with prompt_filter_results and no id or model yet; the answer starts next.
      return;
    }
    if (!started) {
      started = true;
      responseId = Json.text(root, "id");
      out.accept(new AnswerEvent.Started(responseId, Json.text(root, "model")));
    }
    JsonNode choice = root.path("choices").path(0);
    if (choice.isObject()) {
      delta(choice.path("delta"), out);
      String reason = Json.text(choice, "finish_reason");
      if (reason != null) {
        finish = ChatAnswers.stopReason(reason);
      }
    }
    JsonNode usage = root.get("usage");
    if (usage != null && usage.isObject()) {
      AnswerUsage u = ChatAnswers.usage(usage);
      out.accept(new AnswerEvent.UsageUpdate(u));
      if (finish != null) {
        finish(out);
      }
    }
  }

  /** A chunk with no choice and no usage (Azure's prompt filter results ahead of the answer): nothing to start. */
  private static boolean filterOnly(JsonNode root) {
    JsonNode choices = root.get("choices");
    JsonNode usage = root.get("usage");
    return choices != null && choices.isArray() && choices.isEmpty() && (usage == null || !usage.isObject());
  }

  private static String errorText(JsonNode error) {
    if (error.isTextual()) {
      return error.textValue();
    }
    String message = Json.text(error, "message");
    return message != null ? message : "upstream error";
  }

  private void delta(JsonNode delta, Consumer<AnswerEvent> out) {
    String reasoning = Json.text(delta, "reasoning_content");
    if (reasoning == null) {
      reasoning = Json.text(delta, "reasoning");
    }
    if (reasoning != null && !reasoning.isEmpty()) {
      if (piece != Piece.REASONING) {
        piece = Piece.REASONING;
        out.accept(new AnswerEvent.ReasoningStarted(false));
      }
      out.accept(new AnswerEvent.ReasoningDelta(reasoning));
    }
    text(Json.text(delta, "content"), out);
    text(Json.text(delta, "refusal"), out);
    JsonNode calls = delta.path("tool_calls");
    for (int j = 0; j < calls.size(); j++) {
      toolCall(calls.get(j), j, out);
    }
  }

  private void text(String text, Consumer<AnswerEvent> out) {
    if (text == null || text.isEmpty()) {
      return;
    }
    if (piece != Piece.TEXT) {
      piece = Piece.TEXT;
      out.accept(new AnswerEvent.TextStarted());
    }
    out.accept(new AnswerEvent.TextDelta(text));
  }

  private void toolCall(JsonNode call, int position, Consumer<AnswerEvent> out) {
    JsonNode idx = call.get("index");
    int index = idx != null && idx.canConvertToInt() ? idx.intValue() : position;
    String id = Json.text(call, "id");
    JsonNode function = call.path("function");
    boolean known = toolIds.containsKey(index);
    if (!known || (id != null && !id.isEmpty() && !id.equals(toolIds.get(index)))) {
      if (id == null || id.isEmpty()) {
        id = "call_" + (responseId == null ? "" : responseId + "_") + madeUpIds++;
      }
      toolIds.put(index, id);
      String name = Json.text(function, "name");
      out.accept(new AnswerEvent.ToolCallStarted(id, name == null ? "" : name, null));
      piece = Piece.TOOL;
      toolIndex = index;
    }
    String args = Json.text(function, "arguments");
    if (args != null && !args.isEmpty() && piece == Piece.TOOL && index == toolIndex) {
      out.accept(new AnswerEvent.ToolArgumentsDelta(args));
    }
  }

  private void finish(Consumer<AnswerEvent> out) {
    out.accept(new AnswerEvent.Finished(finish, null));
    over = true;
  }
}
