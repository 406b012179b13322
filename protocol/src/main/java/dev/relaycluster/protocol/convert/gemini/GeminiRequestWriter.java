package dev.relaycluster.protocol.convert.gemini;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.CarriedSignature;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.OutputFormat;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.ToolChoice;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.convert.WrittenRequest;
import dev.relaycluster.protocol.gemini.GeminiEndpoint;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@link Conversation} as a Gemini API {@code GenerateContentRequest} (see {@link GeminiCodec} for the
 * rules); the turns' parts are written by {@link GeminiContentWriter}.
 */
final class GeminiRequestWriter {
  /** What Google documents to send for a replayed function call whose signature is lost. */
  static final String SKIP_SIGNATURE = "skip_thought_signature_validator";
  private static final Pattern TOOL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$");

  private GeminiRequestWriter() {}

  static WrittenRequest write(Conversation c, ReplayBook replay) {
    String model = c.model() == null ? "" : c.model();
    if (model.startsWith("models/")) {
      model = model.substring("models/".length());
    }
    if (!GeminiEndpoint.plainModel(model)) {
      throw new ConversionException("model '" + model + "' is not a Gemini model name");
    }
    List<String> notes = new ArrayList<>();
    ObjectNode body = Json.mapper().createObjectNode();
    body.set("contents", contents(c, replay == null ? ReplayBook.NONE : replay, notes));
    ArrayNode system = Json.mapper().createArrayNode();
    for (String s : c.system()) {
      if (s != null && !s.isEmpty()) {
        system.addObject().put("text", s);
      }
    }
    if (!system.isEmpty()) {
      body.putObject("systemInstruction").set("parts", system);
    }
    if (!c.tools().isEmpty()) {
      body.set("tools", tools(c.tools()));
      if (c.toolChoice() != null) {
        body.set("toolConfig", toolConfig(c.toolChoice()));
      }
    }
    if (Boolean.FALSE.equals(c.parallelToolCalls())) {
      notes.add("parallel_tool_calls: Gemini decides itself whether to call tools in parallel; ignored");
    }
    ObjectNode generation = generationConfig(c, model, notes);
    if (!generation.isEmpty()) {
      body.set("generationConfig", generation);
    }
    String endpoint = GeminiEndpoint.ofModel(model, c.stream() ? GeminiEndpoint.STREAM : GeminiEndpoint.GENERATE);
    return new WrittenRequest(endpoint, c.stream() ? "alt=sse" : "", Json.write(body), notes);
  }

  private static ArrayNode contents(Conversation c, ReplayBook replay, List<String> notes) {
    Map<String, String> callNames = new HashMap<>();
    for (Turn t : c.turns()) {
      for (Part p : t.parts()) {
        if (p instanceof Part.ToolCall call && call.id() != null) {
          callNames.putIfAbsent(call.id(), call.name());
        }
      }
    }
    GeminiContentWriter writer = new GeminiContentWriter(callNames, replay, notes);
    List<ObjectNode> contents = new ArrayList<>();
    boolean droppedEmpty = false;
    for (Turn t : c.turns()) {
      String role = t.role() == Role.ASSISTANT ? "model" : "user";
      ArrayNode parts = writer.parts(t);
      if (parts.isEmpty()) {
        droppedEmpty = true;
        continue;
      }
      ObjectNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
      if (last != null && role.equals(last.get("role").textValue())) {
        ((ArrayNode) last.get("parts")).addAll(parts);
      } else {
        ObjectNode content = Json.mapper().createObjectNode();
        content.put("role", role);
        content.set("parts", parts);
        contents.add(content);
      }
    }
    if (droppedEmpty) {
      notes.add("messages: empty messages were left out (Gemini refuses empty contents)");
    }
    boolean droppedTrailing = false;
    while (!contents.isEmpty() && "model".equals(contents.get(contents.size() - 1).get("role").textValue())) {
      contents.remove(contents.size() - 1);
      droppedTrailing = true;
    }
    if (droppedTrailing) {
      notes.add("messages: the trailing assistant message (prefill) was left out; Gemini does not continue one");
    }
    if (contents.isEmpty()) {
      throw new ConversionException("messages: nothing to send (no user message with content)");
    }
    ArrayNode out = Json.mapper().createArrayNode();
    for (ObjectNode content : contents) {
      if ("model".equals(content.get("role").textValue())) {
        signFirstCall((ArrayNode) content.get("parts"));
      }
      out.add(content);
    }
    return out;
  }

  /**
   * Google validates the first functionCall part of each model step of the current turn: it must carry its
   * thoughtSignature. One that has none (a conversation from another vendor, a lost signature) gets the
   * documented sentinel; later calls of the step need none.
   */
  private static void signFirstCall(ArrayNode parts) {
    for (int i = 0; i < parts.size(); i++) {
      ObjectNode part = (ObjectNode) parts.get(i);
      if (part.has("functionCall")) {
        if (!part.has("thoughtSignature")) {
          part.put("thoughtSignature", SKIP_SIGNATURE);
        }
        return;
      }
    }
  }

  private static ArrayNode tools(List<ToolSpec> tools) {
    ArrayNode declarations = Json.mapper().createArrayNode();
    for (int i = 0; i < tools.size(); i++) {
      ToolSpec t = tools.get(i);
      if (t.name() == null || !TOOL_NAME.matcher(t.name()).matches()) {
        throw new ConversionException("tools[" + i + "].name '" + t.name() + "' cannot be served by a Gemini account"
            + " (names must start with a letter or '_', use only letters, digits, '_', '.', ':' or '-',"
            + " and be at most 64 characters)");
      }
      ObjectNode d = declarations.addObject();
      d.put("name", t.name());
      if (t.description() != null && !t.description().isEmpty()) {
        d.put("description", t.description());
      }
      if (t.parameters() != null && !t.parameters().isNull()) {
        d.set("parametersJsonSchema", t.parameters());
      }
    }
    ArrayNode out = Json.mapper().createArrayNode();
    out.addObject().set("functionDeclarations", declarations);
    return out;
  }

  private static ObjectNode toolConfig(ToolChoice choice) {
    ObjectNode fc = Json.mapper().createObjectNode();
    switch (choice.mode()) {
      case NONE -> fc.put("mode", "NONE");
      case REQUIRED -> fc.put("mode", "ANY");
      case NAMED -> {
        fc.put("mode", "ANY");
        fc.putArray("allowedFunctionNames").add(choice.name());
      }
      default -> fc.put("mode", "AUTO");
    }
    ObjectNode config = Json.mapper().createObjectNode();
    config.set("functionCallingConfig", fc);
    return config;
  }

  private static ObjectNode generationConfig(Conversation c, String model, List<String> notes) {
    ObjectNode g = Json.mapper().createObjectNode();
    if (c.maxTokens() >= 0) {
      g.put("maxOutputTokens", c.maxTokens());
    }
    if (c.temperature() != null) {
      g.put("temperature", c.temperature());
    }
    if (c.topP() != null) {
      g.put("topP", c.topP());
    }
    if (c.topK() != null) {
      g.put("topK", c.topK());
    }
    if (!c.stop().isEmpty()) {
      ArrayNode stop = g.putArray("stopSequences");
      c.stop().forEach(stop::add);
    }
    OutputFormat format = c.format();
    if (format != null) {
      g.put("responseMimeType", "application/json");
      if (format.schema() != null && !format.schema().isNull()) {
        g.set("responseJsonSchema", format.schema());
      }
    }
    ObjectNode thinking = GeminiThinking.write(model, c.thinking(), notes);
    if (thinking != null) {
      g.set("thinkingConfig", thinking);
    }
    return g;
  }

  /** Whether {@code signature} is one of Gemini's own (not a carried signature of another vendor). */
  static boolean nativeSignature(String signature) {
    return signature != null && !signature.isEmpty() && !CarriedSignature.isCarried(signature);
  }
}
