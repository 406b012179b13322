package dev.relaycluster.protocol.convert.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.ConversionException;
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
 * A Chat Completions request body read into a {@link Conversation} (platforms.md §2.1). The messages are
 * {@link ChatMessageReader}'s job; this reads the rest. Sampling penalties, logprobs, seed, metadata and the
 * like are not part of the model and are ignored; {@code n} above 1 is refused.
 */
final class ChatRequestReader {

  static final String EMPTY_SCHEMA = "{\"type\":\"object\",\"properties\":{}}";

  private ChatRequestReader() {}

  static Conversation read(byte[] body) {
    JsonNode root;
    try {
      root = body == null ? null : Json.parse(body);
    } catch (IOException e) {
      throw new ConversionException("body: not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new ConversionException("body: must be a JSON object");
    }
    String model = Json.text(root, "model");
    if (model == null || model.isEmpty()) {
      throw new ConversionException("model: required");
    }
    JsonNode n = root.get("n");
    if (n != null && !n.isNull() && (!n.isIntegralNumber() || n.longValue() != 1)) {
      throw new ConversionException("n: only one choice can be served");
    }
    ChatMessageReader.Result messages = ChatMessageReader.read(root.get("messages"));
    List<ToolSpec> tools = tools(root);
    ToolChoice choice = toolChoice(root.get("tool_choice"), "tool_choice");
    if (choice == null) {
      choice = legacyChoice(root.get("function_call"));
    }
    long maxTokens = integer(root, "max_completion_tokens");
    if (maxTokens < 0) {
      maxTokens = integer(root, "max_tokens");
    }
    JsonNode topK = root.get("top_k");
    return new Conversation(model, messages.system(), messages.turns(), tools, choice,
        bool(root, "parallel_tool_calls"), maxTokens, number(root, "temperature"), number(root, "top_p"),
        topK != null && topK.isIntegralNumber() ? topK.intValue() : null, stop(root.get("stop")), thinking(root),
        format(root.get("response_format")), Boolean.TRUE.equals(bool(root, "stream")), Json.text(root, "user"));
  }

  private static List<ToolSpec> tools(JsonNode root) {
    List<ToolSpec> out = new ArrayList<>();
    JsonNode tools = root.get("tools");
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw new ConversionException("tools: must be an array");
      }
      for (int i = 0; i < tools.size(); i++) {
        JsonNode tool = tools.get(i);
        String type = Json.text(tool, "type");
        if (type != null && !"function".equals(type)) {
          throw new ConversionException("tools[" + i + "].type '" + type + "' is not supported");
        }
        out.add(function(tool == null ? null : tool.get("function"), "tools[" + i + "].function"));
      }
    }
    JsonNode functions = root.get("functions");
    if (functions != null && functions.isArray()) {
      for (int i = 0; i < functions.size(); i++) {
        out.add(function(functions.get(i), "functions[" + i + "]"));
      }
    }
    return out;
  }

  private static ToolSpec function(JsonNode f, String at) {
    String name = Json.text(f, "name");
    if (name == null || name.isEmpty()) {
      throw new ConversionException(at + ".name: required");
    }
    JsonNode parameters = f.get("parameters");
    if (parameters == null || parameters.isNull()) {
      parameters = Json.tryParse(EMPTY_SCHEMA).orElseThrow();
    } else if (!parameters.isObject()) {
      throw new ConversionException(at + ".parameters: must be a JSON Schema object");
    }
    return new ToolSpec(name, Json.text(f, "description"), parameters);
  }

  static ToolChoice toolChoice(JsonNode node, String at) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return switch (node.textValue()) {
        case "auto" -> ToolChoice.AUTO;
        case "none" -> ToolChoice.NONE;
        case "required" -> ToolChoice.REQUIRED;
        default -> throw new ConversionException(at + ": unknown value '" + node.textValue() + "'");
      };
    }
    String type = Json.text(node, "type");
    String name = Json.text(node.get("function"), "name");
    if (!"function".equals(type)) {
      throw new ConversionException(at + ".type '" + type + "' is not supported");
    }
    if (name == null || name.isEmpty()) {
      throw new ConversionException(at + ".function.name: required");
    }
    return ToolChoice.named(name);
  }

  private static ToolChoice legacyChoice(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return toolChoice(node, "function_call");
    }
    String name = Json.text(node, "name");
    if (name == null) {
      throw new ConversionException("function_call.name: required");
    }
    return ToolChoice.named(name);
  }

  private static List<String> stop(JsonNode stop) {
    List<String> out = new ArrayList<>();
    if (stop == null || stop.isNull()) {
      return out;
    }
    if (stop.isTextual()) {
      out.add(stop.textValue());
      return out;
    }
    if (!stop.isArray()) {
      throw new ConversionException("stop: must be a string or an array of strings");
    }
    for (int i = 0; i < stop.size(); i++) {
      if (!stop.get(i).isTextual()) {
        throw new ConversionException("stop[" + i + "]: must be a string");
      }
      out.add(stop.get(i).textValue());
    }
    return out;
  }

  private static Thinking thinking(JsonNode root) {
    JsonNode node = root.get("reasoning_effort");
    if (node == null || node.isNull()) {
      return Thinking.UNSET;
    }
    Effort effort = node.isTextual() ? Effort.of(node.textValue()) : null;
    if (effort == null) {
      throw new ConversionException("reasoning_effort: unknown value " + node);
    }
    return new Thinking(effort, -1, effort != Effort.NONE);
  }

  private static OutputFormat format(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    String type = Json.text(node, "type");
    if (type == null) {
      throw new ConversionException("response_format.type: required");
    }
    return switch (type) {
      case "text" -> null;
      case "json_object" -> new OutputFormat(null, null, false);
      case "json_schema" -> {
        JsonNode spec = node.get("json_schema");
        JsonNode schema = spec == null ? null : spec.get("schema");
        if (schema == null || !schema.isObject()) {
          throw new ConversionException("response_format.json_schema.schema: required, a JSON Schema object");
        }
        yield new OutputFormat(Json.text(spec, "name"), schema, spec.path("strict").asBoolean(false));
      }
      default -> throw new ConversionException("response_format.type '" + type + "' is not supported");
    };
  }

  private static long integer(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return -1;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new ConversionException(field + ": must be a non-negative integer");
    }
    return v.longValue();
  }

  private static Double number(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new ConversionException(field + ": must be a number");
    }
    return v.doubleValue();
  }

  private static Boolean bool(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw new ConversionException(field + ": must be true or false");
    }
    return v.booleanValue();
  }
}
