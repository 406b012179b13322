package dev.relaycluster.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@link MockGemini} answers to a model call, as {@code GenerateContentResponse} chunks: each has
 * {@code candidates[{content:{role:"model",parts}, index:0}]} ({@code finishReason:"STOP"} on the last),
 * {@code usageMetadata}, {@code modelVersion} (the model asked for) and {@code responseId}. A whole answer
 * is the chunks merged into one.
 *
 * <p>The answer depends on the request (first match wins):
 * <ol>
 *   <li>JSON mode ({@code generationConfig.responseJsonSchema} / {@code responseSchema}, or
 *       {@code responseMimeType:"application/json"}): one text part holding a JSON value built from the schema
 *       (first enum value, strings "mock", numbers 1 raised to {@code minimum}, booleans false, arrays of
 *       {@code minItems}); gemini-cli's router and next-speaker calls use it. Usage {@link #JSON_USAGE}.</li>
 *   <li>The last content carries {@code functionResponse} parts: the text {@link #TOOL_RESULT_PREFIX} + the
 *       tool's output. Usage {@link #TEXT_USAGE}.</li>
 *   <li>The last user text contains {@link #TOOL_TRIGGER}: a {@code functionCall} of the shell tool offered in
 *       {@code tools[].functionDeclarations} ({@code run_shell_command} in gemini-cli) with
 *       {@code {"command":"echo mock-tool-ok"}}, finishReason STOP. Usage {@link #TOOL_CALL_USAGE}.</li>
 *   <li>Otherwise {@link #TEXT} in {@link #TEXT_PIECES} (one chunk each), preceded by a thought part when
 *       {@code generationConfig.thinkingConfig.includeThoughts} is true. Usage {@link #TEXT_USAGE}, or
 *       {@link #CACHED_USAGE} when the model is {@code mock-cached} or the request names a {@code cachedContent}.</li>
 * </ol>
 * Streamed, every chunk carries usageMetadata: the prompt, cached and thoughts counts from the first chunk,
 * candidatesTokenCount growing to its final value, which the last chunk carries with the final total.
 */
public final class MockGeminiAnswers {
  public static final String TEXT = "Hello from mock Gemini. Ünïcödé 🌍";
  public static final List<String> TEXT_PIECES = List.of("Hello", " from mock", " Gemini.", " Ünïcödé 🌍");
  /** The thought part's text (only when the request asks for thoughts). */
  public static final String THOUGHT = "**Answering** The user wants a short greeting.";
  public static final String TOOL_TRIGGER = "MOCK_TOOL";
  public static final String TOOL_NAME = "run_shell_command";
  public static final String TOOL_COMMAND = "echo mock-tool-ok";
  public static final String TOOL_OUTPUT = "mock-tool-ok";
  public static final String TOOL_RESULT_PREFIX = "tool said: ";
  /** The thoughtSignature on the functionCall part (base64 of "mock-thought-signature"). */
  public static final String THOUGHT_SIGNATURE = "bW9jay10aG91Z2h0LXNpZ25hdHVyZQ==";

  /** Token counts of one answer; total = prompt + candidates + thoughts (cached is part of prompt). */
  public record Usage(int prompt, int cached, int candidates, int thoughts) {
    public int total() {
      return prompt + candidates + thoughts;
    }
  }

  public static final Usage TEXT_USAGE = new Usage(1000, 0, 50, 20);
  public static final Usage CACHED_USAGE = new Usage(1000, 600, 50, 20);
  public static final Usage TOOL_CALL_USAGE = new Usage(800, 0, 30, 10);
  public static final Usage JSON_USAGE = new Usage(300, 0, 20, 0);

  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

  private MockGeminiAnswers() {}

  /** Google's pretty-printed JSON (two-space indent, {@code "name": value}). */
  public static String pretty(JsonNode node) {
    try {
      return PRETTY.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The chunks of the answer to this request (a generateContent body, without the Code Assist envelope). */
  public static List<ObjectNode> chunks(String model, JsonNode request, String responseId) {
    JsonNode config = request.path("generationConfig");
    JsonNode schema = config.has("responseJsonSchema") ? config.get("responseJsonSchema") : config.get("responseSchema");
    List<ArrayNode> parts = new ArrayList<>();
    Usage usage;
    if (schema != null || config.path("responseMimeType").asText().equals("application/json")) {
      parts.add(JSON.createArrayNode().add(text(fromSchema(schema == null ? JSON.missingNode() : schema).toString())));
      usage = JSON_USAGE;
    } else if (toolOutput(request.path("contents")) != null) {
      String said = TOOL_RESULT_PREFIX + toolOutput(request.path("contents"));
      int half = said.length() / 2;
      parts.add(JSON.createArrayNode().add(text(said.substring(0, half))));
      parts.add(JSON.createArrayNode().add(text(said.substring(half))));
      usage = TEXT_USAGE;
    } else if (lastUserText(request.path("contents")).contains(TOOL_TRIGGER)) {
      ObjectNode call = JSON.createObjectNode();
      call.putObject("functionCall").put("name", toolName(request.path("tools"))).putObject("args")
          .put("command", TOOL_COMMAND);
      call.put("thoughtSignature", THOUGHT_SIGNATURE);
      parts.add(JSON.createArrayNode().add(call));
      usage = TOOL_CALL_USAGE;
    } else {
      if (config.path("thinkingConfig").path("includeThoughts").asBoolean(false)) {
        parts.add(JSON.createArrayNode().add(text(THOUGHT).put("thought", true)));
      }
      for (String piece : TEXT_PIECES) {
        parts.add(JSON.createArrayNode().add(text(piece)));
      }
      usage = model.equals("mock-cached") || request.hasNonNull("cachedContent") ? CACHED_USAGE : TEXT_USAGE;
    }
    List<ObjectNode> chunks = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      boolean last = i == parts.size() - 1;
      int candidates = last ? usage.candidates() : usage.candidates() * (i + 1) / parts.size();
      chunks.add(chunk(model, responseId, parts.get(i), last, usage, candidates));
    }
    return chunks;
  }

  /** The chunks merged into one whole answer (adjacent text parts of the same kind joined). */
  public static ObjectNode whole(List<ObjectNode> chunks) {
    ObjectNode last = chunks.get(chunks.size() - 1).deepCopy();
    ArrayNode merged = JSON.createArrayNode();
    for (ObjectNode c : chunks) {
      for (JsonNode p : c.path("candidates").path(0).path("content").path("parts")) {
        JsonNode prev = merged.isEmpty() ? null : merged.get(merged.size() - 1);
        if (prev != null && prev.has("text") && p.has("text") && !p.has("functionCall")
            && prev.path("thought").asBoolean() == p.path("thought").asBoolean()) {
          ((ObjectNode) prev).put("text", prev.path("text").asText() + p.path("text").asText());
        } else {
          merged.add(p.deepCopy());
        }
      }
    }
    ((ObjectNode) last.path("candidates").path(0).path("content")).set("parts", merged);
    return last;
  }

  private static ObjectNode chunk(String model, String responseId, ArrayNode parts, boolean last, Usage usage,
      int candidates) {
    ObjectNode r = JSON.createObjectNode();
    ObjectNode candidate = r.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.set("parts", parts);
    content.put("role", "model");
    if (last) {
      candidate.put("finishReason", "STOP");
    }
    candidate.put("index", 0);
    ObjectNode u = r.putObject("usageMetadata");
    u.put("promptTokenCount", usage.prompt());
    if (candidates > 0) {
      u.put("candidatesTokenCount", candidates);
    }
    u.put("totalTokenCount", usage.prompt() + candidates + usage.thoughts());
    if (usage.cached() > 0) {
      u.put("cachedContentTokenCount", usage.cached());
    }
    u.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", usage.prompt());
    if (usage.cached() > 0) {
      u.putArray("cacheTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", usage.cached());
    }
    if (usage.thoughts() > 0) {
      u.put("thoughtsTokenCount", usage.thoughts());
    }
    r.put("modelVersion", model);
    r.put("responseId", responseId);
    return r;
  }

  private static ObjectNode text(String text) {
    return JSON.createObjectNode().put("text", text);
  }

  /**
   * countTokens: the number of whitespace-separated words in every text part of {@code contents} (and of
   * {@code generateContentRequest.contents} and its systemInstruction when the body wraps one).
   */
  public static int countTokens(JsonNode body) {
    int n = words(body.path("contents"));
    JsonNode wrapped = body.path("generateContentRequest");
    return n + words(wrapped.path("contents")) + words(wrapped.path("systemInstruction"));
  }

  private static int words(JsonNode node) {
    int n = 0;
    if (node.isObject() && node.path("text").isTextual()) {
      String t = node.path("text").asText().strip();
      n += t.isEmpty() ? 0 : t.split("\\s+").length;
    }
    for (JsonNode child : node) {
      if (child.isContainerNode()) {
        n += words(child);
      }
    }
    return n;
  }

  /** The text parts of the last user content that holds text ("" when contents is no array). */
  static String lastUserText(JsonNode contents) {
    if (!contents.isArray()) {
      return "";
    }
    for (int i = contents.size() - 1; i >= 0; i--) {
      JsonNode c = contents.get(i);
      if (!c.path("role").asText("user").equals("user")) {
        continue;
      }
      StringBuilder s = new StringBuilder();
      for (JsonNode p : c.path("parts")) {
        s.append(p.path("text").asText(""));
      }
      if (s.length() > 0) {
        return s.toString();
      }
    }
    return "";
  }

  /**
   * When the last content carries functionResponse parts, their output (the {@code Output:} line of
   * gemini-cli's shell result when there is one, else {@code response.output}, {@code .content} or
   * {@code .result}, else the response JSON; Claude Code's system-reminder blocks cut);
   * else null.
   */
  static String toolOutput(JsonNode contents) {
    JsonNode last = contents.path(contents.size() - 1);
    StringBuilder out = new StringBuilder();
    boolean any = false;
    for (JsonNode p : last.path("parts")) {
      JsonNode fr = p.get("functionResponse");
      if (fr == null) {
        continue;
      }
      any = true;
      JsonNode response = fr.path("response");
      String text = response.path("output").isTextual() ? response.path("output").asText()
          : response.path("content").isTextual() ? response.path("content").asText()
          : response.path("result").isTextual() ? response.path("result").asText() : response.toString();
      text = REMINDER.matcher(text).replaceAll("");
      for (String line : text.split("\n")) {
        if (line.startsWith("Output: ")) {
          text = line.substring("Output: ".length());
          break;
        }
      }
      out.append(text.strip());
    }
    return any ? out.toString() : null;
  }

  /** Shell tools of other clients reaching Gemini through a converter: Claude Code's Bash, Codex's exec_command. */
  static final List<String> OTHER_SHELL_TOOLS = List.of("Bash", "bash", "exec_command");
  /** Claude Code appends these to every tool result. */
  private static final java.util.regex.Pattern REMINDER =
      java.util.regex.Pattern.compile("<system-reminder>.*?</system-reminder>", java.util.regex.Pattern.DOTALL);

  /** The shell tool's name among the request's functionDeclarations (run_shell_command if none matches). */
  static String toolName(JsonNode tools) {
    String fallback = null;
    for (JsonNode tool : tools) {
      for (JsonNode decl : tool.path("functionDeclarations")) {
        String name = decl.path("name").asText();
        if (name.equals(TOOL_NAME)) {
          return name;
        }
        if (fallback == null && (name.toLowerCase(Locale.ROOT).contains("shell") || OTHER_SHELL_TOOLS.contains(name))) {
          fallback = name;
        }
      }
    }
    return fallback != null ? fallback : TOOL_NAME;
  }

  /** A value matching a JSON schema or a Gemini (OpenAPI-style, upper-case type) schema. */
  static JsonNode fromSchema(JsonNode schema) {
    if (schema.has("enum") && schema.get("enum").size() > 0) {
      return schema.get("enum").get(0);
    }
    JsonNode typeNode = schema.path("type");
    String type = (typeNode.isArray() ? typeNode.path(0).asText() : typeNode.asText()).toLowerCase(Locale.ROOT);
    if (type.isEmpty() && schema.has("properties")) {
      type = "object";
    }
    switch (type) {
      case "string":
        return JSON.getNodeFactory().textNode("mock");
      case "integer":
      case "number": {
        long v = 1;
        if (schema.has("minimum")) {
          v = Math.max(v, (long) Math.ceil(schema.get("minimum").asDouble()));
        }
        if (schema.has("exclusiveMinimum") && schema.get("exclusiveMinimum").isNumber()) {
          v = Math.max(v, (long) Math.floor(schema.get("exclusiveMinimum").asDouble()) + 1);
        }
        if (schema.has("maximum")) {
          v = Math.min(v, (long) Math.floor(schema.get("maximum").asDouble()));
        }
        return JSON.getNodeFactory().numberNode(v);
      }
      case "boolean":
        return JSON.getNodeFactory().booleanNode(false);
      case "array": {
        ArrayNode a = JSON.createArrayNode();
        for (int i = 0; i < schema.path("minItems").asInt(0); i++) {
          a.add(fromSchema(schema.path("items")));
        }
        return a;
      }
      case "object": {
        ObjectNode o = JSON.createObjectNode();
        schema.path("properties").properties().forEach(f -> o.set(f.getKey(), fromSchema(f.getValue())));
        return o;
      }
      default:
        return JSON.nullNode();
    }
  }

  /** {@code GET /v1beta/models}: Google's model list, one page of pageSize (default 50) from pageToken. */
  public static String models(int pageSize, String pageToken) {
    String[][] all = {
        {"gemini-2.5-pro", "Gemini 2.5 Pro", "2.5", "65536"},
        {"gemini-2.5-flash", "Gemini 2.5 Flash", "001", "65536"},
        {"gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", "001", "65536"},
        {"gemini-3-pro-preview", "Gemini 3 Pro Preview", "3-pro-preview-11-2025", "65536"},
        {"gemini-embedding-001", "Gemini Embedding 001", "001", "1"}};
    int from = 0;
    if (pageToken != null && pageToken.startsWith("page-")) {
      from = Integer.parseInt(pageToken.substring(5));
    }
    int size = pageSize <= 0 ? 50 : pageSize;
    ObjectNode r = JSON.createObjectNode();
    ArrayNode models = r.putArray("models");
    for (int i = from; i < Math.min(all.length, from + size); i++) {
      String[] m = all[i];
      boolean embedding = m[0].contains("embedding");
      ObjectNode model = models.addObject().put("name", "models/" + m[0]).put("version", m[2])
          .put("displayName", m[1]).put("description", m[1] + " (mock)")
          .put("inputTokenLimit", embedding ? 2048 : 1048576).put("outputTokenLimit", Integer.parseInt(m[3]));
      ArrayNode methods = model.putArray("supportedGenerationMethods");
      if (embedding) {
        methods.add("embedContent").add("countTextTokens").add("countTokens");
      } else {
        methods.add("generateContent").add("countTokens").add("createCachedContent").add("batchGenerateContent");
        model.put("temperature", 1).put("topP", 0.95).put("topK", 64).put("maxTemperature", 2).put("thinking", true);
      }
    }
    if (from + size < all.length) {
      r.put("nextPageToken", "page-" + (from + size));
    }
    return pretty(r);
  }
}
