package dev.relaycluster.protocol.convert.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.CarriedSignature;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.WholeAnswer;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A whole (non-streamed) Responses answer, the {@code response} object: read from an upstream (its output
 * items in order; hosted tools' items skipped; a whole SSE stream, as the ChatGPT backend always sends, is
 * added up by {@link StreamedAnswer}) and written for a client with the same items and ids the stream would
 * have had.
 */
final class WholeResponses {

  private WholeResponses() {}

  static WholeAnswer read(byte[] body) {
    if (body != null && StreamedAnswer.isStream(body)) {
      return StreamedAnswer.read(body);
    }
    JsonNode root = body == null ? null : Json.tryParse(body).orElse(null);
    if (root != null && !root.has("output") && root.path("response").isObject()) {
      root = root.get("response");
    }
    if (root == null || !root.isObject()) {
      throw new ConversionException(ErrorKind.BAD_GATEWAY, "the upstream answer is not a Responses object");
    }
    List<Part> content = new ArrayList<>();
    boolean calledTools = false;
    boolean refused = false;
    for (JsonNode item : root.path("output")) {
      switch (item.path("type").asText("")) {
        case "message" -> {
          StringBuilder text = new StringBuilder();
          for (JsonNode part : item.path("content")) {
            if ("refusal".equals(part.path("type").asText())) {
              refused = true;
              text.append(part.path("refusal").asText(""));
            } else {
              text.append(part.path("text").asText(""));
            }
          }
          content.add(new Part.Text(text.toString()));
        }
        case "reasoning" -> {
          String text = InputReader.joined(item.get("summary"));
          if (text.isEmpty()) {
            text = InputReader.joined(item.get("content"));
          }
          String encrypted = Json.text(item, "encrypted_content");
          if (encrypted != null || !text.isEmpty()) {
            content.add(new Part.Reasoning(text, encrypted, false, encrypted == null ? null : InputReader.ORIGIN));
          }
        }
        case "function_call" -> {
          calledTools = true;
          String args = item.path("arguments").asText("");
          content.add(new Part.ToolCall(item.path("call_id").asText(""), item.path("name").asText(""),
              args.isEmpty() ? "{}" : args, null));
        }
        case "custom_tool_call" -> {
          calledTools = true;
          ObjectNode args = Json.mapper().createObjectNode().put("input", item.path("input").asText(""));
          content.add(new Part.ToolCall(item.path("call_id").asText(""), item.path("name").asText(""),
              new String(Json.write(args), StandardCharsets.UTF_8), null));
        }
        default -> {
          // hosted tools' items: nothing for another dialect
        }
      }
    }
    return new WholeAnswer(Json.text(root, "id"), Json.text(root, "model"), content,
        ResponseObjects.stopReason(root, calledTools, refused), null,
        ResponseObjects.readUsage(root.get("usage")));
  }

  static byte[] write(WholeAnswer answer, AnswerOptions options) {
    String core = answer.id() != null && !answer.id().isEmpty() ? answer.id()
        : UUID.randomUUID().toString().replace("-", "");
    ArrayNode output = Json.mapper().createArrayNode();
    for (Part p : answer.content()) {
      int index = output.size();
      if (p instanceof Part.Text t) {
        output.add(ResponseObjects.message("msg_" + core + "_" + index, "completed", t.text()));
      } else if (p instanceof Part.Reasoning r) {
        String encrypted = r.signature() == null ? null
            : InputReader.ORIGIN.equals(r.origin()) ? r.signature() : CarriedSignature.wrap(r);
        output.add(ResponseObjects.reasoning("rs_" + core + "_" + index, r.text(), encrypted, true));
      } else if (p instanceof Part.ToolCall c) {
        output.add(options.freeformTools().contains(c.name())
            ? ResponseObjects.customCall("ctc_" + core + "_" + index, "completed", c.id(), c.name(),
                ResponsesEncoder.freeformInput(c.arguments()))
            : ResponseObjects.functionCall("fc_" + core + "_" + index, "completed", c.id(), c.name(),
                c.arguments()));
      }
    }
    String reason = ResponseObjects.incompleteReason(answer.stopReason());
    return Json.write(ResponseObjects.response("resp_" + core, options.createdSeconds(),
        reason == null ? "completed" : "incomplete", options.model(), output, answer.usage(), reason, null));
  }
}
