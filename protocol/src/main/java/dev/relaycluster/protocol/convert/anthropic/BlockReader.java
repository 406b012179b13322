package dev.relaycluster.protocol.convert.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.CarriedSignature;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the content blocks of one Messages request message into parts; {@code where} prefixes every
 * field named in an error ("messages[3].content[1]"). Tool results learn their tool's name from the
 * calls read before them ({@code callNames}).
 */
final class BlockReader {
  private final Map<String, String> callNames;

  BlockReader(Map<String, String> callNames) {
    this.callNames = callNames;
  }

  /** The parts of a message's {@code content} (a string or an array of blocks). */
  List<Part> content(JsonNode content, String where) {
    List<Part> parts = new ArrayList<>();
    if (content == null || content.isNull()) {
      throw new ConversionException(where + ": Field required");
    }
    if (content.isTextual()) {
      if (!content.textValue().isEmpty()) {
        parts.add(new Part.Text(content.textValue()));
      }
      return parts;
    }
    if (!content.isArray()) {
      throw new ConversionException(where + ": Input should be a string or a list of content blocks");
    }
    for (int j = 0; j < content.size(); j++) {
      Part part = block(content.get(j), where + "[" + j + "]");
      if (part != null) {
        parts.add(part);
      }
    }
    return parts;
  }

  private Part block(JsonNode block, String where) {
    String type = type(block, where);
    return switch (type) {
      case "text" -> new Part.Text(requiredText(block, "text", where));
      case "image" -> image(block, where);
      case "document" -> document(block, where);
      case "tool_use" -> toolUse(block, where);
      case "tool_result" -> toolResult(block, where);
      case "thinking" -> thinking(block.get("thinking"), Json.text(block, "signature"), false, where);
      case "redacted_thinking" -> thinking(null, requiredText(block, "data", where), true, where);
      default -> throw new ConversionException(where + ".type: content blocks of type '" + type
          + "' cannot be served by this pool");
    };
  }

  private static String type(JsonNode block, String where) {
    if (block == null || !block.isObject()) {
      throw new ConversionException(where + ": Input should be an object");
    }
    String type = Json.text(block, "type");
    if (type == null) {
      throw new ConversionException(where + ".type: Field required");
    }
    return type;
  }

  static String requiredText(JsonNode block, String field, String where) {
    JsonNode v = block.get(field);
    if (v == null || v.isNull()) {
      throw new ConversionException(where + "." + field + ": Field required");
    }
    if (!v.isTextual()) {
      throw new ConversionException(where + "." + field + ": Input should be a valid string");
    }
    return v.textValue();
  }

  private static Part image(JsonNode block, String where) {
    JsonNode source = source(block, where);
    String kind = requiredText(source, "type", where + ".source");
    return switch (kind) {
      case "base64" -> new Part.Image(requiredText(source, "media_type", where + ".source"),
          requiredText(source, "data", where + ".source"), null);
      case "url" -> new Part.Image(null, null, requiredText(source, "url", where + ".source"));
      default -> throw new ConversionException(where + ".source.type: image source '" + kind
          + "' cannot be served by this pool");
    };
  }

  private static Part document(JsonNode block, String where) {
    JsonNode source = source(block, where);
    String kind = requiredText(source, "type", where + ".source");
    return switch (kind) {
      case "base64" -> new Part.Document(requiredText(source, "media_type", where + ".source"),
          requiredText(source, "data", where + ".source"), Json.text(block, "title"));
      case "text" -> new Part.Text(requiredText(source, "data", where + ".source"));
      default -> throw new ConversionException(where + ".source.type: document source '" + kind
          + "' cannot be served by this pool");
    };
  }

  private static JsonNode source(JsonNode block, String where) {
    JsonNode source = block.get("source");
    if (source == null || !source.isObject()) {
      throw new ConversionException(where + ".source: Field required");
    }
    return source;
  }

  private Part toolUse(JsonNode block, String where) {
    String id = requiredText(block, "id", where);
    String name = requiredText(block, "name", where);
    JsonNode input = block.get("input");
    if (input != null && !input.isNull() && !input.isObject()) {
      throw new ConversionException(where + ".input: Input should be an object");
    }
    callNames.put(id, name);
    String arguments = input == null || input.isNull() ? "{}" : new String(Json.write(input),
        java.nio.charset.StandardCharsets.UTF_8);
    return new Part.ToolCall(id, name, arguments, null);
  }

  private Part toolResult(JsonNode block, String where) {
    String id = requiredText(block, "tool_use_id", where);
    JsonNode content = block.get("content");
    List<Part> parts = new ArrayList<>();
    if (content != null && content.isTextual()) {
      if (!content.textValue().isEmpty()) {
        parts.add(new Part.Text(content.textValue()));
      }
    } else if (content != null && content.isArray()) {
      for (int k = 0; k < content.size(); k++) {
        String at = where + ".content[" + k + "]";
        JsonNode inner = content.get(k);
        String type = type(inner, at);
        switch (type) {
          case "text" -> parts.add(new Part.Text(requiredText(inner, "text", at)));
          case "image" -> parts.add(image(inner, at));
          case "document" -> parts.add(document(inner, at));
          default -> throw new ConversionException(at + ".type: tool result content of type '" + type
              + "' cannot be served by this pool");
        }
      }
    } else if (content != null && !content.isNull()) {
      throw new ConversionException(where + ".content: Input should be a string or a list of content blocks");
    }
    JsonNode isError = block.get("is_error");
    return new Part.ToolResult(id, callNames.get(id), parts, isError != null && isError.asBoolean(false));
  }

  /** A thinking block; a carried signature (another vendor's reasoning) is unwrapped to its origin. */
  private static Part thinking(JsonNode text, String signature, boolean redacted, String where) {
    if (text != null && !text.isNull() && !text.isTextual()) {
      throw new ConversionException(where + ".thinking: Input should be a valid string");
    }
    String shown = text == null || text.isNull() ? "" : text.textValue();
    if (signature == null || signature.isEmpty()) {
      return new Part.Reasoning(shown, null, redacted, null);
    }
    Part.Reasoning carried = CarriedSignature.unwrap(signature);
    if (carried != null) {
      String carriedText = shown.isEmpty() ? carried.text() : shown;
      return new Part.Reasoning(carriedText, carried.signature(), carried.redacted(), carried.origin());
    }
    return new Part.Reasoning(shown, signature, redacted, AnthropicWire.ORIGIN);
  }
}
