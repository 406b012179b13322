package dev.relaycluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What lets {@link MockOpenAi}'s tool loop serve clients other than Codex (Claude Code through a converter):
 * the loop also starts when the last user message of a Responses {@code input} says {@link #TOOL_TRIGGER}
 * (besides the model {@code mock-tool}); the shell tool may be Claude Code's {@code Bash} (any case) as
 * well as Codex's; and Claude Code's {@code <system-reminder>} blocks are cut from the tool output the
 * answer quotes.
 */
public final class MockOpenAiTools {
  public static final String TOOL_TRIGGER = "MOCK_TOOL";
  /** Tool names the mock calls besides Codex's exec_command / shell_command / shell, case-insensitive. */
  public static final List<String> OTHER_SHELL_TOOLS = List.of("Bash");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REMINDER = Pattern.compile("<system-reminder>.*?</system-reminder>", Pattern.DOTALL);

  private MockOpenAiTools() {}

  /** Whether the last user message of this Responses request's input says MOCK_TOOL. */
  public static boolean triggered(JsonNode body) {
    JsonNode input = body.path("input");
    if (input.isTextual()) {
      return input.asText().contains(TOOL_TRIGGER);
    }
    if (!input.isArray()) {
      return false;
    }
    for (int i = input.size() - 1; i >= 0; i--) {
      JsonNode item = input.get(i);
      if (item.path("role").asText().equals("user")) {
        JsonNode content = item.path("content");
        if (content.isTextual()) {
          return content.asText().contains(TOOL_TRIGGER);
        }
        for (JsonNode part : content) {
          if (part.path("text").asText("").contains(TOOL_TRIGGER)) {
            return true;
          }
        }
        return false;
      }
    }
    return false;
  }

  /** The name and JSON arguments of a call of a shell tool named in {@link #OTHER_SHELL_TOOLS}, or null. */
  public static String[] otherShellCall(JsonNode tools) {
    for (JsonNode tool : tools) {
      String name = tool.path("name").asText(tool.path("function").path("name").asText());
      if (OTHER_SHELL_TOOLS.stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))) {
        JsonNode params = tool.has("parameters") ? tool.get("parameters") : tool.path("function").path("parameters");
        ObjectNode args = JSON.createObjectNode().put("command", MockOpenAiEvents.TOOL_COMMAND);
        if (params.path("properties").has("description")) {
          args.put("description", "Print the mock marker");
        }
        return new String[] {name, args.toString()};
      }
    }
    return null;
  }

  /** A tool output without Claude Code's system-reminder blocks. */
  public static String withoutReminders(String output) {
    return REMINDER.matcher(output).replaceAll("");
  }
}
