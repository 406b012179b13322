package dev.relaycluster.protocol.convert.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Effort;
import dev.relaycluster.protocol.convert.OutputFormat;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Thinking;
import dev.relaycluster.protocol.convert.ToolChoice;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a Messages ({@code messages} or {@code count_tokens}) request body into a {@link Conversation}. */
final class MessagesReader {
  /** Claude Code's per-request billing block in {@code system}: means nothing to another vendor. */
  private static final String BILLING_BLOCK = "x-anthropic-billing-header:";

  private MessagesReader() {}

  static Conversation read(byte[] body) {
    JsonNode root = parse(body);
    String model = Json.text(root, "model");
    if (model == null || model.isEmpty()) {
      throw new ConversionException("model: Field required");
    }
    JsonNode messages = root.get("messages");
    if (messages == null || messages.isNull()) {
      throw new ConversionException("messages: Field required");
    }
    if (!messages.isArray()) {
      throw new ConversionException("messages: Input should be a valid list");
    }
    JsonNode choice = root.get("tool_choice");
    Boolean parallel = choice != null && choice.path("disable_parallel_tool_use").asBoolean(false) ? false : null;
    JsonNode stream = root.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw new ConversionException("stream: Input should be a valid boolean");
    }
    List<String> system = system(root.get("system"));
    List<Turn> turns = turns(messages, system);
    return new Conversation(model, system, turns, tools(root.get("tools")),
        toolChoice(choice), parallel, integer(root, "max_tokens"), number(root, "temperature"), number(root, "top_p"),
        topK(root), stops(root.get("stop_sequences")), thinking(root), format(root),
        stream != null && stream.asBoolean(false), Json.text(root.get("metadata"), "user_id"));
  }

  private static JsonNode parse(byte[] body) {
    JsonNode root;
    try {
      root = body == null || body.length == 0 ? null : Json.parse(body);
    } catch (IOException e) {
      throw new ConversionException("request body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new ConversionException("request body must be a JSON object");
    }
    return root;
  }

  private static List<String> system(JsonNode system) {
    List<String> out = new ArrayList<>();
    if (system == null || system.isNull()) {
      return out;
    }
    if (system.isTextual()) {
      if (!system.textValue().isEmpty()) {
        out.add(system.textValue());
      }
      return out;
    }
    if (!system.isArray()) {
      throw new ConversionException("system: Input should be a string or a list of text blocks");
    }
    for (int i = 0; i < system.size(); i++) {
      JsonNode block = system.get(i);
      if (!"text".equals(Json.text(block, "type"))) {
        throw new ConversionException("system[" + i + "].type: only text blocks are accepted");
      }
      String text = BlockReader.requiredText(block, "text", "system[" + i + "]");
      if (!text.startsWith(BILLING_BLOCK)) {
        out.add(text);
      }
    }
    return out;
  }

  /**
   * The turns of {@code messages}; a {@code system} message among them (Claude Code puts its environment
   * block there for some models) adds its text to {@code system}, after the top-level system text.
   */
  private static List<Turn> turns(JsonNode messages, List<String> system) {
    BlockReader reader = new BlockReader(new HashMap<>());
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String where = "messages[" + i + "]";
      if (message == null || !message.isObject()) {
        throw new ConversionException(where + ": Input should be an object");
      }
      String roleName = Json.text(message, "role");
      Role role;
      if ("user".equals(roleName)) {
        role = Role.USER;
      } else if ("assistant".equals(roleName)) {
        role = Role.ASSISTANT;
      } else if ("system".equals(roleName)) {
        for (Part p : reader.content(message.get("content"), where + ".content")) {
          if (!(p instanceof Part.Text t)) {
            throw new ConversionException(where + ".content: a system message holds only text");
          }
          if (!t.text().isEmpty()) {
            system.add(t.text());
          }
        }
        continue;
      } else {
        throw new ConversionException(where + ".role: Input should be 'user', 'assistant' or 'system'");
      }
      List<Part> parts = reader.content(message.get("content"), where + ".content");
      Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
      if (last != null && last.role() == role) {
        List<Part> merged = new ArrayList<>(last.parts());
        merged.addAll(parts);
        turns.set(turns.size() - 1, new Turn(role, merged));
      } else {
        turns.add(new Turn(role, parts));
      }
    }
    return turns;
  }

  private static List<ToolSpec> tools(JsonNode tools) {
    List<ToolSpec> out = new ArrayList<>();
    if (tools == null || tools.isNull()) {
      return out;
    }
    if (!tools.isArray()) {
      throw new ConversionException("tools: Input should be a valid list");
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String where = "tools[" + i + "]";
      if (tool == null || !tool.isObject()) {
        throw new ConversionException(where + ": Input should be an object");
      }
      String type = Json.text(tool, "type");
      if (type != null && !type.equals("custom")) {
        throw new ConversionException(where + ": the server tool '" + type + "' cannot be served by this pool");
      }
      String name = BlockReader.requiredText(tool, "name", where);
      JsonNode schema = tool.get("input_schema");
      if (schema == null || !schema.isObject()) {
        throw new ConversionException(where + ".input_schema: Field required");
      }
      out.add(new ToolSpec(name, Json.text(tool, "description"), schema));
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    String type = Json.text(choice, "type");
    if (type == null) {
      throw new ConversionException("tool_choice.type: Field required");
    }
    return switch (type) {
      case "auto" -> ToolChoice.AUTO;
      case "any" -> ToolChoice.REQUIRED;
      case "none" -> ToolChoice.NONE;
      case "tool" -> ToolChoice.named(BlockReader.requiredText(choice, "name", "tool_choice"));
      default -> throw new ConversionException("tool_choice.type: unknown tool choice '" + type + "'");
    };
  }

  private static Thinking thinking(JsonNode root) {
    JsonNode thinking = root.get("thinking");
    if (thinking == null || thinking.isNull()) {
      return Thinking.UNSET;
    }
    String type = Json.text(thinking, "type");
    if (type == null) {
      throw new ConversionException("thinking.type: Field required");
    }
    switch (type) {
      case "enabled" -> {
        long budget = integer(thinking, "budget_tokens", "thinking.budget_tokens");
        if (budget < 0) {
          throw new ConversionException("thinking.budget_tokens: Field required");
        }
        return new Thinking(effortForBudget(budget), budget, true);
      }
      case "adaptive" -> {
        String effort = Json.text(root.get("output_config"), "effort");
        return new Thinking(effort(effort), -1, true);
      }
      case "disabled" -> {
        return new Thinking(Effort.NONE, 0, false);
      }
      default -> throw new ConversionException("thinking.type: unknown thinking type '" + type + "'");
    }
  }

  static Effort effortForBudget(long budget) {
    if (budget <= 2048) {
      return Effort.LOW;
    }
    return budget <= 16384 ? Effort.MEDIUM : Effort.HIGH;
  }

  private static Effort effort(String wire) {
    if (wire == null || wire.equals("max")) {
      return wire == null ? Effort.HIGH : Effort.XHIGH;
    }
    Effort effort = Effort.of(wire);
    if (effort == null || effort == Effort.NONE) {
      throw new ConversionException("output_config.effort: unknown effort '" + wire + "'");
    }
    return effort;
  }

  private static OutputFormat format(JsonNode root) {
    JsonNode format = root.get("output_format");
    String field = "output_format";
    if (format == null || format.isNull()) {
      format = root.path("output_config").get("format");
      field = "output_config.format";
    }
    if (format == null || format.isNull()) {
      return null;
    }
    if (!"json_schema".equals(Json.text(format, "type"))) {
      throw new ConversionException(field + ".type: only 'json_schema' is accepted");
    }
    JsonNode schema = format.get("schema");
    if (schema == null || !schema.isObject()) {
      throw new ConversionException(field + ".schema: Field required");
    }
    return new OutputFormat("output", schema, true);
  }

  private static List<String> stops(JsonNode stops) {
    List<String> out = new ArrayList<>();
    if (stops == null || stops.isNull()) {
      return out;
    }
    if (!stops.isArray()) {
      throw new ConversionException("stop_sequences: Input should be a valid list");
    }
    for (int i = 0; i < stops.size(); i++) {
      if (!stops.get(i).isTextual()) {
        throw new ConversionException("stop_sequences[" + i + "]: Input should be a valid string");
      }
      out.add(stops.get(i).textValue());
    }
    return out;
  }

  /** An integer field, -1 when absent; another type is refused. */
  private static long integer(JsonNode node, String field) {
    return integer(node, field, field);
  }

  private static long integer(JsonNode node, String field, String label) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return -1;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new ConversionException(label + ": Input should be a valid non-negative integer");
    }
    return v.longValue();
  }

  private static Double number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new ConversionException(field + ": Input should be a valid number");
    }
    return v.doubleValue();
  }

  private static Integer topK(JsonNode root) {
    long k = integer(root, "top_k");
    return k < 0 ? null : (int) Math.min(k, Integer.MAX_VALUE);
  }
}
