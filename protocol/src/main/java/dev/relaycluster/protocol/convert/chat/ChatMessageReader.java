package dev.relaycluster.protocol.convert.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Chat request's {@code messages} read into system text and turns (platforms.md §2.1):
 * <ul>
 *   <li>{@code system} and {@code developer} messages → system text, one entry per string or text part;
 *   <li>consecutive same-role messages are merged into one turn;
 *   <li>an assistant turn's parts are its {@code reasoning_content} (a Reasoning part without signature),
 *       its text and refusal, then its tool calls (legacy {@code function_call} too, with a made-up id);
 *   <li>{@code tool} (and legacy {@code function}) messages become tool results in ONE user turn right after
 *       the assistant turn, placed before any other user content of that turn; a repeated
 *       {@code tool_call_id} replaces the earlier result in place (the last one wins);
 *   <li>a conversation of system messages only has no turns: each writer adds what its dialect needs.
 * </ul>
 */
final class ChatMessageReader {
  private final List<String> system = new ArrayList<>();
  private final List<Turn> turns = new ArrayList<>();
  /** Every assistant tool call seen so far: id → tool name. */
  private final Map<String, String> callNames = new HashMap<>();
  /** Legacy function calls of the last assistant turn: name → made-up id. */
  private final Map<String, String> legacyCalls = new HashMap<>();

  private Role open;
  private final List<Part> openParts = new ArrayList<>();
  private final Map<String, Part.ToolResult> openResults = new LinkedHashMap<>();

  static Result read(JsonNode messages) {
    if (messages == null || !messages.isArray()) {
      throw new ConversionException("messages: required, an array of messages");
    }
    ChatMessageReader reader = new ChatMessageReader();
    for (int i = 0; i < messages.size(); i++) {
      reader.message(messages.get(i), "messages[" + i + "]");
    }
    reader.close();
    return new Result(reader.system, reader.turns);
  }

  record Result(List<String> system, List<Turn> turns) {}

  private void message(JsonNode m, String at) {
    if (m == null || !m.isObject()) {
      throw new ConversionException(at + ": must be an object");
    }
    String role = Json.text(m, "role");
    if (role == null) {
      throw new ConversionException(at + ".role: required");
    }
    switch (role) {
      case "system", "developer" -> {
        for (Part p : ChatParts.read(m.get("content"), at + ".content", true)) {
          system.add(((Part.Text) p).text());
        }
      }
      case "user" -> {
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
          throw new ConversionException(at + ".content: required");
        }
        turn(Role.USER).addAll(ChatParts.read(content, at + ".content", false));
      }
      case "assistant" -> assistant(m, at);
      case "tool" -> toolResult(m, at);
      case "function" -> legacyResult(m, at);
      default -> throw new ConversionException(at + ".role: unknown role '" + role + "'");
    }
  }

  private void assistant(JsonNode m, String at) {
    List<Part> parts = turn(Role.ASSISTANT);
    if (parts.isEmpty()) {
      legacyCalls.clear();
    }
    String reasoning = Json.text(m, "reasoning_content");
    if (reasoning != null && !reasoning.isEmpty()) {
      parts.add(new Part.Reasoning(reasoning, null, false, null));
    }
    parts.addAll(ChatParts.read(m.get("content"), at + ".content", true));
    String refusal = Json.text(m, "refusal");
    if (refusal != null && !refusal.isEmpty()) {
      parts.add(new Part.Text(refusal));
    }
    JsonNode calls = m.get("tool_calls");
    if (calls != null && !calls.isNull()) {
      if (!calls.isArray()) {
        throw new ConversionException(at + ".tool_calls: must be an array");
      }
      for (int j = 0; j < calls.size(); j++) {
        parts.add(toolCall(calls.get(j), at + ".tool_calls[" + j + "]"));
      }
    }
    JsonNode legacy = m.get("function_call");
    if (legacy != null && legacy.isObject()) {
      String name = Json.text(legacy, "name");
      if (name == null) {
        throw new ConversionException(at + ".function_call.name: required");
      }
      String id = "call_legacy_" + callNames.size();
      legacyCalls.put(name, id);
      callNames.put(id, name);
      parts.add(new Part.ToolCall(id, name, arguments(legacy.get("arguments"), at + ".function_call.arguments"),
          null));
    }
  }

  private Part.ToolCall toolCall(JsonNode call, String at) {
    if (call == null || !call.isObject()) {
      throw new ConversionException(at + ": must be an object");
    }
    String type = Json.text(call, "type");
    if (type != null && !"function".equals(type)) {
      throw new ConversionException(at + ".type '" + type + "' is not supported");
    }
    String id = Json.text(call, "id");
    if (id == null || id.isEmpty()) {
      throw new ConversionException(at + ".id: required");
    }
    JsonNode function = call.get("function");
    String name = Json.text(function, "name");
    if (name == null || name.isEmpty()) {
      throw new ConversionException(at + ".function.name: required");
    }
    callNames.put(id, name);
    return new Part.ToolCall(id, name, arguments(function.get("arguments"), at + ".function.arguments"), null);
  }

  /** The arguments as JSON object text: kept as sent when valid, "{}" when empty. */
  static String arguments(JsonNode args, String at) {
    if (args == null || args.isNull()) {
      return "{}";
    }
    if (args.isObject()) {
      return new String(Json.write(args), java.nio.charset.StandardCharsets.UTF_8);
    }
    if (!args.isTextual()) {
      throw new ConversionException(at + ": must be a string of JSON object text");
    }
    String text = args.textValue();
    if (text.isBlank()) {
      return "{}";
    }
    JsonNode parsed = Json.tryParse(text).orElse(null);
    if (parsed == null || !parsed.isObject()) {
      throw new ConversionException(at + ": is not valid JSON object text");
    }
    return text;
  }

  private void toolResult(JsonNode m, String at) {
    String id = Json.text(m, "tool_call_id");
    if (id == null || id.isEmpty()) {
      throw new ConversionException(at + ".tool_call_id: required");
    }
    String name = callNames.get(id);
    if (name == null) {
      throw new ConversionException(at + ".tool_call_id: no earlier assistant tool call has the id '" + id + "'");
    }
    addResult(new Part.ToolResult(id, name, resultContent(m, at), false));
  }

  private void legacyResult(JsonNode m, String at) {
    String name = Json.text(m, "name");
    String id = name == null ? null : legacyCalls.get(name);
    if (id == null) {
      throw new ConversionException(at + ".name: no earlier assistant function_call names '" + name + "'");
    }
    addResult(new Part.ToolResult(id, name, resultContent(m, at), false));
  }

  private static List<Part> resultContent(JsonNode m, String at) {
    return ChatParts.read(m.get("content"), at + ".content", false);
  }

  private void addResult(Part.ToolResult result) {
    turn(Role.USER);
    openResults.put(result.callId(), result);
  }

  /** The parts of the open turn of {@code role}, opening a new one when the role changes. */
  private List<Part> turn(Role role) {
    if (open != role) {
      close();
      open = role;
    }
    return openParts;
  }

  private void close() {
    if (open == null) {
      return;
    }
    List<Part> parts = new ArrayList<>(openResults.values());
    parts.addAll(openParts);
    turns.add(new Turn(open, parts));
    open = null;
    openParts.clear();
    openResults.clear();
  }
}
