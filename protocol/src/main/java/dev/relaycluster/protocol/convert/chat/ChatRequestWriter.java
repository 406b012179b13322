package dev.relaycluster.protocol.convert.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Effort;
import dev.relaycluster.protocol.convert.OutputFormat;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Thinking;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.convert.WrittenRequest;
import dev.relaycluster.protocol.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link Conversation} written as a Chat Completions request (the inverse of {@link ChatRequestReader}).
 * Reasoning parts are not sent (Chat has no place for their signatures) nor are tool call signatures; a
 * user turn's tool results become {@code tool} messages ahead of the user message holding the rest;
 * images inside tool results (Chat tool messages take text only) follow in a user message. A stream asks
 * for usage ({@code stream_options.include_usage}). {@code top_k} is dropped and noted.
 */
final class ChatRequestWriter {
  static final String ENDPOINT = "chat/completions";

  private final Set<String> notes = new LinkedHashSet<>();

  private ChatRequestWriter() {}

  static WrittenRequest write(Conversation c) {
    ChatRequestWriter w = new ChatRequestWriter();
    ObjectNode body = w.body(c);
    return new WrittenRequest(ENDPOINT, "", Json.write(body), List.copyOf(w.notes));
  }

  private ObjectNode body(Conversation c) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("model", c.model());
    ArrayNode messages = body.putArray("messages");
    for (String s : c.system()) {
      messages.addObject().put("role", "system").put("content", s);
    }
    for (int t = 0; t < c.turns().size(); t++) {
      Turn turn = c.turns().get(t);
      if (turn.role() == Role.USER) {
        user(turn.parts(), messages, "turns[" + t + "]");
      } else {
        assistant(turn.parts(), messages, "turns[" + t + "]");
      }
    }
    if (!c.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolSpec spec : c.tools()) {
        ObjectNode f = tools.addObject().put("type", "function").putObject("function");
        f.put("name", spec.name());
        if (spec.description() != null) {
          f.put("description", spec.description());
        }
        f.set("parameters", spec.parameters() == null ? Json.tryParse(ChatRequestReader.EMPTY_SCHEMA).orElseThrow()
            : spec.parameters());
      }
      if (c.toolChoice() != null) {
        switch (c.toolChoice().mode()) {
          case AUTO -> body.put("tool_choice", "auto");
          case NONE -> body.put("tool_choice", "none");
          case REQUIRED -> body.put("tool_choice", "required");
          case NAMED -> body.putObject("tool_choice").put("type", "function").putObject("function")
              .put("name", c.toolChoice().name());
        }
      }
      if (c.parallelToolCalls() != null) {
        body.put("parallel_tool_calls", c.parallelToolCalls());
      }
    }
    if (c.maxTokens() >= 0) {
      body.put("max_completion_tokens", c.maxTokens());
    }
    if (c.temperature() != null) {
      body.put("temperature", c.temperature());
    }
    if (c.topP() != null) {
      body.put("top_p", c.topP());
    }
    if (c.topK() != null) {
      notes.add("top_k is not sent (Chat Completions has no such parameter)");
    }
    if (!c.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      c.stop().forEach(stop::add);
    }
    Effort effort = effort(c.thinking());
    if (effort != null) {
      body.put("reasoning_effort", effort.wireName());
    }
    format(c.format(), body);
    if (c.stream()) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    if (c.user() != null) {
      body.put("user", c.user());
    }
    return body;
  }

  /** The effort said, else one a token budget suggests; null when reasoning was not asked about. */
  private static Effort effort(Thinking thinking) {
    if (thinking.effort() != null) {
      return thinking.effort();
    }
    if (thinking.budgetTokens() > 0) {
      long b = thinking.budgetTokens();
      return b <= 4096 ? Effort.LOW : b <= 16384 ? Effort.MEDIUM : Effort.HIGH;
    }
    return null;
  }

  private static void format(OutputFormat format, ObjectNode body) {
    if (format == null) {
      return;
    }
    ObjectNode rf = body.putObject("response_format");
    if (format.schema() == null) {
      rf.put("type", "json_object");
      return;
    }
    rf.put("type", "json_schema");
    ObjectNode spec = rf.putObject("json_schema");
    spec.put("name", format.name() == null ? "response" : format.name());
    spec.set("schema", format.schema());
    spec.put("strict", format.strict());
  }

  private void user(List<Part> parts, ArrayNode messages, String at) {
    List<Part> rest = new ArrayList<>();
    List<Part> resultImages = new ArrayList<>();
    boolean errorFlagDropped = false;
    for (Part p : parts) {
      if (p instanceof Part.ToolResult r) {
        List<Part> text = new ArrayList<>();
        for (Part c : r.content()) {
          if (c instanceof Part.Text) {
            text.add(c);
          } else if (c instanceof Part.Image) {
            resultImages.add(c);
          } else {
            throw new ConversionException(at + ": a tool result holding a " + ChatParts.partName(c)
                + " cannot be served by a Chat Completions upstream");
          }
        }
        ObjectNode tool = messages.addObject().put("role", "tool").put("tool_call_id", r.callId());
        content(tool, text, at);
        errorFlagDropped |= r.error();
      } else if (p instanceof Part.Reasoning) {
        continue;
      } else {
        rest.add(p);
      }
    }
    if (!resultImages.isEmpty()) {
      notes.add("images in tool results are sent in a user message after the results");
      rest.addAll(0, resultImages);
    }
    if (errorFlagDropped) {
      notes.add("tool result error flags are not carried by Chat Completions");
    }
    boolean onlyResults = rest.isEmpty() && parts.stream().anyMatch(p -> p instanceof Part.ToolResult);
    if (!onlyResults) {
      content(messages.addObject().put("role", "user"), rest, at);
    }
  }

  /** One Text → a string; otherwise an array of parts ("" when there are none). */
  private static void content(ObjectNode message, List<Part> parts, String at) {
    if (parts.isEmpty()) {
      message.put("content", "");
    } else if (parts.size() == 1 && parts.get(0) instanceof Part.Text t) {
      message.put("content", t.text());
    } else {
      message.set("content", ChatParts.write(parts, at));
    }
  }

  private static void assistant(List<Part> parts, ArrayNode messages, String at) {
    ObjectNode message = messages.addObject().put("role", "assistant");
    List<Part> text = new ArrayList<>();
    ArrayNode calls = null;
    for (Part p : parts) {
      if (p instanceof Part.Text) {
        text.add(p);
      } else if (p instanceof Part.ToolCall call) {
        if (calls == null) {
          calls = Json.mapper().createArrayNode();
        }
        ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
        c.putObject("function").put("name", call.name())
            .put("arguments", call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments());
      } else if (!(p instanceof Part.Reasoning)) {
        throw new ConversionException(at + ": an assistant turn cannot hold a " + ChatParts.partName(p));
      }
    }
    if (text.isEmpty()) {
      if (calls == null) {
        message.put("content", "");
      } else {
        message.putNull("content");
      }
    } else {
      content(message, text, at);
    }
    if (calls != null) {
      message.set("tool_calls", calls);
    }
  }
}
