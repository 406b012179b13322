package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * The tool loop {@link MockAnthropic} plays with an agent CLI (Claude Code, or Codex through a converter):
 * <ul>
 *   <li>the last user message carries {@code tool_result} blocks: a text answer {@link #TOOL_RESULT_PREFIX}
 *       + the last line of the result's text ({@link #lastLine}), usage {@link #FINAL_USAGE};</li>
 *   <li>else its text contains {@link #TOOL_TRIGGER} and the request offers a shell tool (the first of
 *       {@link #SHELL_TOOLS} in {@code tools}, case-insensitive): a {@code tool_use} of that tool running
 *       {@link #TOOL_COMMAND}, its input shaped for the tool's schema ({@code command} string plus a
 *       {@code description} when the schema has one, {@code cmd} for Codex's exec_command, an argv array
 *       where {@code command} is an array), stop_reason {@code tool_use}, usage {@link #TOOL_USAGE};</li>
 *   <li>else nothing: MockAnthropic answers as before.</li>
 * </ul>
 * Before these, a request for structured output ({@code output_config.format} of type json_schema, as the
 * relay writes a Gemini client's {@code responseJsonSchema}) is answered with one text holding a JSON value
 * built from the schema ({@link MockGeminiAnswers#fromSchema}), usage {@link #JSON_USAGE}; a schema with a
 * type that is not JSON Schema's ({@code "OBJECT"}) or an object without {@code additionalProperties: false}
 * is a 400, as Claude answers it ({@link #schemaProblem}).
 * Both as a stream (the full message_start … message_stop sequence) and as a whole JSON message. Messages
 * with role {@code system} (Claude Code 2.1.332 puts its environment block there) are skipped when
 * looking for the last user message.
 */
public final class MockAnthropicTools {
  public static final String TOOL_TRIGGER = "MOCK_TOOL";
  public static final String TOOL_COMMAND = "echo mock-tool-ok";
  public static final String TOOL_OUTPUT = "mock-tool-ok";
  public static final String TOOL_DESCRIPTION = "Print the mock marker";
  public static final String TOOL_RESULT_PREFIX = "tool said: ";
  public static final String TOOL_USE_ID = "toolu_01MockToolUse0000000001";
  /** Tools the mock will call, first match wins: Claude Code's, then Codex's, then Gemini CLI's, then the Droid CLI's. */
  public static final List<String> SHELL_TOOLS =
      List.of("Bash", "exec_command", "shell_command", "shell", "run_shell_command", "Execute");
  /** Gemini CLI's shell tool: called with {@code {"command": …}} only (its description is optional). */
  static final String GEMINI_SHELL = "run_shell_command";

  /** Usage of one answer, as the mock reports it (message_start carries all but the final output count). */
  public record Usage(int input, int cacheRead, int cacheWrite, int output) {}

  public static final Usage TOOL_USAGE = new Usage(700, 300, 0, 40);
  public static final Usage FINAL_USAGE = new Usage(950, 0, 0, 25);
  public static final Usage JSON_USAGE = new Usage(430, 0, 0, 18);

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Claude Code appends {@code <system-reminder>…</system-reminder>} blocks to a tool result's text. */
  private static final java.util.regex.Pattern REMINDER =
      java.util.regex.Pattern.compile("<system-reminder>.*?</system-reminder>", java.util.regex.Pattern.DOTALL);
  /** Gemini CLI wraps a tool's output in these tags and adds lines about the process after it. */
  private static final java.util.regex.Pattern UNTRUSTED = java.util.regex.Pattern.compile("</?untrusted_context>");
  private static final java.util.regex.Pattern PROCESS_LINE =
      java.util.regex.Pattern.compile("(?m)^((Process Group PGID|Background PIDs): .*|\\[Process exited with code \\d+\\])$");
  private static final java.util.Set<String> SCHEMA_TYPES =
      java.util.Set.of("string", "number", "integer", "boolean", "array", "object", "null");

  private MockAnthropicTools() {}

  /** The answer to this Messages request when it is part of the tool loop, else null. */
  public static Answer answer(JsonNode request) {
    JsonNode format = request.path("output_config").path("format");
    if (format.path("type").asText().equals("json_schema") && format.has("schema")) {
      return new Answer(null, null, MockGeminiAnswers.fromSchema(format.get("schema")).toString(), JSON_USAGE);
    }
    JsonNode last = lastUserMessage(request.path("messages"));
    if (last == null) {
      return null;
    }
    String result = toolResult(last);
    if (result != null) {
      return new Answer(null, null, TOOL_RESULT_PREFIX + lastLine(result), FINAL_USAGE);
    }
    String tool = toolName(request.path("tools"));
    if (tool != null && text(last).contains(TOOL_TRIGGER)) {
      return new Answer(tool, toolInput(request.path("tools"), tool), null, TOOL_USAGE);
    }
    return null;
  }

  /** One answer: a tool_use (tool and input set) or a text. */
  public record Answer(String tool, ObjectNode input, String text, Usage usage) {
    public boolean toolUse() {
      return tool != null;
    }

    /** The SSE stream of this answer for a request of this model. */
    public String stream(String model) {
      StringBuilder s = new StringBuilder();
      ObjectNode message = message(model, true);
      event(s, "message_start", JSON.createObjectNode().put("type", "message_start").set("message", message));
      ObjectNode start = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
      if (toolUse()) {
        start.putObject("content_block").put("type", "tool_use").put("id", TOOL_USE_ID).put("name", tool)
            .putObject("input");
        event(s, "content_block_start", start);
        String json = input.toString();
        int half = json.length() / 2;
        for (String piece : List.of("", json.substring(0, half), json.substring(half))) {
          ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
          delta.putObject("delta").put("type", "input_json_delta").put("partial_json", piece);
          event(s, "content_block_delta", delta);
        }
      } else {
        start.putObject("content_block").put("type", "text").put("text", "");
        event(s, "content_block_start", start);
        int half = text.length() / 2;
        for (String piece : List.of(text.substring(0, half), text.substring(half))) {
          ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
          delta.putObject("delta").put("type", "text_delta").put("text", piece);
          event(s, "content_block_delta", delta);
        }
      }
      event(s, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", 0));
      ObjectNode delta = JSON.createObjectNode().put("type", "message_delta");
      delta.putObject("delta").put("stop_reason", stopReason()).putNull("stop_sequence");
      delta.putObject("usage").put("output_tokens", usage.output());
      event(s, "message_delta", delta);
      event(s, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
      return s.toString();
    }

    /** The whole JSON message of this answer. */
    public String json(String model) {
      return message(model, false).toString();
    }

    private String stopReason() {
      return toolUse() ? "tool_use" : "end_turn";
    }

    private ObjectNode message(String model, boolean start) {
      ObjectNode m = JSON.createObjectNode();
      m.put("id", toolUse() ? "msg_01MockToolCall000000001" : "msg_01MockToolAnswer0000001").put("type", "message")
          .put("role", "assistant").put("model", model);
      var content = m.putArray("content");
      if (!start) {
        if (toolUse()) {
          content.addObject().put("type", "tool_use").put("id", TOOL_USE_ID).put("name", tool).set("input", input);
        } else {
          content.addObject().put("type", "text").put("text", text);
        }
      }
      if (start) {
        m.putNull("stop_reason");
      } else {
        m.put("stop_reason", stopReason());
      }
      m.putNull("stop_sequence");
      m.putObject("usage").put("input_tokens", usage.input())
          .put("cache_creation_input_tokens", usage.cacheWrite()).put("cache_read_input_tokens", usage.cacheRead())
          .put("output_tokens", start ? 1 : usage.output()).put("service_tier", "standard");
      return m;
    }
  }

  private static void event(StringBuilder s, String name, ObjectNode data) {
    s.append("event: ").append(name).append('\n').append("data: ").append(data).append("\n\n");
  }

  /**
   * Why Claude would refuse this request's {@code output_config.format} schema (a {@code type} that is not a
   * JSON Schema type name, such as Gemini's {@code "OBJECT"}; an object not closed with
   * {@code additionalProperties: false}), or null when it would not.
   */
  public static String schemaProblem(JsonNode request) {
    return typeProblem(request.path("output_config").path("format").path("schema"), "output_config.format.schema");
  }

  private static String typeProblem(JsonNode schema, String where) {
    if (!schema.isObject()) {
      return null;
    }
    JsonNode type = schema.path("type");
    for (JsonNode t : type.isArray() ? type : JSON.createArrayNode().add(type)) {
      if (!t.isMissingNode() && !SCHEMA_TYPES.contains(t.asText())) {
        return where + ".type: '" + t.asText() + "' is not a JSON Schema type";
      }
    }
    boolean object = type.asText().equals("object") || (type.isMissingNode() && schema.has("properties"));
    JsonNode closed = schema.path("additionalProperties");
    if (object && !(closed.isBoolean() && !closed.booleanValue())) {
      return where + ": For 'object' type, 'additionalProperties' must be explicitly set to false";
    }
    for (var f : (Iterable<java.util.Map.Entry<String, JsonNode>>) schema::fields) {
      String problem = null;
      if (f.getKey().equals("properties") || f.getKey().equals("$defs")) {
        for (var p : (Iterable<java.util.Map.Entry<String, JsonNode>>) f.getValue()::fields) {
          problem = problem == null ? typeProblem(p.getValue(), where + "." + f.getKey() + "." + p.getKey()) : problem;
        }
      } else if (f.getKey().equals("items") || f.getKey().equals("additionalProperties")) {
        problem = typeProblem(f.getValue(), where + "." + f.getKey());
      }
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /**
   * The last non-blank line of a tool result without Claude Code's system-reminder blocks: the command's own
   * output line both for Claude Code's Bash ({@code "mock-tool-ok\n\n<system-reminder>…"}) and for Codex's
   * exec_command ({@code "Chunk ID: …\nOutput:\n[login-shell noise]\nmock-tool-ok\n"}), and for Gemini CLI's
   * run_shell_command ({@code "<untrusted_context>\nOutput: mock-tool-ok\nProcess Group PGID: 123\n
   * </untrusted_context>"}: the tags and process lines dropped, the {@code "Output: "} prefix too), and for the Droid
   * CLI's Execute ({@code "mock-tool-ok\n\n[Process exited with code 0]"}: the exit line dropped).
   */
  static String lastLine(String result) {
    String text = REMINDER.matcher(result).replaceAll("");
    text = PROCESS_LINE.matcher(UNTRUSTED.matcher(text).replaceAll("")).replaceAll("");
    String[] lines = text.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    return last.startsWith("Output: ") ? last.substring("Output: ".length()).strip() : last;
  }

  static JsonNode lastUserMessage(JsonNode messages) {
    if (!messages.isArray()) {
      return null;
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText();
      if (role.equals("user")) {
        return m;
      }
      if (!role.equals("system")) {
        return null;
      }
    }
    return null;
  }

  /** The joined text of a message's tool_result blocks, or null when it has none. */
  static String toolResult(JsonNode message) {
    StringBuilder out = null;
    for (JsonNode block : message.path("content")) {
      if (!block.path("type").asText().equals("tool_result")) {
        continue;
      }
      out = out == null ? new StringBuilder() : out;
      JsonNode c = block.path("content");
      if (c.isTextual()) {
        out.append(c.asText());
      } else {
        for (JsonNode part : c) {
          out.append(part.path("text").asText(""));
        }
      }
    }
    return out == null ? null : out.toString();
  }

  static String text(JsonNode message) {
    JsonNode c = message.path("content");
    if (c.isTextual()) {
      return c.asText();
    }
    StringBuilder s = new StringBuilder();
    for (JsonNode block : c) {
      s.append(block.path("text").asText("")).append('\n');
    }
    return s.toString();
  }

  /** The name of the shell tool this request offers (as spelled in the request), or null. */
  public static String toolName(JsonNode tools) {
    for (String wanted : SHELL_TOOLS) {
      for (JsonNode tool : tools) {
        String name = tool.path("name").asText();
        if (name.toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT))) {
          return name;
        }
      }
    }
    return null;
  }

  /** The input of the call, shaped for the tool's input_schema. */
  static ObjectNode toolInput(JsonNode tools, String name) {
    JsonNode props = JSON.missingNode();
    for (JsonNode tool : tools) {
      if (tool.path("name").asText().equals(name)) {
        props = tool.path("input_schema").path("properties");
      }
    }
    ObjectNode input = JSON.createObjectNode();
    if (props.has("cmd")) {
      input.put("cmd", TOOL_COMMAND);
    } else if (props.path("command").path("type").asText().equals("array")) {
      input.putArray("command").add("bash").add("-lc").add(TOOL_COMMAND);
    } else {
      input.put("command", TOOL_COMMAND);
    }
    if (props.has("description") && !name.equals(GEMINI_SHELL)) {
      input.put("description", TOOL_DESCRIPTION);
    }
    // The Droid CLI's Execute requires a summary and a risk assessment besides the command.
    if (props.has("summary")) {
      input.put("summary", TOOL_DESCRIPTION);
    }
    if (props.has("riskLevelReason")) {
      input.put("riskLevelReason", "This echo command only prints a marker and changes nothing.");
    }
    if (props.has("riskLevel")) {
      input.put("riskLevel", "low");
    }
    return input;
  }
}
