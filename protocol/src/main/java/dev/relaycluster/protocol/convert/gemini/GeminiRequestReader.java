package dev.relaycluster.protocol.convert.gemini;

import com.fasterxml.jackson.databind.JsonNode;
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
        schema = g.get("responseSchema") == null ? null : openApiToJsonSchema(g.get("responseSchema"));
      }
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
            params = d.get("parameters") == null || d.get("parameters").isNull() ? null
                : openApiToJsonSchema(d.get("parameters"));
          }
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

  /** The legacy OpenAPI-subset schema (types in capitals: "OBJECT") as JSON Schema (types in lower case). */
  static JsonNode openApiToJsonSchema(JsonNode schema) {
    JsonNode copy = schema.deepCopy();
    lowerTypes(copy);
    return copy;
  }

  private static void lowerTypes(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      JsonNode type = o.get("type");
      if (type != null && type.isTextual()) {
        o.put("type", type.textValue().toLowerCase(Locale.ROOT));
      }
      o.elements().forEachRemaining(GeminiRequestReader::lowerTypes);
    } else if (node.isArray()) {
      node.forEach(GeminiRequestReader::lowerTypes);
    }
  }
}
