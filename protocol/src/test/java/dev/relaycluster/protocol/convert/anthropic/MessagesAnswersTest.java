package dev.relaycluster.protocol.convert.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.CarriedSignature;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.convert.WholeAnswer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole Messages answers read from Claude and written for Claude Code, and error bodies. */
class MessagesAnswersTest {
  private static final String CLAUDE = "{\"id\":\"msg_01A\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hm\",\"signature\":\"EqS\"},"
      + "{\"type\":\"redacted_thinking\",\"data\":\"EmR\"},{\"type\":\"text\",\"text\":\"Sure.\"},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Read\",\"input\":{\"p\":\"ä\"}},"
      + "{\"type\":\"server_tool_use\",\"id\":\"s\",\"name\":\"web_search\",\"input\":{}}],"
      + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,"
      + "\"cache_creation_input_tokens\":20,\"cache_read_input_tokens\":30,\"output_tokens\":40,"
      + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":20,\"ephemeral_1h_input_tokens\":0}}}";

  @Test
  void readsClaudesAnswer() {
    assertEquals(new WholeAnswer("msg_01A", "claude-sonnet-4-5", List.of(
        new Part.Reasoning("hm", "EqS", false, "anthropic"), new Part.Reasoning("", "EmR", true, "anthropic"),
        new Part.Text("Sure."), new Part.ToolCall("toolu_1", "Read", "{\"p\":\"ä\"}", null)),
        StopReason.TOOL_USE, null, new AnswerUsage(10, 30, 20, 40, 0)),
        AnthropicCodec.INSTANCE.readAnswer(CLAUDE.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void writesAnAnswerForClaudeCode() {
    Part.Reasoning foreign = new Part.Reasoning("plan", "gAAA", false, "openai-responses");
    Part.Reasoning hidden = new Part.Reasoning("", "gBBB", true, "openai-responses");
    WholeAnswer answer = new WholeAnswer("resp_9", "gpt-5.1-codex", List.of(foreign, hidden,
        new Part.Reasoning("unsigned", null, false, null), new Part.Text("Done."),
        new Part.ToolCall("call_1", "Bash", "{\"command\":\"ls\"}", null), new Part.ToolCall("call_2", "Bash", "", null)),
        StopReason.END_TURN, null, new AnswerUsage(100, 50, 0, 7, 3));
    String written = new String(AnthropicCodec.INSTANCE.writeAnswer(answer,
        new AnswerOptions("claude-opus-4-5", false, 0)), StandardCharsets.UTF_8);
    assertEquals("{\"id\":\"msg_resp_9\",\"type\":\"message\",\"role\":\"assistant\",\"content\":["
        + "{\"type\":\"thinking\",\"thinking\":\"plan\",\"signature\":\"" + CarriedSignature.wrap(foreign) + "\"},"
        + "{\"type\":\"redacted_thinking\",\"data\":\"" + CarriedSignature.wrap(hidden) + "\"},"
        + "{\"type\":\"thinking\",\"thinking\":\"unsigned\",\"signature\":\"\"},{\"type\":\"text\",\"text\":\"Done.\"},"
        + "{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}},"
        + "{\"type\":\"tool_use\",\"id\":\"call_2\",\"name\":\"Bash\",\"input\":{}}],"
        + "\"model\":\"claude-opus-4-5\",\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{"
        + "\"input_tokens\":100,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":50,\"output_tokens\":7}}",
        written);
    WholeAnswer back = AnthropicCodec.INSTANCE.readAnswer(written.getBytes(StandardCharsets.UTF_8));
    assertEquals(StopReason.TOOL_USE, back.stopReason());
    assertEquals(new AnswerUsage(100, 50, 0, 7, 0), back.usage());
  }

  @Test
  void rewritesItsOwnAnswerUnchanged() {
    WholeAnswer answer = AnthropicCodec.INSTANCE.readAnswer(CLAUDE.getBytes(StandardCharsets.UTF_8));
    byte[] written = AnthropicCodec.INSTANCE.writeAnswer(answer, new AnswerOptions("claude-sonnet-4-5", false, 0));
    assertEquals(answer, AnthropicCodec.INSTANCE.readAnswer(written));
  }

  @Test
  void refusesWhatIsNotAMessage() {
    assertEquals("upstream answer is not a Messages API message", assertThrows(ConversionException.class,
        () -> AnthropicCodec.INSTANCE.readAnswer("{\"type\":\"error\"}".getBytes(StandardCharsets.UTF_8))).getMessage());
  }

  @Test
  void readsErrorMessages() {
    assertEquals("Overloaded", AnthropicCodec.INSTANCE.errorMessage(
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}".getBytes(StandardCharsets.UTF_8)));
    assertNull(AnthropicCodec.INSTANCE.errorMessage("<html>".getBytes(StandardCharsets.UTF_8)));
    assertNull(AnthropicCodec.INSTANCE.errorMessage("{\"error\":{}}".getBytes(StandardCharsets.UTF_8)));
  }
}
