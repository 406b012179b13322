package dev.relaycluster.protocol.convert.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.Effort;
import dev.relaycluster.protocol.convert.OutputFormat;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Thinking;
import dev.relaycluster.protocol.convert.ToolChoice;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.convert.WrittenRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chat- and Responses-shaped conversations written as Messages requests, compared byte for byte with
 * expected bodies (writer/NAME.json) and their notes (writer/NAME.notes).
 */
class MessagesWriterTest {
  private static final ToolSpec READ = new ToolSpec("read", "Reads a file",
      MessagesReaderTest.json("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}"));
  private static final Part.ToolCall CALL_1 = new Part.ToolCall("call.1", "read", "{\"path\":\"a\"}", null);
  private static final Part.ToolCall CALL_2 = new Part.ToolCall("fc:2/x", "read", "not json", null);
  private static final Part.Reasoning SIGNED = new Part.Reasoning("think", "EqSig", false, "anthropic");
  private static final Part.Reasoning FOREIGN = new Part.Reasoning("summary", "gAAAenc", false, "openai-responses");

  private static final List<Turn> CHAT_TOOLS = List.of(
      new Turn(Role.USER, List.of(new Part.Text("look"), new Part.Image(null, "/9j/4AAQ", null))),
      new Turn(Role.USER, List.of(new Part.Image("image/png", null, "https://x.test/a.png"))),
      new Turn(Role.ASSISTANT, List.of(CALL_1, new Part.Text("Reading"), CALL_2)),
      new Turn(Role.USER, List.of(new Part.ToolResult("call.1", "read", List.of(new Part.Text("stale")), false))),
      new Turn(Role.USER, List.of(new Part.ToolResult("fc:2/x", "read", List.of(new Part.Text("png:"),
          new Part.Image("image/png", "iVBORw0KGgo=", null)), true), new Part.Text("go on"),
          new Part.ToolResult("call.1", "read", List.of(new Part.Text("fresh")), false))));

  private static final Map<String, Conversation> CASES = Map.of(
      "chat_tools", conversation(CHAT_TOOLS, Thinking.UNSET, -1)
          .withTurns(CHAT_TOOLS),
      "thinking_signed", conversation(List.of(new Turn(Role.USER, List.of(new Part.Text("q"))),
          new Turn(Role.ASSISTANT, List.of(FOREIGN, new Part.Text("t"), SIGNED, CALL_1)),
          new Turn(Role.USER, List.of(new Part.ToolResult("call.1", null, List.of(), false)))),
          new Thinking(Effort.HIGH, -1, true), 8000),
      "thinking_replayed", conversation(List.of(new Turn(Role.USER, List.of(new Part.Text("q"))),
          new Turn(Role.ASSISTANT, List.of(CALL_1)),
          new Turn(Role.USER, List.of(new Part.ToolResult("call.1", null, List.of(new Part.Text("r")), false)))),
          new Thinking(null, 3000, true), 64000),
      "thinking_turned_off", conversation(List.of(new Turn(Role.USER, List.of(new Part.Text("q"))),
          new Turn(Role.ASSISTANT, List.of(new Part.Reasoning("", "EmRed", true, "anthropic"), CALL_1)),
          new Turn(Role.USER, List.of(new Part.ToolResult("call.1", null, List.of(new Part.Text("r")), false))),
          new Turn(Role.ASSISTANT, List.of(FOREIGN, CALL_2)),
          new Turn(Role.USER, List.of(new Part.ToolResult("fc:2/x", null, List.of(new Part.Text("r")), false)))),
          new Thinking(Effort.LOW, -1, true), 500000),
      "empty_json_object", new Conversation("claude-haiku-4-5", List.of("sys"), List.of(), List.of(READ),
          ToolChoice.REQUIRED, false, -1, null, 0.9, null, List.of(), new Thinking(Effort.MEDIUM, -1, true),
          new OutputFormat("x", null, false), true, null),
      "schema_document", new Conversation("claude-sonnet-4-5", List.of(), List.of(new Turn(Role.USER, List.of(
          new Part.Document("application/pdf", "JVBERi0=", "spec.pdf"), new Part.Text("sum up")))), List.of(READ),
          ToolChoice.NONE, null, 1000, null, null, 5, List.of(), new Thinking(Effort.NONE, 0, false),
          new OutputFormat("out", MessagesReaderTest.json("{\"type\":\"object\"}"), true), false, "u-1"));

  private static final ReplayBook BOOK = new ReplayBook() {
    @Override
    public Part.Reasoning reasoningBefore(String toolCallId) {
      return "call.1".equals(toolCallId) ? new Part.Reasoning("kept", "EqKept", false, "anthropic") : null;
    }

    @Override
    public String callSignature(String toolCallId) {
      return null;
    }
  };

  private static Conversation conversation(List<Turn> turns, Thinking thinking, long maxTokens) {
    return new Conversation("claude-sonnet-4-5", List.of("You are helpful.", ""), turns, List.of(READ), ToolChoice.AUTO,
        false, maxTokens, 0.7, 0.9, 40, List.of("END", " "), thinking, null, true, "user-7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat_tools", "thinking_signed", "thinking_replayed", "thinking_turned_off",
      "empty_json_object", "schema_document"})
  void writesByteForByte(String name) {
    WrittenRequest written = AnthropicCodec.INSTANCE.writeRequest(CASES.get(name),
        name.equals("thinking_replayed") ? BOOK : ReplayBook.NONE);
    String body = new String(written.body(), StandardCharsets.UTF_8) + "\n";
    String notes = String.join("\n", written.notes()) + "\n";
    if (System.getenv("REGEN_ANTHROPIC") != null) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources/convert/anthropic/writer/"
            + name + ".json"), body);
        java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources/convert/anthropic/writer/"
            + name + ".notes"), notes);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    assertEquals("messages", written.endpoint());
    assertEquals("", written.query());
    assertEquals(Resources.text("writer/" + name + ".json"), body);
    assertEquals(Resources.text("writer/" + name + ".notes"), notes);
  }

  @Test
  void sanitisesToolIdsTheSameWayEveryTime() {
    assertEquals("toolu_01-A", ToolIds.sanitize("toolu_01-A"));
    assertEquals(ToolIds.sanitize("call.1"), ToolIds.sanitize("call.1"));
    assertEquals(true, ToolIds.sanitize("call.1").matches("call_1_[0-9a-f]{8}"));
    assertEquals(false, ToolIds.sanitize("call.1").equals(ToolIds.sanitize("call:1")));
    assertEquals(true, ToolIds.sanitize("").matches("_[0-9a-f]{8}"));
  }

  @Test
  void budgetsFollowTheEffort() {
    long[] expected = {1024, 1024, 2048, 8192, 16384, 32000};
    Effort[] efforts = {Effort.NONE, Effort.MINIMAL, Effort.LOW, Effort.MEDIUM, Effort.HIGH, Effort.XHIGH};
    for (int i = 0; i < efforts.length; i++) {
      Conversation c = CASES.get("schema_document").withThinking(new Thinking(efforts[i], -1, true));
      assertEquals(expected[i], MessagesWriter.budget(c), efforts[i].name());
    }
    assertEquals(1024, MessagesWriter.budget(CASES.get("schema_document").withThinking(new Thinking(null, 10, true))));
  }
}
