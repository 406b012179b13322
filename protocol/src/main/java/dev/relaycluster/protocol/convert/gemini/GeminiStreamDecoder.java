package dev.relaycluster.protocol.convert.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.convert.StreamDecoder;
import dev.relaycluster.protocol.sse.SseDecoder;
import dev.relaycluster.protocol.sse.SseEvent;
import dev.relaycluster.protocol.util.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a Gemini {@code streamGenerateContent?alt=sse} answer: each {@code data:} is a whole
 * GenerateContentResponse holding only the new parts (events end with a blank line, CRLF or LF; no
 * {@code [DONE]}). Parts become pieces: thought text reasoning, text text, a functionCall a tool call with its
 * whole arguments in one delta (Gemini does not stream arguments) and an id made up from the response id
 * when it has none. A thoughtSignature on a part with no text is the current reasoning piece's signature (a
 * reasoning piece is started when none is current); one on a non-empty text part is dropped (Google checks
 * signatures only on function calls). Usage is cumulative, the last one wins. The final UsageUpdate and
 * Finished go out with the chunk that carries the finishReason when it also carries usageMetadata, else at
 * {@link #end} (a later chunk may still bring the usage). An {@code {"error":…}} event is Failed; a stream
 * cut before a finishReason ends with neither.
 */
final class GeminiStreamDecoder implements StreamDecoder {
  private enum Piece { NONE, TEXT, REASONING, TOOL }

  private final SseDecoder sse = new SseDecoder();
  private boolean started;
  private boolean done;
  private Piece piece = Piece.NONE;
  private boolean sawCall;
  private int calls;
  private String idBase;
  private AnswerUsage usage = AnswerUsage.ZERO;
  private StopReason pendingFinish;

  @Override
  public void feed(ByteBuffer chunk, Consumer<AnswerEvent> out) {
    for (SseEvent e : sse.feed(chunk)) {
      onData(e.data(), out);
    }
  }

  @Override
  public void end(Consumer<AnswerEvent> out) {
    // a last event complete but for its blank line still counts; a cut one does not parse
    byte[] close = "\n\n".getBytes(StandardCharsets.US_ASCII);
    for (SseEvent e : sse.feed(close, 0, close.length)) {
      onData(e.data(), out);
    }
    sse.finish();
    if (pendingFinish != null && !done) {
      finish(pendingFinish, out);
    }
  }

  private void onData(String data, Consumer<AnswerEvent> out) {
    if (done || data.isBlank()) {
      return;
    }
    JsonNode root = Json.tryParse(data).orElse(null);
    if (root == null || !root.isObject()) {
      return;
    }
    start(root, out);
    JsonNode error = GeminiWire.errorObject(root);
    if (error != null) {
      done = true;
      String message = Json.text(error, "message");
      out.accept(new AnswerEvent.Failed(GeminiWire.errorKind(error), message == null ? "" : message));
      return;
    }
    JsonNode meta = root.get("usageMetadata");
    if (meta != null && meta.isObject()) {
      usage = GeminiWire.usage(meta);
    }
    JsonNode candidates = root.path("candidates");
    if (candidates.size() == 0) {
      if (Json.text(root.path("promptFeedback"), "blockReason") != null) {
        finish(StopReason.CONTENT_FILTER, out);
      } else if (pendingFinish != null && meta != null) {
        finish(pendingFinish, out);
      }
      return;
    }
    JsonNode candidate = candidates.get(0);
    for (JsonNode part : candidate.path("content").path("parts")) {
      part(part, out);
    }
    String finishReason = Json.text(candidate, "finishReason");
    if (finishReason != null) {
      pendingFinish = GeminiWire.stopReason(finishReason, sawCall);
    }
    if (pendingFinish != null && meta != null && meta.isObject()) {
      finish(pendingFinish, out);
    }
  }

  private void start(JsonNode root, Consumer<AnswerEvent> out) {
    if (!started) {
      started = true;
      String responseId = Json.text(root, "responseId");
      idBase = idBase(responseId);
      out.accept(new AnswerEvent.Started(responseId, Json.text(root, "modelVersion")));
    }
  }

  private void part(JsonNode part, Consumer<AnswerEvent> out) {
    String signature = Json.text(part, "thoughtSignature");
    if (signature != null && signature.isEmpty()) {
      signature = null;
    }
    JsonNode fc = part.get("functionCall");
    if (fc != null && fc.isObject()) {
      String id = Json.text(fc, "id");
      if (id == null || id.isEmpty()) {
        id = "call_" + idBase + "_" + calls;
      }
      calls++;
      sawCall = true;
      piece = Piece.TOOL;
      out.accept(new AnswerEvent.ToolCallStarted(id, Json.text(fc, "name"), signature));
      out.accept(new AnswerEvent.ToolArgumentsDelta(GeminiWire.argsJson(fc.get("args"))));
      return;
    }
    String text = Json.text(part, "text");
    boolean thought = part.path("thought").asBoolean(false);
    if (thought || (text == null || text.isEmpty()) && signature != null) {
      if ((text == null || text.isEmpty()) && signature == null) {
        return;
      }
      if (piece != Piece.REASONING) {
        piece = Piece.REASONING;
        out.accept(new AnswerEvent.ReasoningStarted(false));
      }
      if (text != null && !text.isEmpty()) {
        out.accept(new AnswerEvent.ReasoningDelta(text));
      }
      if (signature != null) {
        out.accept(new AnswerEvent.ReasoningSignature(signature, GeminiWire.ORIGIN));
      }
    } else if (text != null && !text.isEmpty()) {
      if (piece != Piece.TEXT) {
        piece = Piece.TEXT;
        out.accept(new AnswerEvent.TextStarted());
      }
      out.accept(new AnswerEvent.TextDelta(text));
    }
  }

  private void finish(StopReason reason, Consumer<AnswerEvent> out) {
    done = true;
    out.accept(new AnswerEvent.UsageUpdate(usage));
    out.accept(new AnswerEvent.Finished(reason, null));
  }

  /**
   * What the ids made up for an answer's function calls start with ({@code call_<base>_<n>}): the response id,
   * else a random one, so that ids stay unique across the answers of a conversation.
   */
  static String idBase(String responseId) {
    return responseId != null && !responseId.isEmpty() && responseId.length() <= 64
        ? responseId : java.util.UUID.randomUUID().toString().replace("-", "");
  }
}
