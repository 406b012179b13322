package dev.relaycluster.protocol.convert.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.AnswerEvent.Failed;
import dev.relaycluster.protocol.convert.AnswerEvent.Finished;
import dev.relaycluster.protocol.convert.AnswerEvent.ReasoningDelta;
import dev.relaycluster.protocol.convert.AnswerEvent.ReasoningSignature;
import dev.relaycluster.protocol.convert.AnswerEvent.ReasoningStarted;
import dev.relaycluster.protocol.convert.AnswerEvent.Started;
import dev.relaycluster.protocol.convert.AnswerEvent.TextDelta;
import dev.relaycluster.protocol.convert.AnswerEvent.TextStarted;
import dev.relaycluster.protocol.convert.AnswerEvent.ToolArgumentsDelta;
import dev.relaycluster.protocol.convert.AnswerEvent.ToolCallStarted;
import dev.relaycluster.protocol.convert.AnswerEvent.UsageUpdate;
import dev.relaycluster.protocol.convert.AnswerOptions;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.convert.StreamEncoder;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChatStreamEncoderTest {

  static Stream<Arguments> streams() {
    Started started = new Started("abc123", "claude-sonnet-4-5");
    return Stream.of(
        Arguments.of("encode-plain-text.sse", false, List.of(started, new TextStarted(), new TextDelta("Hello"),
            new TextDelta(""), new TextDelta(" wörld \"quoted\""), new UsageUpdate(new AnswerUsage(3, 0, 0, 2, 0)),
            new Finished(StopReason.END_TURN, null))),
        // Upstream block indexes do not matter: the calls count 0, 1; an ended turn with calls says tool_calls.
        Arguments.of("encode-text-two-tools-usage.sse", true, List.of(started, new TextStarted(),
            new TextDelta("Let me check."), new ToolCallStarted("toolu_1", "get_weather", null),
            new ToolArgumentsDelta("{\"city\":"), new ToolArgumentsDelta("\"Paris\"}"),
            new ToolCallStarted("toolu_2", "get_time", "gemini-signature"), new ToolArgumentsDelta("{}"),
            new UsageUpdate(new AnswerUsage(1, 1, 1, 1, 0)), new UsageUpdate(new AnswerUsage(10, 100, 5, 40, 0)),
            new Finished(StopReason.END_TURN, null))),
        Arguments.of("encode-reasoning-text.sse", true, List.of(started, new ReasoningStarted(false),
            new ReasoningDelta("Thinking about it..."), new ReasoningDelta(" done."),
            new ReasoningSignature("EqQBCkYIBxgC", "anthropic"), new TextStarted(), new TextDelta("Answer."),
            new UsageUpdate(new AnswerUsage(5, 0, 0, 20, 12)), new Finished(StopReason.MAX_TOKENS, null))),
        Arguments.of("encode-failed.sse", true, List.of(started, new TextStarted(), new TextDelta("Hi"),
            new Failed(ErrorKind.OVERLOADED, "Overloaded"), new TextDelta("after the end"),
            new Finished(StopReason.END_TURN, null))),
        Arguments.of("encode-cut.sse", false, List.of(new Started("chatcmpl-abc123", "gpt-4o-2024"),
            new TextStarted(), new TextDelta("partial"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void encodesByteForByte(String file, boolean includeUsage, List<AnswerEvent> events) {
    StreamEncoder encoder = ChatCodec.INSTANCE.newEncoder(new AnswerOptions("gpt-4o", includeUsage, 1700000000L));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (AnswerEvent e : events) {
      out.writeBytes(encoder.encode(e));
    }
    out.writeBytes(encoder.end());
    assertEquals(new String(Fixtures.bytes("convert/chat/" + file), StandardCharsets.UTF_8),
        out.toString(StandardCharsets.UTF_8));
  }
}
