package dev.relaycluster.protocol.convert.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * Content parts of a Responses message or tool output ({@code input_text}, {@code output_text},
 * {@code refusal}, {@code input_image}, {@code input_file}) read into {@link Part}s; {@code where} names the
 * field in errors.
 */
final class ContentReader {

  private ContentReader() {}

  /** A message's or output's content: a string (one text part, none when empty) or an array of parts. */
  static List<Part> parts(JsonNode content, String where) {
    List<Part> parts = new ArrayList<>();
    if (content == null || content.isNull()) {
      return parts;
    }
    if (content.isTextual()) {
      if (!content.textValue().isEmpty()) {
        parts.add(new Part.Text(content.textValue()));
      }
      return parts;
    }
    if (!content.isArray()) {
      throw new ConversionException(where + ": expected a string or an array of content parts");
    }
    for (int i = 0; i < content.size(); i++) {
      parts.add(part(content.get(i), where + "[" + i + "]"));
    }
    return parts;
  }

  static Part part(JsonNode part, String where) {
    String type = part.path("type").asText("");
    switch (type) {
      case "input_text", "output_text", "text", "summary_text" -> {
        return new Part.Text(part.path("text").asText(""));
      }
      case "refusal" -> {
        return new Part.Text(part.path("refusal").asText(""));
      }
      case "input_image" -> {
        return image(part, where);
      }
      case "input_file" -> {
        return file(part, where);
      }
      default -> throw new ConversionException(where + ".type '" + type + "' is not supported here");
    }
  }

  private static Part image(JsonNode part, String where) {
    if (part.hasNonNull("file_id")) {
      throw new ConversionException(where + ".file_id: uploaded files cannot be used from this pool;"
          + " send the image inline as image_url");
    }
    JsonNode url = part.get("image_url");
    String address = url == null ? null : url.isTextual() ? url.textValue() : url.path("url").asText(null);
    if (address == null || address.isEmpty()) {
      throw new ConversionException(where + ".image_url: missing");
    }
    String[] inline = DataUrls.parse(address);
    if (inline != null) {
      return new Part.Image(inline[0], inline[1], null);
    }
    if (address.startsWith("http://") || address.startsWith("https://")) {
      return new Part.Image(null, null, address);
    }
    throw new ConversionException(where + ".image_url: expected a base64 data URL or an http(s) URL");
  }

  private static Part file(JsonNode part, String where) {
    if (part.hasNonNull("file_id")) {
      throw new ConversionException(where + ".file_id: uploaded files cannot be used from this pool;"
          + " send the file inline as file_data");
    }
    String data = part.path("file_data").asText(null);
    if (data == null) {
      String field = part.hasNonNull("file_url") ? ".file_url" : ".file_data";
      throw new ConversionException(where + field + ": only inline files (file_data) can be sent from this pool");
    }
    String filename = part.path("filename").asText(null);
    String[] inline = DataUrls.parse(data);
    if (inline != null) {
      return new Part.Document(inline[0] == null ? "application/pdf" : inline[0], inline[1], filename);
    }
    return new Part.Document("application/pdf", data, filename);
  }
}
