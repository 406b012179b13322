package dev.relaycluster.protocol.convert.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.OutputFormat;
import dev.relaycluster.protocol.convert.Thinking;
import dev.relaycluster.protocol.convert.ToolChoice;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.gemini.GeminiEndpoint;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Gemini client's {@code GenerateContentRequest} to {@code models/{model}:generateContent} or
 * {@code :streamGenerateContent} as a {@link Conversation}; the contents are read by
 * {@link GeminiContentReader}. Gemini-only tools (Google Search, code execution, URL context) are refused.
 */
final class GeminiRequestReader {
  private GeminiRequestReader() {}

  static Conversation read(String endpoint, byte[] body) {
    GeminiEndpoint ep = GeminiEndpoint.parse(endpoint).orElse(null);
    if (ep == null || ep.codeAssist() || !ep.generates()) {
      throw new ConversionException(ErrorKind.NOT_FOUND, "endpoint '" + endpoint + "' is not a Gemini generation call");
    }
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (IOException e) {
      throw new ConversionException("the request body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new ConversionException("the request body is not a JSON object");
    }
    List<String> system = new ArrayList<>();
    JsonNode si = root.get("systemInstruction");
    if (si != null && si.isTextual()) {
      system.add(si.textValue());
    } else if (si != null) {
      for (JsonNode p : si.path("parts")) {
        String text = Json.text(p, "text");
        if (text != null) {
          system.add(text);
        }
      }
    }
    List<Turn> turns = new GeminiContentReader().read(root.path("contents"));
    List<ToolSpec> tools = tools(root.path("tools"));
    ToolChoice choice = toolChoice(root.path("toolConfig").path("functionCallingConfig"));
    JsonNode g = root.path("generationConfig");
    long maxTokens = g.path("maxOutputTokens").canConvertToLong() && g.path("maxOutputTokens").isIntegralNumber()
        ? g.path("maxOutputTokens").longValue() : -1;
    Double temperature = g.path("temperature").isNumber() ? g.path("temperature").doubleValue() : null;
    Double topP = g.path("topP").isNumber() ? g.path("topP").doubleValue() : null;
    Integer topK = g.path("topK").isNumber() ? g.path("topK").intValue() : null;
    List<String> stop = new ArrayList<>();
    g.path("stopSequences").forEach(s -> {
      if (s.isTextual()) {
        stop.add(s.textValue());
      }
    });
    OutputFormat format = null;
    if ("application/json".equals(Json.text(g, "responseMimeType"))) {
      JsonNode schema = g.get("responseJsonSchema");
      if (schema == null || schema.isNull()) {
        schema = g.get("responseSchema");
      }
      // Gemini takes either form with its type names in capitals (Gemini CLI's router sends "OBJECT" in
      // responseJsonSchema); JSON Schema spells them in lower case.
      schema = schema == null || schema.isNull() ? null : openApiToJsonSchema(schema);
      format = new OutputFormat("response", schema == null || schema.isNull() ? null : schema, false);
    }
    Thinking thinking = GeminiThinking.read(g.get("thinkingConfig"));
    return new Conversation(ep.model(), system, turns, tools, choice, null, maxTokens, temperature, topP, topK, stop,
        thinking, format, ep.streams(), null);
  }

  private static List<ToolSpec> tools(JsonNode tools) {
    List<ToolSpec> out = new ArrayList<>();
    int i = 0;
    for (JsonNode tool : tools) {
      Iterator<Map.Entry<String, JsonNode>> fields = tool.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (!"functionDeclarations".equals(f.getKey())) {
          throw new ConversionException("tools[" + i + "]." + f.getKey() + " can only be served by a Gemini account");
        }
        for (JsonNode d : f.getValue()) {
          JsonNode params = d.get("parametersJsonSchema");
          if (params == null || params.isNull()) {
            params = d.get("parameters");
          }
          params = params == null || params.isNull() ? null : openApiToJsonSchema(params);
          if (params == null) {
            ObjectNode empty = Json.mapper().createObjectNode();
            empty.put("type", "object");
            empty.putObject("properties");
            params = empty;
          }
          out.add(new ToolSpec(Json.text(d, "name"), Json.text(d, "description"), params));
        }
      }
      i++;
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode config) {
    String mode = Json.text(config, "mode");
    if (mode == null) {
      return null;
    }
    return switch (mode.toUpperCase(Locale.ROOT)) {
      case "NONE" -> ToolChoice.NONE;
      case "ANY" -> config.path("allowedFunctionNames").size() == 1
          ? ToolChoice.named(config.path("allowedFunctionNames").get(0).asText())
          : ToolChoice.REQUIRED;
      default -> ToolChoice.AUTO;
    };
  }

  /**
   * A schema as JSON Schema: Gemini's type names in capitals ({@code "OBJECT"}, also in a list of types)
   * in lower case. Other values of a {@code type} key (a property named type, a default) are left alone.
   */
  static JsonNode openApiToJsonSchema(JsonNode schema) {
    JsonNode copy = schema.deepCopy();
    lowerTypes(copy);
    return copy;
  }

  private static final Set<String> TYPE_NAMES =
      Set.of("STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL");
  /** Keys whose values are data, not schemas. */
  private static final Set<String> VALUES = Set.of("default", "enum", "const", "example", "examples");
  /** Keys whose values map names to schemas. */
  private static final Set<String> NAMED_SCHEMAS = Set.of("properties", "patternProperties", "$defs", "definitions");

  private static void lowerTypes(JsonNode node) {
    if (node.isArray()) {
      node.forEach(GeminiRequestReader::lowerTypes);
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode o = (ObjectNode) node;
    JsonNode type = o.get("type");
    if (type != null && type.isTextual()) {
      o.set("type", lowerType(type));
    } else if (type instanceof ArrayNode types) {
      for (int i = 0; i < types.size(); i++) {
        types.set(i, lowerType(types.get(i)));
      }
    }
    o.fields().forEachRemaining(f -> {
      if (NAMED_SCHEMAS.contains(f.getKey()) && f.getValue().isObject()) {
        f.getValue().elements().forEachRemaining(GeminiRequestReader::lowerTypes);
      } else if (!VALUES.contains(f.getKey()) && !f.getKey().equals("type")) {
        lowerTypes(f.getValue());
      }
    });
  }

  private static JsonNode lowerType(JsonNode type) {
    String t = type.isTextual() ? type.textValue() : null;
    return t != null && TYPE_NAMES.contains(t.toUpperCase(Locale.ROOT))
        ? Json.mapper().getNodeFactory().textNode(t.toLowerCase(Locale.ROOT)) : type;
  }
}
