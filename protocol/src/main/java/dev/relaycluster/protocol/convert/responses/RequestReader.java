package dev.relaycluster.protocol.convert.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.Effort;
import dev.relaycluster.protocol.convert.OutputFormat;
import dev.relaycluster.protocol.convert.Thinking;
import dev.relaycluster.protocol.convert.ToolChoice;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Responses request ({@code POST /responses}, {@code /responses/compact}) read into a {@link Conversation}.
 * {@code instructions} is the first system text; {@code input} is read by {@link InputReader}. Function and
 * custom (free-form) tools become {@link ToolSpec}s; hosted tools (web_search, file_search, local_shell, mcp,
 * …) are left out, since only OpenAI runs them and Codex offers some on every request whether used or not.
 * {@code reasoning.summary} other than "none" asks for reasoning text back. Ignored: store, include,
 * prompt_cache_key, client_metadata, service_tier, truncation, metadata, text.verbosity.
 */
final class RequestReader {
  private RequestReader() {}

  static Conversation read(String endpoint, byte[] body) {
    JsonNode root;
    try {
      root = body == null ? null : Json.parse(body);
    } catch (IOException e) {
      throw new ConversionException("the request body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new ConversionException("the request body must be a JSON object");
    }
    if (root.hasNonNull("previous_response_id")) {
      throw new ConversionException("previous_response_id: this pool keeps no stored responses; send the whole"
          + " conversation");
    }
    if (root.hasNonNull("conversation")) {
      throw new ConversionException("conversation: this pool keeps no stored conversations; send the whole"
          + " conversation");
    }
    if (root.hasNonNull("prompt")) {
      throw new ConversionException("prompt: stored prompts cannot be used from this pool; send the instructions");
    }
    if (root.path("background").asBoolean(false)) {
      throw new ConversionException("background: this pool answers only in the foreground");
    }
    InputReader input = new InputReader();
    String instructions = Json.text(root, "instructions");
    if (instructions != null && !instructions.isEmpty()) {
      input.system.add(instructions);
    }
    input.read(root.get("input"));
    List<ToolSpec> tools = tools(root.get("tools"));
    String user = Json.text(root, "user");
    if (user == null) {
      user = Json.text(root, "safety_identifier");
    }
    JsonNode max = root.get("max_output_tokens");
    return new Conversation(Json.text(root, "model"), input.system, input.turns, tools,
        toolChoice(root.get("tool_choice")), bool(root.get("parallel_tool_calls")),
        max != null && max.canConvertToLong() && max.isIntegralNumber() ? max.longValue() : -1,
        number(root.get("temperature")), number(root.get("top_p")), null, List.of(),
        thinking(root.get("reasoning")), format(root.path("text").get("format")),
        !"compact".equals(endpoint) && root.path("stream").asBoolean(false), user);
  }

  private static List<ToolSpec> tools(JsonNode tools) {
    List<ToolSpec> specs = new ArrayList<>();
    if (tools == null || !tools.isArray()) {
      return specs;
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText("");
      String name = Json.text(tool, "name");
      if ("function".equals(type)) {
        if (name == null) {
          throw new ConversionException("tools[" + i + "].name: missing");
        }
        JsonNode params = tool.get("parameters");
        if (params == null || !params.isObject()) {
          ObjectNode empty = Json.mapper().createObjectNode();
          empty.put("type", "object");
          empty.putObject("properties");
          params = empty;
        }
        specs.add(new ToolSpec(name, Json.text(tool, "description"), params));
      } else if ("custom".equals(type)) {
        if (name == null) {
          throw new ConversionException("tools[" + i + "].name: missing");
        }
        specs.add(new ToolSpec(name, Json.text(tool, "description"), freeformSchema(), true));
      }
    }
    return specs;
  }

  /** The arguments schema a free-form tool has in the model: one string, {@code input}. */
  static ObjectNode freeformSchema() {
    ObjectNode schema = Json.mapper().createObjectNode();
    schema.put("type", "object");
    schema.putObject("properties").putObject("input").put("type", "string");
    schema.putArray("required").add("input");
    return schema;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    if (choice.isTextual()) {
      return switch (choice.textValue()) {
        case "auto" -> ToolChoice.AUTO;
        case "none" -> ToolChoice.NONE;
        case "required" -> ToolChoice.REQUIRED;
        default -> throw new ConversionException("tool_choice: unknown value '" + choice.textValue() + "'");
      };
    }
    String type = choice.path("type").asText("");
    if (("function".equals(type) || "custom".equals(type)) && choice.hasNonNull("name")) {
      return ToolChoice.named(choice.get("name").asText());
    }
    if ("allowed_tools".equals(type)) {
      throw new ConversionException("tool_choice.type 'allowed_tools' cannot be served by this pool");
    }
    throw new ConversionException("tool_choice: the hosted tool '" + type + "' cannot be served by this pool");
  }

  private static Thinking thinking(JsonNode reasoning) {
    if (reasoning == null || !reasoning.isObject()) {
      return Thinking.UNSET;
    }
    String wire = Json.text(reasoning, "effort");
    Effort effort = Effort.of(wire);
    if (wire != null && effort == null) {
      throw new ConversionException("reasoning.effort: unknown value '" + wire + "'");
    }
    String summary = Json.text(reasoning, "summary");
    if (summary == null) {
      summary = Json.text(reasoning, "generate_summary");
    }
    return new Thinking(effort, -1, summary != null && !"none".equals(summary));
  }

  private static OutputFormat format(JsonNode format) {
    if (format == null || !format.isObject()) {
      return null;
    }
    return switch (format.path("type").asText("")) {
      case "json_schema" -> new OutputFormat(Json.text(format, "name"), format.get("schema"),
          format.path("strict").asBoolean(false));
      case "json_object" -> new OutputFormat(null, null, false);
      case "text" -> null;
      default -> throw new ConversionException("text.format.type '" + format.path("type").asText() + "' is not"
          + " supported");
    };
  }

  private static Boolean bool(JsonNode n) {
    return n != null && n.isBoolean() ? n.booleanValue() : null;
  }

  private static Double number(JsonNode n) {
    return n != null && n.isNumber() ? n.doubleValue() : null;
  }
}
