package dev.relaycluster.protocol.convert.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes turns as Messages API messages: consecutive same-role turns merged; in an assistant message signed
 * Anthropic thinking first (when thinking is on), then text, then tool_use; in a user message the tool
 * results first (one per call id, the last wins), then the rest. Messages left empty are skipped.
 */
final class MessageBuilder {
  private final boolean thinking;
  private final ArrayNode messages = Json.mapper().createArrayNode();
  private Role lastRole;
  private final List<JsonNode> front = new ArrayList<>();
  private final Map<String, JsonNode> results = new LinkedHashMap<>();
  private final List<JsonNode> rest = new ArrayList<>();
  private final List<JsonNode> calls = new ArrayList<>();

  MessageBuilder(boolean thinking) {
    this.thinking = thinking;
  }

  static ArrayNode build(List<Turn> turns, boolean thinking) {
    MessageBuilder builder = new MessageBuilder(thinking);
    for (Turn turn : turns) {
      builder.add(turn);
    }
    builder.flush();
    return builder.messages;
  }

  private void add(Turn turn) {
    if (lastRole != null && lastRole != turn.role()) {
      flush();
    }
    lastRole = turn.role();
    for (Part part : turn.parts()) {
      if (part instanceof Part.Reasoning r) {
        JsonNode block = thinkingBlock(r);
        if (block != null && turn.role() == Role.ASSISTANT) {
          front.add(block);
        }
      } else if (part instanceof Part.ToolResult r) {
        String id = ToolIds.sanitize(r.callId());
        results.remove(id);
        results.put(id, toolResult(id, r));
      } else if (part instanceof Part.ToolCall c) {
        calls.add(toolUse(c));
      } else {
        JsonNode block = media(part);
        if (block != null) {
          rest.add(block);
        }
      }
    }
  }

  private void flush() {
    if (lastRole == null) {
      return;
    }
    ArrayNode content = Json.mapper().createArrayNode();
    front.forEach(content::add);
    results.values().forEach(content::add);
    rest.forEach(content::add);
    calls.forEach(content::add);
    front.clear();
    results.clear();
    rest.clear();
    calls.clear();
    if (!content.isEmpty()) {
      ObjectNode message = messages.addObject();
      message.put("role", lastRole == Role.USER ? "user" : "assistant");
      message.set("content", content);
    }
    lastRole = null;
  }

  /** A signed Anthropic thinking block, or null (unsigned or another vendor's reasoning, or thinking off). */
  private JsonNode thinkingBlock(Part.Reasoning r) {
    if (!thinking || !AnthropicWire.ORIGIN.equals(r.origin()) || r.signature() == null || r.signature().isEmpty()) {
      return null;
    }
    ObjectNode block = AnthropicWire.object();
    if (r.redacted()) {
      block.put("type", "redacted_thinking").put("data", r.signature());
    } else {
      block.put("type", "thinking").put("thinking", r.text() == null ? "" : r.text()).put("signature", r.signature());
    }
    return block;
  }

  private static JsonNode toolUse(Part.ToolCall c) {
    ObjectNode block = AnthropicWire.object();
    block.put("type", "tool_use").put("id", ToolIds.sanitize(c.id())).put("name", c.name());
    block.set("input", arguments(c.arguments()));
    return block;
  }

  /** The call's arguments as an object; empty or invalid arguments become {}. */
  private static JsonNode arguments(String json) {
    if (json != null && !json.isBlank()) {
      try {
        JsonNode node = Json.mapper().readTree(json);
        if (node != null && node.isObject()) {
          return node;
        }
      } catch (IOException e) {
        // not an object: sent as {}
      }
    }
    return AnthropicWire.object();
  }

  private static JsonNode toolResult(String id, Part.ToolResult r) {
    ObjectNode block = AnthropicWire.object();
    block.put("type", "tool_result").put("tool_use_id", id);
    ArrayNode content = Json.mapper().createArrayNode();
    for (Part p : r.content()) {
      JsonNode inner = media(p);
      if (inner != null) {
        content.add(inner);
      } else if (!(p instanceof Part.Text)) {
        throw new ConversionException("a tool result holds content this pool cannot carry");
      }
    }
    if (!content.isEmpty()) {
      block.set("content", content);
    }
    if (r.error()) {
      block.put("is_error", true);
    }
    return block;
  }

  /** Text, image or document blocks; null for empty text. */
  static JsonNode media(Part part) {
    ObjectNode block = AnthropicWire.object();
    if (part instanceof Part.Text t) {
      if (t.text() == null || t.text().isEmpty()) {
        return null;
      }
      return block.put("type", "text").put("text", t.text());
    }
    if (part instanceof Part.Image i) {
      block.put("type", "image");
      ObjectNode source = block.putObject("source");
      if (i.data() != null) {
        source.put("type", "base64").put("media_type", i.mediaType() != null ? i.mediaType() : sniff(i.data()))
            .put("data", i.data());
      } else {
        source.put("type", "url").put("url", i.url());
      }
      return block;
    }
    if (part instanceof Part.Document d) {
      block.put("type", "document");
      block.putObject("source").put("type", "base64")
          .put("media_type", d.mediaType() == null ? "application/pdf" : d.mediaType()).put("data", d.data());
      if (d.name() != null) {
        block.put("title", d.name());
      }
      return block;
    }
    return null;
  }

  /** The image type base64 data starts with (PNG when unknown). */
  private static String sniff(String base64) {
    if (base64.startsWith("/9j/")) {
      return "image/jpeg";
    }
    if (base64.startsWith("R0lGOD")) {
      return "image/gif";
    }
    if (base64.startsWith("UklGR")) {
      return "image/webp";
    }
    return "image/png";
  }
}
