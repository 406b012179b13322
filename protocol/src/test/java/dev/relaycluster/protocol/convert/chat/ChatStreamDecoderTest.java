package dev.relaycluster.protocol.convert.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.protocol.convert.AnswerEvent;
import dev.relaycluster.protocol.convert.AnswerEvent.Failed;
import dev.relaycluster.protocol.convert.AnswerEvent.Finished;
import dev.relaycluster.protocol.convert.AnswerEvent.ReasoningDelta;
import dev.relaycluster.protocol.convert.AnswerEvent.ReasoningStarted;
import dev.relaycluster.protocol.convert.AnswerEvent.Started;
import dev.relaycluster.protocol.convert.AnswerEvent.TextDelta;
import dev.relaycluster.protocol.convert.AnswerEvent.TextStarted;
import dev.relaycluster.protocol.convert.AnswerEvent.ToolArgumentsDelta;
import dev.relaycluster.protocol.convert.AnswerEvent.ToolCallStarted;
import dev.relaycluster.protocol.convert.AnswerEvent.UsageUpdate;
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.convert.StreamDecoder;
import dev.relaycluster.protocol.dialect.ErrorKind;
import dev.relaycluster.protocol.testing.Fixtures;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChatStreamDecoderTest {

  static Stream<Arguments> streams() {
    return Stream.of(
        Arguments.of("openai-text-two-tools.sse", List.of(
            new Started("chatcmpl-C1xYz", "gpt-4.1-2025-04-14"), new TextStarted(), new TextDelta("Checking ☀️ "),
            new TextDelta("the weather."), new ToolCallStarted("call_A1", "get_weather", null),
            new ToolArgumentsDelta("{\"city\""), new ToolArgumentsDelta(":\"Zürich\"}"),
            new ToolCallStarted("call_B2", "get_time", null), new ToolArgumentsDelta("{}"),
            new UsageUpdate(new AnswerUsage(56, 64, 0, 30, 0)), new Finished(StopReason.TOOL_USE, null))),
        Arguments.of("compat-reasoning-crlf.sse", List.of(
            new Started("8f1c2d", "deepseek-reasoner"), new ReasoningStarted(false), new ReasoningDelta("Let me think"),
            new ReasoningDelta(" — carefully."), new TextStarted(), new TextDelta("42"),
            new Finished(StopReason.END_TURN, null))),
        Arguments.of("openai-error-midstream.sse", List.of(
            new Started("chatcmpl-C1xYz", "gpt-4.1-2025-04-14"), new TextStarted(), new TextDelta("Hel"),
            new Failed(ErrorKind.RATE_LIMITED, "Rate limit reached for gpt-4.1 in organization org-x on tokens per min."
                + " Please try again in 1.2s."))),
        Arguments.of("openai-cut.sse", List.of(
            new Started("chatcmpl-C1xYz", "gpt-4.1-2025-04-14"), new TextStarted(), new TextDelta("Part"))),
        Arguments.of("azure-filter-results.sse", List.of(
            new Started("chatcmpl-AzQ1x", "gpt-5-mini-2025-08-07"), new TextStarted(), new TextDelta("Grüße"),
            new TextDelta(" aus Azure"), new UsageUpdate(new AnswerUsage(20, 0, 0, 9, 0)),
            new Finished(StopReason.END_TURN, null))),
        Arguments.of("compat-content-filter-no-done.sse", List.of(
            new Started("gen-77", "gemini-2.5-flash"), new TextStarted(), new TextDelta("I can't help"),
            new TextDelta(" with that."), new UsageUpdate(new AnswerUsage(9, 0, 0, 4, 0)),
            new Finished(StopReason.CONTENT_FILTER, null))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void decodesSplitAtEveryByte(String file, List<AnswerEvent> expected) {
    byte[] bytes = Fixtures.bytes("convert/chat/" + file);
    assertEquals(expected, decode(bytes, bytes.length), "whole");
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertEquals(expected, decode(bytes, cut), "split at " + cut);
    }
    List<AnswerEvent> oneByOne = new ArrayList<>();
    StreamDecoder decoder = ChatCodec.INSTANCE.newDecoder();
    for (byte b : bytes) {
      decoder.feed(ByteBuffer.wrap(new byte[] {b}), oneByOne::add);
    }
    decoder.end(oneByOne::add);
    assertEquals(expected, oneByOne, "byte by byte");
  }

  private static List<AnswerEvent> decode(byte[] bytes, int cut) {
    List<AnswerEvent> events = new ArrayList<>();
    StreamDecoder decoder = ChatCodec.INSTANCE.newDecoder();
    decoder.feed(ByteBuffer.wrap(bytes, 0, cut), events::add);
    decoder.feed(ByteBuffer.wrap(bytes, cut, bytes.length - cut), events::add);
    decoder.end(events::add);
    return events;
  }
}
