package dev.relaycluster.protocol.convert.gemini;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One turn's parts as Gemini {@code Part}s. Reasoning is never sent back as text (Gemini does not take its
 * thoughts back); a Gemini-signed reasoning gives its signature to the next functionCall of the turn that
 * has none, and is otherwise dropped (Google only validates signatures on function calls). Images and
 * documents inside tool results follow the turn's functionResponse parts as inlineData / fileData parts.
 */
final class GeminiContentWriter {
  private final Map<String, String> callNames;
  private final ReplayBook replay;
  private final List<String> notes;
  private boolean notedUrl;
  private boolean notedResultMedia;

  GeminiContentWriter(Map<String, String> callNames, ReplayBook replay, List<String> notes) {
    this.callNames = callNames;
    this.replay = replay;
    this.notes = notes;
  }

  ArrayNode parts(Turn turn) {
    ArrayNode out = Json.mapper().createArrayNode();
    List<ObjectNode> resultMedia = new ArrayList<>();
    String heldSignature = null;
    for (Part p : turn.parts()) {
      if (!(p instanceof Part.ToolResult) && !resultMedia.isEmpty()) {
        resultMedia.forEach(out::add);
        resultMedia.clear();
      }
      if (p instanceof Part.Text t) {
        if (t.text() != null && !t.text().isEmpty()) {
          out.addObject().put("text", t.text());
        }
      } else if (p instanceof Part.Image img) {
        out.add(image(img));
      } else if (p instanceof Part.Document doc) {
        out.add(inline(doc.mediaType() == null ? "application/pdf" : doc.mediaType(), doc.data()));
      } else if (p instanceof Part.Reasoning r) {
        if (GeminiWire.ORIGIN.equals(r.origin()) && GeminiRequestWriter.nativeSignature(r.signature())) {
          heldSignature = r.signature();
        }
      } else if (p instanceof Part.ToolCall call) {
        out.add(functionCall(call, heldSignature));
        heldSignature = null;
      } else if (p instanceof Part.ToolResult result) {
        out.add(functionResponse(result, resultMedia));
      }
    }
    resultMedia.forEach(out::add);
    return out;
  }

  private ObjectNode functionCall(Part.ToolCall call, String heldSignature) {
    ObjectNode part = Json.mapper().createObjectNode();
    ObjectNode fc = part.putObject("functionCall");
    if (call.id() != null && !call.id().isEmpty()) {
      fc.put("id", call.id());
    }
    fc.put("name", call.name());
    fc.set("args", GeminiWire.argsObject(call.arguments()));
    String signature = signatureOf(call, heldSignature);
    if (signature != null) {
      part.put("thoughtSignature", signature);
    }
    return part;
  }

  /** The call's own signature, else the one kept for it, else the signed reasoning before it. */
  private String signatureOf(Part.ToolCall call, String heldSignature) {
    if (GeminiRequestWriter.nativeSignature(call.signature())) {
      return call.signature();
    }
    if (call.id() != null) {
      String kept = replay.callSignature(call.id());
      if (GeminiRequestWriter.nativeSignature(kept)) {
        return kept;
      }
    }
    if (heldSignature != null) {
      return heldSignature;
    }
    Part.Reasoning before = call.id() == null ? null : replay.reasoningBefore(call.id());
    if (before != null && GeminiWire.ORIGIN.equals(before.origin())
        && GeminiRequestWriter.nativeSignature(before.signature())) {
      return before.signature();
    }
    return null;
  }

  private ObjectNode functionResponse(Part.ToolResult result, List<ObjectNode> media) {
    String name = result.name() != null && !result.name().isEmpty() ? result.name()
        : result.callId() == null ? null : callNames.get(result.callId());
    if (name == null) {
      throw new ConversionException("messages: the tool result for call '" + result.callId()
          + "' answers no earlier tool call, and a Gemini account needs the function's name");
    }
    StringBuilder text = new StringBuilder();
    for (Part c : result.content()) {
      if (c instanceof Part.Text t) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(t.text());
      } else if (c instanceof Part.Image img) {
        media.add(image(img));
      } else if (c instanceof Part.Document doc) {
        media.add(inline(doc.mediaType() == null ? "application/pdf" : doc.mediaType(), doc.data()));
      }
    }
    if (!media.isEmpty() && !notedResultMedia) {
      notedResultMedia = true;
      notes.add("tool results: images and documents in tool results are sent as parts after the function responses");
    }
    ObjectNode part = Json.mapper().createObjectNode();
    ObjectNode fr = part.putObject("functionResponse");
    if (result.callId() != null && !result.callId().isEmpty()) {
      fr.put("id", result.callId());
    }
    fr.put("name", name);
    fr.putObject("response").put(result.error() ? "error" : "result", text.toString());
    return part;
  }

  private ObjectNode image(Part.Image img) {
    if (img.data() != null) {
      return inline(img.mediaType() == null ? "image/jpeg" : img.mediaType(), img.data());
    }
    String url = img.url();
    if (url != null && url.startsWith("data:")) {
      int comma = url.indexOf(',');
      int semi = url.indexOf(';');
      if (comma > 0 && semi > 0 && semi < comma && url.substring(semi, comma).equals(";base64")) {
        return inline(url.substring(5, semi), url.substring(comma + 1));
      }
      throw new ConversionException("image_url: only base64 data URLs can be sent to a Gemini account");
    }
    if (!notedUrl) {
      notedUrl = true;
      notes.add("images: image URLs are passed to Gemini as fileData for it to fetch");
    }
    ObjectNode part = Json.mapper().createObjectNode();
    ObjectNode file = part.putObject("fileData");
    file.put("mimeType", img.mediaType() != null ? img.mediaType() : GeminiWire.guessImageType(url));
    file.put("fileUri", url);
    return part;
  }

  private static ObjectNode inline(String mimeType, String data) {
    ObjectNode part = Json.mapper().createObjectNode();
    ObjectNode inline = part.putObject("inlineData");
    inline.put("mimeType", mimeType);
    inline.put("data", data == null ? "" : data);
    return part;
  }
}
