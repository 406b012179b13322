package dev.relaycluster.protocol.convert.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.Effort;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.ToolChoice;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.convert.WrittenRequest;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link Conversation} as a Messages API request (platforms.md §2.1). Structured output goes as
 * {@code output_config.format} (the generally available form, which needs no beta header), its schema as
 * Claude takes it ({@link OutputSchema}).
 */
final class MessagesWriter {
  static final long DEFAULT_MAX_TOKENS = 32000;
  static final long MAX_TOKENS_CAP = 128000;
  static final long MIN_BUDGET = 1024;
  static final String JSON_ONLY = "Answer with one JSON object only, no other text.";

  private final Conversation conversation;
  private final ReplayBook replay;
  private final List<String> notes = new ArrayList<>();

  private MessagesWriter(Conversation conversation, ReplayBook replay) {
    this.conversation = conversation;
    this.replay = replay == null ? ReplayBook.NONE : replay;
  }

  static WrittenRequest write(Conversation conversation, ReplayBook replay) {
    return new MessagesWriter(conversation, replay).write();
  }

  private WrittenRequest write() {
    Conversation c = conversation;
    boolean thinking = c.thinking().on();
    ToolChoice choice = c.tools().isEmpty() ? null : c.toolChoice();
    if (thinking && choice != null && (choice.mode() == ToolChoice.Mode.REQUIRED
        || choice.mode() == ToolChoice.Mode.NAMED)) {
      thinking = false;
      notes.add("thinking turned off: Claude cannot think while a tool call is forced");
    }
    List<Turn> turns = c.turns();
    if (thinking) {
      turns = replayed(turns);
      if (!signedLastToolTurn(turns)) {
        thinking = false;
        notes.add("thinking turned off: the last tool turn has no signed thinking to replay");
      }
    }
    long maxTokens = c.maxTokens() > 0 ? c.maxTokens() : DEFAULT_MAX_TOKENS;
    if (maxTokens > MAX_TOKENS_CAP) {
      maxTokens = MAX_TOKENS_CAP;
      notes.add("max_tokens lowered to " + MAX_TOKENS_CAP);
    }
    ObjectNode body = AnthropicWire.object();
    body.put("model", c.model());
    ObjectNode thinkingNode = null;
    if (thinking) {
      long budget = budget(c);
      if (budget >= maxTokens) {
        maxTokens = budget + 4096;
        notes.add("max_tokens raised to " + maxTokens + " to exceed the thinking budget");
      }
      thinkingNode = AnthropicWire.object().put("type", "enabled").put("budget_tokens", budget);
    }
    body.put("max_tokens", maxTokens);
    ArrayNode system = system(c);
    if (!system.isEmpty()) {
      body.set("system", system);
    }
    ArrayNode messages = MessageBuilder.build(turns, thinking);
    if (messages.isEmpty()) {
      messages.addObject().put("role", "user").putArray("content").addObject().put("type", "text").put("text", ".");
      notes.add("no messages: a placeholder user message was sent");
    }
    body.set("messages", messages);
    writeTools(body, choice);
    if (thinkingNode != null) {
      body.set("thinking", thinkingNode);
    }
    if (c.format() != null && c.format().schema() != null) {
      body.putObject("output_config").putObject("format").put("type", "json_schema")
          .set("schema", OutputSchema.forClaude(c.format().schema(), notes));
    }
    writeSampling(body, thinking);
    writeStops(body);
    if (c.user() != null && !c.user().isEmpty()) {
      body.putObject("metadata").put("user_id", c.user());
    }
    if (c.stream()) {
      body.put("stream", true);
    }
    return new WrittenRequest("messages", "", Json.write(body), notes);
  }

  /** Puts back, from the replay book, signed thinking an assistant tool turn lacks. */
  private List<Turn> replayed(List<Turn> turns) {
    List<Turn> out = new ArrayList<>(turns.size());
    for (Turn turn : turns) {
      String firstCall = firstCall(turn);
      if (turn.role() == Role.ASSISTANT && firstCall != null && !signed(turn)) {
        Part.Reasoning kept = replay.reasoningBefore(firstCall);
        if (kept != null && AnthropicWire.ORIGIN.equals(kept.origin()) && kept.signature() != null) {
          List<Part> parts = new ArrayList<>(turn.parts().size() + 1);
          parts.add(kept);
          parts.addAll(turn.parts());
          turn = new Turn(turn.role(), parts);
        }
      }
      out.add(turn);
    }
    return out;
  }

  private static boolean signedLastToolTurn(List<Turn> turns) {
    for (int i = turns.size() - 1; i >= 0; i--) {
      Turn turn = turns.get(i);
      if (turn.role() == Role.ASSISTANT && firstCall(turn) != null) {
        return signed(turn);
      }
    }
    return true;
  }

  private static String firstCall(Turn turn) {
    for (Part p : turn.parts()) {
      if (p instanceof Part.ToolCall call) {
        return call.id();
      }
    }
    return null;
  }

  private static boolean signed(Turn turn) {
    for (Part p : turn.parts()) {
      if (p instanceof Part.Reasoning r && AnthropicWire.ORIGIN.equals(r.origin()) && r.signature() != null
          && !r.signature().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  static long budget(Conversation c) {
    long budget = c.thinking().budgetTokens();
    if (budget <= 0) {
      Effort effort = c.thinking().effort() == null ? Effort.MEDIUM : c.thinking().effort();
      budget = switch (effort) {
        case NONE, MINIMAL -> 1024;
        case LOW -> 2048;
        case MEDIUM -> 8192;
        case HIGH -> 16384;
        case XHIGH -> 32000;
      };
    }
    return Math.max(MIN_BUDGET, budget);
  }

  private ArrayNode system(Conversation c) {
    ArrayNode system = Json.mapper().createArrayNode();
    for (String text : c.system()) {
      if (text != null && !text.isEmpty()) {
        system.addObject().put("type", "text").put("text", text);
      }
    }
    if (c.format() != null && c.format().schema() == null) {
      system.addObject().put("type", "text").put("text", JSON_ONLY);
      notes.add("JSON output asked for in the system prompt (Claude has no JSON mode without a schema)");
    }
    return system;
  }

  private void writeTools(ObjectNode body, ToolChoice choice) {
    if (conversation.tools().isEmpty()) {
      return;
    }
    ArrayNode tools = body.putArray("tools");
    for (ToolSpec spec : conversation.tools()) {
      ObjectNode tool = tools.addObject().put("name", spec.name());
      if (spec.description() != null) {
        tool.put("description", spec.description());
      }
      tool.set("input_schema", spec.parameters() == null ? AnthropicWire.object().put("type", "object")
          : spec.parameters());
    }
    boolean serial = Boolean.FALSE.equals(conversation.parallelToolCalls());
    if (choice == null && !serial) {
      return;
    }
    ObjectNode node = body.putObject("tool_choice");
    ToolChoice.Mode mode = choice == null ? ToolChoice.Mode.AUTO : choice.mode();
    switch (mode) {
      case AUTO -> node.put("type", "auto");
      case REQUIRED -> node.put("type", "any");
      case NONE -> node.put("type", "none");
      case NAMED -> node.put("type", "tool").put("name", choice.name());
    }
    if (serial && mode != ToolChoice.Mode.NONE) {
      node.put("disable_parallel_tool_use", true);
    }
  }

  private void writeSampling(ObjectNode body, boolean thinking) {
    Conversation c = conversation;
    if (thinking) {
      if (c.temperature() != null || c.topK() != null) {
        notes.add("temperature and top_k dropped: Claude takes neither while thinking");
      }
      if (c.topP() != null && c.topP() >= 0.95 && c.topP() <= 1) {
        body.put("top_p", c.topP());
      } else if (c.topP() != null) {
        notes.add("top_p dropped: Claude takes only 0.95 to 1 while thinking");
      }
      return;
    }
    if (c.temperature() != null) {
      body.put("temperature", c.temperature());
      if (c.topP() != null) {
        notes.add("top_p dropped: Claude takes temperature or top_p, not both");
      }
    } else if (c.topP() != null) {
      body.put("top_p", c.topP());
    }
    if (c.topK() != null) {
      body.put("top_k", c.topK());
    }
  }

  private void writeStops(ObjectNode body) {
    ArrayNode stops = Json.mapper().createArrayNode();
    for (String stop : conversation.stop()) {
      if (stop == null || stop.isBlank()) {
        notes.add("a blank stop sequence was dropped");
      } else {
        stops.add(stop);
      }
    }
    if (!stops.isEmpty()) {
      body.set("stop_sequences", stops);
    }
  }
}
