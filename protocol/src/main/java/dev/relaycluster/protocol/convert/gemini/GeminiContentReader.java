package dev.relaycluster.protocol.convert.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.CarriedSignature;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's {@code contents} as turns. A functionCall without an id gets {@code call_<content>_<part>}
 * (its position), and a functionResponse without an id answers the earliest unanswered call of its name.
 * Thought parts become Gemini-signed reasoning; a thoughtSignature carried for another vendor
 * ({@link CarriedSignature}) becomes that vendor's reasoning, before the part that carried it.
 */
final class GeminiContentReader {
  private final Map<String, Deque<String>> unanswered = new HashMap<>();

  List<Turn> read(JsonNode contents) {
    List<Turn> turns = new ArrayList<>();
    if (contents.isMissingNode() || contents.isNull()) {
      return turns;
    }
    if (!contents.isArray()) {
      throw new ConversionException("contents: expected a list of Content objects");
    }
    for (int ci = 0; ci < contents.size(); ci++) {
      JsonNode content = contents.get(ci);
      if (!content.isObject()) {
        throw new ConversionException("contents[" + ci + "]: expected a Content object");
      }
      Role role = "model".equals(Json.text(content, "role")) ? Role.ASSISTANT : Role.USER;
      List<Part> parts = new ArrayList<>();
      JsonNode ps = content.path("parts");
      if (!ps.isMissingNode() && !ps.isNull() && !ps.isArray()) {
        throw new ConversionException("contents[" + ci + "].parts: expected a list of Part objects");
      }
      for (int pi = 0; pi < ps.size(); pi++) {
        part(ps.get(pi), "contents[" + ci + "].parts[" + pi + "]", "call_" + ci + "_" + pi, parts);
      }
      if (!turns.isEmpty() && turns.get(turns.size() - 1).role() == role) {
        List<Part> merged = new ArrayList<>(turns.get(turns.size() - 1).parts());
        merged.addAll(parts);
        turns.set(turns.size() - 1, new Turn(role, merged));
      } else {
        turns.add(new Turn(role, parts));
      }
    }
    return turns;
  }

  private void part(JsonNode p, String where, String positionId, List<Part> out) {
    String signature = Json.text(p, "thoughtSignature");
    Part.Reasoning carried = CarriedSignature.unwrap(signature);
    String nativeSig = carried == null && signature != null && !signature.isEmpty() ? signature : null;
    if (carried != null) {
      out.add(carried);
    }
    String text = Json.text(p, "text");
    if (p.has("functionCall")) {
      JsonNode fc = p.get("functionCall");
      String id = Json.text(fc, "id");
      String name = Json.text(fc, "name");
      if (id == null || id.isEmpty()) {
        id = positionId;
      }
      unanswered.computeIfAbsent(name, k -> new ArrayDeque<>()).add(id);
      out.add(new Part.ToolCall(id, name, GeminiWire.argsJson(fc.get("args")), nativeSig));
    } else if (p.has("functionResponse")) {
      out.add(functionResponse(p.get("functionResponse"), positionId));
    } else if (p.path("thought").asBoolean(false)) {
      if ((text != null && !text.isEmpty()) || nativeSig != null) {
        out.add(new Part.Reasoning(text == null ? "" : text, nativeSig, false, GeminiWire.ORIGIN));
      }
    } else if (text != null) {
      if (!text.isEmpty()) {
        out.add(new Part.Text(text));
      } else if (nativeSig != null) {
        out.add(new Part.Reasoning("", nativeSig, false, GeminiWire.ORIGIN));
      }
    } else if (p.has("inlineData")) {
      out.add(inline(p.get("inlineData")));
    } else if (p.has("fileData")) {
      JsonNode f = p.get("fileData");
      String mime = Json.text(f, "mimeType");
      if (mime != null && !mime.startsWith("image/")) {
        throw new ConversionException(where + ".fileData: only image files can be passed to another vendor");
      }
      out.add(new Part.Image(mime, null, Json.text(f, "fileUri")));
    } else if (carried == null && nativeSig == null) {
      String kind = p.fieldNames().hasNext() ? p.fieldNames().next() : "(empty part)";
      throw new ConversionException(where + "." + kind + " cannot be served by another vendor");
    }
  }

  private Part.ToolResult functionResponse(JsonNode fr, String positionId) {
    String name = Json.text(fr, "name");
    String id = Json.text(fr, "id");
    Deque<String> pending = unanswered.get(name);
    if (id == null || id.isEmpty()) {
      id = pending != null && !pending.isEmpty() ? pending.poll() : positionId;
    } else if (pending != null) {
      pending.remove(id);
    }
    JsonNode response = fr.path("response");
    boolean error = response.has("error") && !response.has("result") && !response.has("output");
    JsonNode value = error ? response.get("error")
        : response.has("result") ? response.get("result")
        : response.has("output") ? response.get("output") : response;
    List<Part> content = new ArrayList<>();
    String text = value.isTextual() ? value.textValue()
        : value.isMissingNode() || value.isNull() ? "" : new String(Json.write(value), StandardCharsets.UTF_8);
    content.add(new Part.Text(text));
    for (JsonNode p : fr.path("parts")) {
      if (p.has("inlineData")) {
        content.add(inline(p.get("inlineData")));
      }
    }
    return new Part.ToolResult(id, name, content, error);
  }

  private static Part inline(JsonNode inline) {
    String mime = Json.text(inline, "mimeType");
    String data = Json.text(inline, "data");
    if (mime != null && mime.startsWith("image/")) {
      return new Part.Image(mime, data, null);
    }
    return new Part.Document(mime, data, null);
  }
}
