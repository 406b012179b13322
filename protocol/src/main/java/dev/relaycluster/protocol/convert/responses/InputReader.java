package dev.relaycluster.protocol.convert.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.CarriedSignature;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.dialect.DialectId;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's {@code input} read into system text and turns: system and developer messages (wherever they
 * stand; Codex sends its prompt as developer messages first) become system text in order, each text part
 * one entry; messages, calls, outputs and reasoning become user and assistant turns, consecutive items of
 * one role merged into one turn.
 */
final class InputReader {
  static final String ORIGIN = DialectId.OPENAI_RESPONSES.wireName();

  final List<String> system = new ArrayList<>();
  final List<Turn> turns = new ArrayList<>();
  private final Map<String, String> callNames = new HashMap<>();
  private Role role;
  private List<Part> parts;

  void read(JsonNode input) {
    if (input == null || input.isNull()) {
      return;
    }
    if (input.isTextual()) {
      add(Role.USER, new Part.Text(input.textValue()));
      flush();
      return;
    }
    if (!input.isArray()) {
      throw new ConversionException("input: expected a string or an array of items");
    }
    for (int i = 0; i < input.size(); i++) {
      item(input.get(i), "input[" + i + "]");
    }
    flush();
  }

  private void item(JsonNode item, String where) {
    String type = item.path("type").asText(item.has("role") ? "message" : "");
    switch (type) {
      case "message" -> message(item, where);
      case "function_call" -> call(item, where, item.path("arguments").asText(""));
      case "custom_tool_call" -> {
        ObjectNode args = Json.mapper().createObjectNode();
        args.put("input", item.path("input").asText(""));
        call(item, where, new String(Json.write(args), java.nio.charset.StandardCharsets.UTF_8));
      }
      case "function_call_output", "custom_tool_call_output" -> output(item, where);
      case "reasoning" -> reasoning(item);
      case "item_reference" -> throw new ConversionException(where + ".type 'item_reference': this pool keeps no"
          + " stored items; send the whole item");
      default -> throw new ConversionException(where + ".type '" + type + "' cannot be served by this pool");
    }
  }

  private void message(JsonNode item, String where) {
    String r = item.path("role").asText("");
    List<Part> content = ContentReader.parts(item.get("content"), where + ".content");
    switch (r) {
      case "system", "developer" -> {
        for (int j = 0; j < content.size(); j++) {
          if (!(content.get(j) instanceof Part.Text t)) {
            throw new ConversionException(where + ".content[" + j + "]: a " + r + " message takes only text");
          }
          system.add(t.text());
        }
      }
      case "user" -> content.forEach(p -> add(Role.USER, p));
      case "assistant" -> {
        for (int j = 0; j < content.size(); j++) {
          if (!(content.get(j) instanceof Part.Text)) {
            throw new ConversionException(where + ".content[" + j + "]: an assistant message takes only text");
          }
          add(Role.ASSISTANT, content.get(j));
        }
      }
      default -> throw new ConversionException(where + ".role: unknown role '" + r + "'");
    }
  }

  private void call(JsonNode item, String where, String arguments) {
    String id = item.path("call_id").asText(null);
    String name = item.path("name").asText(null);
    if (id == null || name == null) {
      throw new ConversionException(where + ": a tool call needs call_id and name");
    }
    callNames.put(id, name);
    add(Role.ASSISTANT, new Part.ToolCall(id, name, arguments.isBlank() ? "{}" : arguments, null));
  }

  private void output(JsonNode item, String where) {
    String id = item.path("call_id").asText(null);
    if (id == null) {
      throw new ConversionException(where + ".call_id: missing");
    }
    List<Part> content = ContentReader.parts(item.get("output"), where + ".output");
    add(Role.USER, new Part.ToolResult(id, callNames.get(id), content, false));
  }

  private void reasoning(JsonNode item) {
    String encrypted = item.path("encrypted_content").asText(null);
    Part.Reasoning carried = CarriedSignature.unwrap(encrypted);
    if (carried != null) {
      add(Role.ASSISTANT, carried);
      return;
    }
    String text = joined(item.get("summary"));
    if (text.isEmpty()) {
      text = joined(item.get("content"));
    }
    if (encrypted == null && text.isEmpty()) {
      return;
    }
    add(Role.ASSISTANT, new Part.Reasoning(text, encrypted, false, encrypted == null ? null : ORIGIN));
  }

  /** The text parts of a reasoning item's summary or content, joined with blank lines. */
  static String joined(JsonNode parts) {
    if (parts == null || !parts.isArray()) {
      return "";
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode p : parts) {
      String t = p.path("text").asText("");
      if (!t.isEmpty()) {
        texts.add(t);
      }
    }
    return String.join("\n\n", texts);
  }

  private void add(Role r, Part p) {
    if (role != r) {
      flush();
      role = r;
      parts = new ArrayList<>();
    }
    parts.add(p);
  }

  private void flush() {
    if (role != null && !parts.isEmpty()) {
      turns.add(new Turn(role, parts));
    }
    role = null;
    parts = null;
  }
}
