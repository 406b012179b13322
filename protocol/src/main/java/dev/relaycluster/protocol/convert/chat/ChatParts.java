package dev.relaycluster.protocol.convert.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chat message content both ways: a string or an array of content parts ({@code text}, {@code image_url},
 * {@code file}, {@code refusal}) read into {@link Part}s and written back, and data URLs. {@code input_audio}
 * and files by id are refused, naming the part.
 */
final class ChatParts {

  private ChatParts() {}

  /**
   * The parts of a message's {@code content} (a string, an array of parts, or null for none); {@code at}
   * is the field's name for messages ("messages[2].content"); {@code textOnly} refuses anything but text.
   */
  static List<Part> read(JsonNode content, String at, boolean textOnly) {
    List<Part> parts = new ArrayList<>();
    if (content == null || content.isNull()) {
      return parts;
    }
    if (content.isTextual()) {
      parts.add(new Part.Text(content.textValue()));
      return parts;
    }
    if (!content.isArray()) {
      throw new ConversionException(at + ": must be a string or an array of content parts");
    }
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String here = at + "[" + j + "]";
      String type = Json.text(part, "type");
      if (type == null) {
        throw new ConversionException(here + ".type: required");
      }
      switch (type) {
        case "text" -> parts.add(new Part.Text(requiredText(part, "text", here)));
        case "refusal" -> parts.add(new Part.Text(requiredText(part, "refusal", here)));
        case "image_url" -> {
          refuseUnlessText(textOnly, here, type);
          parts.add(image(part.get("image_url"), here + ".image_url"));
        }
        case "file" -> {
          refuseUnlessText(textOnly, here, type);
          parts.add(document(part.get("file"), here + ".file"));
        }
        default -> throw new ConversionException(here + ".type '" + type + "' is not supported");
      }
    }
    return parts;
  }

  private static void refuseUnlessText(boolean textOnly, String here, String type) {
    if (textOnly) {
      throw new ConversionException(here + ".type '" + type + "' is not supported here (text only)");
    }
  }

  private static String requiredText(JsonNode part, String field, String here) {
    String text = Json.text(part, field);
    if (text == null) {
      throw new ConversionException(here + "." + field + ": must be a string");
    }
    return text;
  }

  private static Part.Image image(JsonNode imageUrl, String at) {
    String url = imageUrl != null && imageUrl.isTextual() ? imageUrl.textValue() : Json.text(imageUrl, "url");
    if (url == null) {
      throw new ConversionException(at + ".url: required");
    }
    if (url.regionMatches(true, 0, "data:", 0, 5)) {
      DataUrl data = DataUrl.parse(url, at + ".url");
      return new Part.Image(data.mediaType(), data.base64(), null);
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://") || lower.startsWith("http://")) {
      return new Part.Image(guessImageType(url), null, url);
    }
    throw new ConversionException(at + ".url: must be a data URL or an http(s) URL");
  }

  private static Part.Document document(JsonNode file, String at) {
    if (file == null || !file.isObject()) {
      throw new ConversionException(at + ": required");
    }
    String name = Json.text(file, "filename");
    String fileData = Json.text(file, "file_data");
    if (fileData == null) {
      if (Json.text(file, "file_id") != null) {
        throw new ConversionException(at + ".file_id: uploaded files cannot be served; send file_data");
      }
      throw new ConversionException(at + ".file_data: required");
    }
    if (fileData.regionMatches(true, 0, "data:", 0, 5)) {
      DataUrl data = DataUrl.parse(fileData, at + ".file_data");
      return new Part.Document(data.mediaType(), data.base64(), name);
    }
    return new Part.Document(guessFileType(name), fileData, name);
  }

  /** The media type an address's file extension suggests, or null. */
  static String guessImageType(String url) {
    String path = url.toLowerCase(Locale.ROOT);
    int cut = indexOfAny(path, '?', '#');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    if (path.endsWith(".png")) {
      return "image/png";
    }
    if (path.endsWith(".jpg") || path.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    if (path.endsWith(".gif")) {
      return "image/gif";
    }
    if (path.endsWith(".webp")) {
      return "image/webp";
    }
    return null;
  }

  private static String guessFileType(String name) {
    String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".txt")) {
      return "text/plain";
    }
    return "application/pdf";
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int k = s.indexOf(b);
    return i < 0 ? k : k < 0 ? i : Math.min(i, k);
  }

  /** Writes user-side parts (text, images, documents) as a content array. */
  static ArrayNode write(List<Part> parts, String where) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (Part p : parts) {
      ObjectNode node = out.addObject();
      if (p instanceof Part.Text t) {
        node.put("type", "text");
        node.put("text", t.text());
      } else if (p instanceof Part.Image i) {
        node.put("type", "image_url");
        node.putObject("image_url").put("url", i.url() != null ? i.url() : DataUrl.of(i.mediaType(), i.data()));
      } else if (p instanceof Part.Document d) {
        node.put("type", "file");
        ObjectNode file = node.putObject("file");
        if (d.name() != null) {
          file.put("filename", d.name());
        }
        file.put("file_data", DataUrl.of(d.mediaType(), d.data()));
      } else {
        throw new ConversionException(where + ": a " + partName(p) + " cannot be written as Chat content");
      }
    }
    return out;
  }

  static String partName(Part p) {
    if (p instanceof Part.ToolCall) {
      return "tool call";
    }
    if (p instanceof Part.ToolResult) {
      return "tool result";
    }
    if (p instanceof Part.Reasoning) {
      return "reasoning part";
    }
    return p.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  /** A base64 data URL's media type (null when it names none) and data. */
  record DataUrl(String mediaType, String base64) {

    static DataUrl parse(String url, String at) {
      int comma = url.indexOf(',');
      if (comma < 0) {
        throw new ConversionException(at + ": a data URL needs a comma before its data");
      }
      String meta = url.substring(5, comma);
      if (!meta.toLowerCase(Locale.ROOT).endsWith(";base64")) {
        throw new ConversionException(at + ": only base64 data URLs are supported");
      }
      String type = meta.substring(0, meta.length() - ";base64".length());
      int semi = type.indexOf(';');
      if (semi >= 0) {
        type = type.substring(0, semi);
      }
      return new DataUrl(type.isBlank() ? null : type.strip(), url.substring(comma + 1));
    }

    static String of(String mediaType, String base64) {
      return "data:" + (mediaType == null ? "" : mediaType) + ";base64," + base64;
    }
  }
}
