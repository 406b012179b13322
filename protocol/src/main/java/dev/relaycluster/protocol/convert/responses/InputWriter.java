package dev.relaycluster.protocol.convert.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns written as Responses input items: text, images and files as messages (user parts
 * {@code input_*}, assistant parts {@code output_text}), tool calls as {@code function_call} items (or
 * {@code custom_tool_call} for a free-form tool), tool results as {@code function_call_output} (or
 * {@code custom_tool_call_output}), OpenAI's own signed reasoning as {@code reasoning} items; reasoning
 * signed by another vendor is left out (it can only go back to its vendor). When an assistant turn with
 * tool calls carries no OpenAI reasoning, the {@link ReplayBook}'s reasoning for a call is put back before it.
 */
final class InputWriter {
  private final ArrayNode input;
  private final Set<String> freeformTools;
  private final ReplayBook replay;
  private final Set<String> freeformCalls = new HashSet<>();
  private ObjectNode message;

  InputWriter(ArrayNode input, Set<String> freeformTools, ReplayBook replay) {
    this.input = input;
    this.freeformTools = freeformTools;
    this.replay = replay;
  }

  void turns(List<Turn> turns) {
    for (int i = 0; i < turns.size(); i++) {
      Turn turn = turns.get(i);
      boolean signed = turn.parts().stream().anyMatch(p -> p instanceof Part.Reasoning r && ours(r));
      Set<String> replayed = new HashSet<>();
      List<Part> parts = turn.parts();
      for (int j = 0; j < parts.size(); j++) {
        String where = "turns[" + i + "].parts[" + j + "]";
        Part p = parts.get(j);
        if (p instanceof Part.ToolCall call && turn.role() == Role.ASSISTANT && !signed) {
          Part.Reasoning r = replay.reasoningBefore(call.id());
          if (r != null && ours(r) && replayed.add(r.signature())) {
            reasoning(r);
          }
        }
        part(turn.role(), p, where);
      }
      message = null;
    }
  }

  private void part(Role role, Part p, String where) {
    if (p instanceof Part.Text t) {
      content(role).addObject().put("type", role == Role.USER ? "input_text" : "output_text").put("text", t.text());
    } else if (p instanceof Part.Image img) {
      if (role != Role.USER) {
        throw new ConversionException(where + ": an image in an assistant message cannot be sent to this pool");
      }
      content(role).add(image(img));
    } else if (p instanceof Part.Document d) {
      if (role != Role.USER) {
        throw new ConversionException(where + ": a file in an assistant message cannot be sent to this pool");
      }
      content(role).add(file(d));
    } else if (p instanceof Part.ToolCall call) {
      call(call, where);
    } else if (p instanceof Part.ToolResult result) {
      result(result, where);
    } else if (p instanceof Part.Reasoning r) {
      if (ours(r)) {
        reasoning(r);
      }
    }
  }

  private ArrayNode content(Role role) {
    if (message == null) {
      message = input.addObject();
      message.put("type", "message");
      message.put("role", role == Role.USER ? "user" : "assistant");
      message.putArray("content");
    }
    return (ArrayNode) message.get("content");
  }

  private void call(Part.ToolCall call, String where) {
    message = null;
    ObjectNode item = input.addObject();
    if (freeformTools.contains(call.name())) {
      freeformCalls.add(call.id());
      item.put("type", "custom_tool_call");
      item.put("call_id", call.id());
      item.put("name", call.name());
      item.put("input", freeformInput(call.arguments(), where));
    } else {
      item.put("type", "function_call");
      item.put("call_id", call.id());
      item.put("name", call.name());
      item.put("arguments", call.arguments());
    }
  }

  /** The {@code input} string of a free-form call's arguments ({"input": "…"}). */
  static String freeformInput(String arguments, String where) {
    JsonNode args = Json.tryParse(arguments).orElse(null);
    JsonNode in = args == null ? null : args.get("input");
    if (in == null || !in.isTextual()) {
      throw new ConversionException(where + ": a call of a free-form tool needs arguments {\"input\": string}");
    }
    return in.textValue();
  }

  private void result(Part.ToolResult result, String where) {
    message = null;
    ObjectNode item = input.addObject();
    item.put("type", freeformCalls.contains(result.callId()) ? "custom_tool_call_output" : "function_call_output");
    item.put("call_id", result.callId());
    boolean textOnly = result.content().stream().allMatch(p -> p instanceof Part.Text);
    if (textOnly) {
      StringBuilder out = new StringBuilder();
      for (Part p : result.content()) {
        out.append(((Part.Text) p).text());
      }
      item.put("output", out.toString());
      return;
    }
    ArrayNode out = item.putArray("output");
    for (int k = 0; k < result.content().size(); k++) {
      Part p = result.content().get(k);
      if (p instanceof Part.Text t) {
        out.addObject().put("type", "input_text").put("text", t.text());
      } else if (p instanceof Part.Image img) {
        out.add(image(img));
      } else if (p instanceof Part.Document d) {
        out.add(file(d));
      } else {
        throw new ConversionException(where + ".content[" + k + "]: a tool result takes text, images and files");
      }
    }
  }

  private void reasoning(Part.Reasoning r) {
    message = null;
    ObjectNode item = input.addObject();
    item.put("type", "reasoning");
    ArrayNode summary = item.putArray("summary");
    if (r.text() != null && !r.text().isEmpty()) {
      summary.addObject().put("type", "summary_text").put("text", r.text());
    }
    item.put("encrypted_content", r.signature());
  }

  private static boolean ours(Part.Reasoning r) {
    return InputReader.ORIGIN.equals(r.origin()) && r.signature() != null;
  }

  static ObjectNode image(Part.Image img) {
    ObjectNode part = Json.mapper().createObjectNode();
    part.put("type", "input_image");
    part.put("image_url", img.url() != null ? img.url() : DataUrls.of(img.mediaType(), img.data()));
    part.put("detail", "auto");
    return part;
  }

  static ObjectNode file(Part.Document d) {
    ObjectNode part = Json.mapper().createObjectNode();
    part.put("type", "input_file");
    part.put("filename", d.name() == null ? "document.pdf" : d.name());
    part.put("file_data", DataUrls.of(d.mediaType(), d.data()));
    return part;
  }
}
