package dev.relaycluster.protocol.convert.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.Effort;
import dev.relaycluster.protocol.convert.OutputFormat;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.Thinking;
import dev.relaycluster.protocol.convert.ToolChoice;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.convert.WrittenRequest;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link Conversation} written as a Responses request that both upstreams accept: api.openai.com and the
 * ChatGPT Codex backend (platforms.md §1.3). Hence: {@code instructions} is always present and empty, and the
 * system texts go first in {@code input} as developer messages, one each, exactly as Codex CLI itself sends
 * its prompt (the backend has refused instructions it did not know); {@code store:false} with
 * {@code include:["reasoning.encrypted_content"]} so reasoning can be replayed without stored items;
 * max_output_tokens, temperature, top_p, top_k, stop sequences and user are left out (the backend refuses
 * or ignores them; each is named in the notes). Function tools are sent with {@code strict:false} (the
 * Responses API defaults to strict schemas, which most clients' schemas do not meet).
 */
final class RequestWriter {

  private RequestWriter() {}

  static WrittenRequest write(Conversation c, ReplayBook replay) {
    List<String> notes = new ArrayList<>();
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("model", c.model());
    body.put("instructions", "");
    Set<String> freeform = new HashSet<>();
    for (ToolSpec t : c.tools()) {
      if (t.freeform()) {
        freeform.add(t.name());
      }
    }
    ArrayNode input = body.putArray("input");
    for (String s : c.system()) {
      ObjectNode m = input.addObject();
      m.put("type", "message");
      m.put("role", "developer");
      m.putArray("content").addObject().put("type", "input_text").put("text", s);
    }
    new InputWriter(input, freeform, replay).turns(c.turns());
    if (!c.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolSpec t : c.tools()) {
        ObjectNode tool = tools.addObject();
        tool.put("type", t.freeform() ? "custom" : "function");
        tool.put("name", t.name());
        if (t.description() != null) {
          tool.put("description", t.description());
        }
        if (!t.freeform()) {
          tool.set("parameters", t.parameters());
          tool.put("strict", false);
        }
      }
    }
    if (c.toolChoice() != null) {
      body.set("tool_choice", toolChoice(c.toolChoice(), freeform));
    }
    if (c.parallelToolCalls() != null) {
      body.put("parallel_tool_calls", c.parallelToolCalls());
    }
    reasoning(body, c.thinking(), notes);
    body.put("store", false);
    body.put("stream", c.stream());
    body.putArray("include").add("reasoning.encrypted_content");
    if (c.format() != null) {
      body.putObject("text").set("format", format(c.format()));
    }
    if (c.maxTokens() >= 0) {
      notes.add("max_output_tokens left out: the ChatGPT Codex backend refuses it");
    }
    if (c.temperature() != null) {
      notes.add("temperature left out: the ChatGPT Codex backend refuses it");
    }
    if (c.topP() != null) {
      notes.add("top_p left out: the ChatGPT Codex backend refuses it");
    }
    if (c.topK() != null) {
      notes.add("top_k left out: OpenAI models have none");
    }
    if (!c.stop().isEmpty()) {
      notes.add("stop sequences left out: the Responses API has none");
    }
    if (c.user() != null) {
      notes.add("user left out: the ChatGPT Codex backend refuses it");
    }
    return new WrittenRequest("responses", "", Json.write(body), notes);
  }

  private static JsonNode toolChoice(ToolChoice choice, Set<String> freeform) {
    return switch (choice.mode()) {
      case AUTO -> Json.mapper().getNodeFactory().textNode("auto");
      case NONE -> Json.mapper().getNodeFactory().textNode("none");
      case REQUIRED -> Json.mapper().getNodeFactory().textNode("required");
      case NAMED -> Json.mapper().createObjectNode()
          .put("type", freeform.contains(choice.name()) ? "custom" : "function").put("name", choice.name());
    };
  }

  /**
   * {@code reasoning}: the effort asked for (a token budget without an effort is mapped to one: under 4096
   * low, under 16384 medium, else high) and {@code summary:"auto"} when its text is wanted
   * ({@link Thinking#summary()}). An effort of none is not sent: older OpenAI reasoning models refuse "none", and the model's
   * default applies (said in the notes).
   */
  private static void reasoning(ObjectNode body, Thinking t, List<String> notes) {
    Effort effort = t.effort();
    if (effort == null && t.budgetTokens() > 0) {
      effort = t.budgetTokens() < 4096 ? Effort.LOW : t.budgetTokens() < 16384 ? Effort.MEDIUM : Effort.HIGH;
    }
    if (effort == Effort.NONE || t.budgetTokens() == 0) {
      notes.add("reasoning could not be turned off: the model reasons at its default effort");
      return;
    }
    if (effort == null && !t.summary()) {
      return;
    }
    ObjectNode r = body.putObject("reasoning");
    if (effort != null) {
      r.put("effort", effort.wireName());
    }
    if (t.summary()) {
      r.put("summary", "auto");
    }
  }

  private static ObjectNode format(OutputFormat f) {
    ObjectNode format = Json.mapper().createObjectNode();
    if (f.schema() == null) {
      format.put("type", "json_object");
      return format;
    }
    format.put("type", "json_schema");
    format.put("name", f.name() == null ? "response" : f.name());
    format.set("schema", f.schema());
    format.put("strict", f.strict());
    return format;
  }
}
