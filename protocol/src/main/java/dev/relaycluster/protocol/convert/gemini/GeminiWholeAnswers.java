package dev.relaycluster.protocol.convert.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.CarriedSignature;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.convert.WholeAnswer;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole (non-streamed) answers: a {@code GenerateContentResponse} read into a {@link WholeAnswer} and
 * written from one, by the same rules as the stream ({@link GeminiStreamDecoder}, {@link GeminiStreamEncoder}):
 * consecutive text parts make one text, consecutive thought parts one reasoning.
 */
final class GeminiWholeAnswers {
  private GeminiWholeAnswers() {}

  static WholeAnswer read(byte[] body) {
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (IOException e) {
      throw new ConversionException(ErrorKind.BAD_GATEWAY, "the Gemini answer is not valid JSON");
    }
    if (root != null && root.isArray() && root.size() > 0) {
      root = root.get(root.size() - 1);
    }
    if (root == null || !root.isObject()) {
      throw new ConversionException(ErrorKind.BAD_GATEWAY, "the Gemini answer is not a JSON object");
    }
    JsonNode error = GeminiWire.errorObject(root);
    if (error != null) {
      String message = Json.text(error, "message");
      throw new ConversionException(GeminiWire.errorKind(error), message == null ? "" : message);
    }
    String id = Json.text(root, "responseId");
    String idBase = null;
    List<Part> content = new ArrayList<>();
    JsonNode candidate = root.path("candidates").path(0);
    boolean sawCall = false;
    int calls = 0;
    for (JsonNode p : candidate.path("content").path("parts")) {
      String sig = Json.text(p, "thoughtSignature");
      sig = sig == null || sig.isEmpty() ? null : sig;
      String text = Json.text(p, "text");
      JsonNode fc = p.get("functionCall");
      Part last = content.isEmpty() ? null : content.get(content.size() - 1);
      if (fc != null && fc.isObject()) {
        String callId = Json.text(fc, "id");
        if (callId == null || callId.isEmpty()) {
          idBase = idBase == null ? GeminiStreamDecoder.idBase(id) : idBase;
          callId = "call_" + idBase + "_" + calls;
        }
        calls++;
        sawCall = true;
        content.add(new Part.ToolCall(callId, Json.text(fc, "name"), GeminiWire.argsJson(fc.get("args")), sig));
      } else if (p.path("thought").asBoolean(false) || (text == null || text.isEmpty()) && sig != null) {
        String t = text == null ? "" : text;
        if (t.isEmpty() && sig == null) {
          continue;
        }
        if (last instanceof Part.Reasoning r && r.signature() == null) {
          content.set(content.size() - 1, new Part.Reasoning(r.text() + t, sig, false, GeminiWire.ORIGIN));
        } else {
          content.add(new Part.Reasoning(t, sig, false, GeminiWire.ORIGIN));
        }
      } else if (text != null && !text.isEmpty()) {
        if (last instanceof Part.Text lt) {
          content.set(content.size() - 1, new Part.Text(lt.text() + text));
        } else {
          content.add(new Part.Text(text));
        }
      }
    }
    String finishReason = Json.text(candidate, "finishReason");
    StopReason stop = candidate.isMissingNode() && Json.text(root.path("promptFeedback"), "blockReason") != null
        ? StopReason.CONTENT_FILTER : GeminiWire.stopReason(finishReason, sawCall);
    return new WholeAnswer(id, Json.text(root, "modelVersion"), content, stop, null,
        GeminiWire.usage(root.get("usageMetadata")));
  }

  static byte[] write(WholeAnswer answer, AnswerOptions options) {
    ArrayNode parts = Json.mapper().createArrayNode();
    String carried = null;
    for (Part p : answer.content()) {
      if (p instanceof Part.Text t) {
        if (!t.text().isEmpty()) {
          parts.addObject().put("text", t.text());
        }
      } else if (p instanceof Part.Reasoning r) {
        boolean own = GeminiWire.ORIGIN.equals(r.origin());
        if (r.text() != null && !r.text().isEmpty()) {
          ObjectNode part = parts.addObject().put("text", r.text()).put("thought", true);
          if (own && r.signature() != null) {
            part.put("thoughtSignature", r.signature());
          }
        } else if (own && r.signature() != null) {
          parts.addObject().put("text", "").put("thoughtSignature", r.signature());
        }
        if (!own && r.signature() != null) {
          carried = CarriedSignature.wrap(r);
        }
      } else if (p instanceof Part.ToolCall c) {
        ObjectNode part = Json.mapper().createObjectNode();
        ObjectNode fc = part.putObject("functionCall");
        if (c.id() != null) {
          fc.put("id", c.id());
        }
        fc.put("name", c.name());
        fc.set("args", GeminiWire.argsObject(c.arguments()));
        String sig = c.signature();
        if (carried != null) {
          if (sig == null) {
            sig = carried;
          } else {
            parts.addObject().put("text", "").put("thoughtSignature", carried);
          }
          carried = null;
        }
        if (sig != null) {
          part.put("thoughtSignature", sig);
        }
        parts.add(part);
      }
    }
    if (carried != null) {
      parts.addObject().put("text", "").put("thoughtSignature", carried);
    }
    if (parts.isEmpty()) {
      parts.addObject().put("text", "");
    }
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode candidate = root.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.set("parts", parts);
    content.put("role", "model");
    candidate.put("finishReason", GeminiWire.finishReason(answer.stopReason()));
    candidate.put("index", 0);
    root.set("usageMetadata", GeminiWire.usageMetadata(answer.usage()));
    String model = options.model() != null ? options.model() : answer.model();
    if (model != null) {
      root.put("modelVersion", model);
    }
    if (answer.id() != null) {
      root.put("responseId", answer.id());
    }
    return Json.write(root);
  }
}
