package dev.relaycluster.protocol.convert.anthropic;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Whole (non-streamed) Messages API answers, read and written, and the message of an error body. */
final class MessagesAnswers {
  private MessagesAnswers() {}

  static WholeAnswer read(byte[] body) {
    JsonNode root = Json.tryParse(body).orElse(null);
    if (root == null || !root.isObject() || !root.path("content").isArray()) {
      throw new ConversionException(ErrorKind.BAD_GATEWAY, "upstream answer is not a Messages API message");
    }
    List<Part> content = new ArrayList<>();
    for (JsonNode block : root.get("content")) {
      Part part = part(block);
      if (part != null) {
        content.add(part);
      }
    }
    return new WholeAnswer(Json.text(root, "id"), Json.text(root, "model"), content,
        AnthropicWire.stopReason(Json.text(root, "stop_reason")), Json.text(root, "stop_sequence"),
        AnthropicWire.usage(root.get("usage")));
  }

  private static Part part(JsonNode block) {
    String type = Json.text(block, "type");
    if (type == null) {
      return null;
    }
    return switch (type) {
      case "text" -> new Part.Text(Json.text(block, "text") == null ? "" : Json.text(block, "text"));
      case "thinking" -> {
        String signature = Json.text(block, "signature");
        boolean signed = signature != null && !signature.isEmpty();
        String text = Json.text(block, "thinking");
        yield new Part.Reasoning(text == null ? "" : text, signed ? signature : null, false,
            signed ? AnthropicWire.ORIGIN : null);
      }
      case "redacted_thinking" -> new Part.Reasoning("", Json.text(block, "data"), true, AnthropicWire.ORIGIN);
      case "tool_use" -> {
        JsonNode input = block.get("input");
        String arguments = input == null || !input.isObject() ? "{}"
            : new String(Json.write(input), StandardCharsets.UTF_8);
        yield new Part.ToolCall(Json.text(block, "id"), Json.text(block, "name"), arguments, null);
      }
      default -> null;
    };
  }

  static byte[] write(WholeAnswer answer, AnswerOptions options) {
    ObjectNode root = AnthropicWire.object();
    root.put("id", MessagesStreamEncoder.messageId(answer.id())).put("type", "message").put("role", "assistant");
    ArrayNode content = root.putArray("content");
    boolean sawTool = false;
    for (Part part : answer.content()) {
      if (part instanceof Part.Text t) {
        content.addObject().put("type", "text").put("text", t.text());
      } else if (part instanceof Part.Reasoning r) {
        reasoning(content, r);
      } else if (part instanceof Part.ToolCall c) {
        sawTool = true;
        ObjectNode block = content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name());
        block.set("input", input(c.arguments()));
      }
    }
    root.put("model", options.model());
    StopReason reason = answer.stopReason() == StopReason.END_TURN && sawTool ? StopReason.TOOL_USE
        : answer.stopReason();
    root.put("stop_reason", AnthropicWire.stopReason(reason));
    if (answer.stopSequence() == null) {
      root.putNull("stop_sequence");
    } else {
      root.put("stop_sequence", answer.stopSequence());
    }
    AnthropicWire.putUsage(root.putObject("usage"), answer.usage());
    return Json.write(root);
  }

  /** A thinking block; another vendor's signature rides as a carried one, no signature gives "". */
  private static void reasoning(ArrayNode content, Part.Reasoning r) {
    String signature = r.signature();
    if (signature != null && !signature.isEmpty() && !AnthropicWire.ORIGIN.equals(r.origin())) {
      signature = CarriedSignature.wrap(r);
    }
    boolean signed = signature != null && !signature.isEmpty();
    if (r.redacted()) {
      if (signed) {
        content.addObject().put("type", "redacted_thinking").put("data", signature);
      }
      return;
    }
    content.addObject().put("type", "thinking").put("thinking", r.text() == null ? "" : r.text())
        .put("signature", signed ? signature : "");
  }

  private static JsonNode input(String arguments) {
    if (arguments != null && !arguments.isBlank()) {
      JsonNode node = Json.tryParse(arguments).orElse(null);
      if (node != null && node.isObject()) {
        return node;
      }
    }
    return AnthropicWire.object();
  }

  static String errorMessage(byte[] body) {
    JsonNode root = body == null ? null : Json.tryParse(body).orElse(null);
    return root == null ? null : Json.text(root.get("error"), "message");
  }
}
