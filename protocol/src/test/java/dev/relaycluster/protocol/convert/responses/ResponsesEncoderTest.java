package dev.relaycluster.protocol.convert.responses;

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
import dev.relaycluster.protocol.convert.CarriedSignature;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.convert.StreamEncoder;
import dev.relaycluster.protocol.dialect.ErrorKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponsesEncoderTest {
  static final AnswerOptions OPTIONS = new AnswerOptions("gpt-5.1-codex", false, 1764763200L, Set.of("apply_patch"));
  static final String CARRIED = CarriedSignature.wrap(new Part.Reasoning("Let me look.", "EqQBCkYI", false,
      "anthropic"));
  static final String CARRIED_REDACTED = CarriedSignature.wrap(new Part.Reasoning("", "EmwKAhgBEgy", true,
      "anthropic"));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("encoded-text.sse", List.of(new Started("msg_01XY", "claude-sonnet-4-5"), new TextStarted(),
            new TextDelta("Hello"), new TextDelta(" wörld 👋"), new UsageUpdate(new AnswerUsage(10, 100, 5, 7, 0)),
            new Finished(StopReason.END_TURN, null)),
            List.of(new Started("resp_msg_01XY", "gpt-5.1-codex"), new TextStarted(), new TextDelta("Hello"),
                new TextDelta(" wörld 👋"), new UsageUpdate(new AnswerUsage(15, 100, 0, 7, 0)),
                new Finished(StopReason.END_TURN, null))),
        Arguments.of("encoded-tools.sse", List.of(new Started("msg_02", "claude-sonnet-4-5"),
            new ReasoningStarted(false), new ReasoningDelta("Let me "), new ReasoningDelta("look."),
            new ReasoningSignature("EqQBCkYI", "anthropic"), new TextStarted(), new TextDelta("Running it."),
            new ToolCallStarted("toolu_01", "exec_command", null), new ToolArgumentsDelta("{\"cmd\":"),
            new ToolArgumentsDelta("\"ls\"}"), new ToolCallStarted("toolu_02", "apply_patch", null),
            new ToolArgumentsDelta("{\"input\":\"*** Begin"), new ToolArgumentsDelta(" Patch\\n*** End Patch\"}"),
            new ToolCallStarted("toolu_03", "list_mcp_resources", null),
            new UsageUpdate(new AnswerUsage(3, 2000, 0, 90, 40)), new Finished(StopReason.TOOL_USE, null)),
            List.of(new Started("resp_msg_02", "gpt-5.1-codex"), new ReasoningStarted(false),
                new ReasoningDelta("Let me "), new ReasoningDelta("look."),
                new ReasoningSignature(CARRIED, "openai-responses"), new TextStarted(), new TextDelta("Running it."),
                new ToolCallStarted("toolu_01", "exec_command", null), new ToolArgumentsDelta("{\"cmd\":"),
                new ToolArgumentsDelta("\"ls\"}"), new ToolCallStarted("toolu_02", "apply_patch", null),
                new ToolArgumentsDelta("{\"input\":\"*** Begin Patch\\n*** End Patch\"}"),
                new ToolCallStarted("toolu_03", "list_mcp_resources", null), new ToolArgumentsDelta("{}"),
                new UsageUpdate(new AnswerUsage(3, 2000, 0, 90, 40)), new Finished(StopReason.TOOL_USE, null))),
        Arguments.of("encoded-max-tokens.sse", List.of(new Started("msg_04", null), new TextStarted(),
            new TextDelta("One, two"), new UsageUpdate(new AnswerUsage(20, 0, 0, 16, 0)),
            new Finished(StopReason.MAX_TOKENS, null)),
            List.of(new Started("resp_msg_04", "gpt-5.1-codex"), new TextStarted(), new TextDelta("One, two"),
                new UsageUpdate(new AnswerUsage(20, 0, 0, 16, 0)), new Finished(StopReason.MAX_TOKENS, null))),
        Arguments.of("encoded-failed.sse", List.of(new Started("msg_05", null), new TextStarted(),
            new TextDelta("Hi"), new Failed(ErrorKind.OVERLOADED, "Overloaded"), new TextDelta("ignored")),
            List.of(new Started("resp_msg_05", "gpt-5.1-codex"), new TextStarted(), new TextDelta("Hi"),
                new Failed(ErrorKind.OVERLOADED, "Overloaded"))),
        Arguments.of("encoded-cut.sse", List.of(new Started("msg_03", null), new ReasoningStarted(true),
            new ReasoningSignature("EmwKAhgBEgy", "anthropic"), new TextStarted(), new TextDelta("Half")),
            List.of(new Started("resp_msg_03", "gpt-5.1-codex"), new ReasoningStarted(false),
                new ReasoningSignature(CARRIED_REDACTED, "openai-responses"), new TextStarted(),
                new TextDelta("Half"), new Failed(ErrorKind.API_ERROR,
                    "the upstream stream broke off before the answer was complete"))));
  }

  static byte[] encode(List<AnswerEvent> events) {
    StreamEncoder encoder = ResponsesCodec.INSTANCE.newEncoder(OPTIONS);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    events.forEach(e -> out.writeBytes(encoder.encode(e)));
    out.writeBytes(encoder.end());
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void encodesByteExactAndDecodesBack(String file, List<AnswerEvent> events, List<AnswerEvent> decoded) {
    byte[] sse = encode(events);
    assertEquals(Fixtures.text(file), new String(sse, StandardCharsets.UTF_8));
    assertEquals(decoded, Fixtures.decode(sse));
  }

  /** Generated answers encoded and decoded again (cut at a random byte) give their own events back. */
  @Test
  void encodedAnswersDecodeToTheSameEvents() {
    Random r = new Random(7);
    String[] words = {"a", "grüß", "🙂", "line\n", "\"q\"", "{", "}"};
    for (int n = 0; n < 300; n++) {
      List<AnswerEvent> events = new ArrayList<>();
      List<AnswerEvent> expected = new ArrayList<>();
      events.add(new Started("id" + n, "upstream-model"));
      expected.add(new Started("resp_id" + n, "gpt-5.1-codex"));
      boolean calls = false;
      for (int p = r.nextInt(5); p > 0; p--) {
        int kind = r.nextInt(3);
        List<AnswerEvent> piece = new ArrayList<>();
        if (kind == 0) {
          piece.add(new TextStarted());
          for (int d = r.nextInt(4); d > 0; d--) {
            piece.add(new TextDelta(words[r.nextInt(words.length)]));
          }
        } else if (kind == 1) {
          piece.add(new ReasoningStarted(false));
          for (int d = r.nextInt(3); d > 0; d--) {
            piece.add(new ReasoningDelta(words[r.nextInt(words.length)]));
          }
          if (r.nextBoolean()) {
            piece.add(new ReasoningSignature("gAAA" + n, "openai-responses"));
          }
        } else {
          calls = true;
          piece.add(new ToolCallStarted("call_" + n + "_" + p, "tool" + r.nextInt(3), null));
          piece.add(new ToolArgumentsDelta("{\"k\":"));
          piece.add(new ToolArgumentsDelta("\"" + words[r.nextInt(3)] + "\"}"));
        }
        events.addAll(piece);
        expected.addAll(piece);
      }
      AnswerUsage usage = new AnswerUsage(r.nextInt(100), r.nextInt(100), r.nextInt(100), r.nextInt(100), 0);
      events.add(new UsageUpdate(usage));
      expected.add(new UsageUpdate(new AnswerUsage(usage.input() + usage.cacheWrite(), usage.cacheRead(), 0,
          usage.output(), 0)));
      boolean cut = r.nextInt(5) == 0;
      events.add(new Finished(cut ? StopReason.MAX_TOKENS : calls ? StopReason.TOOL_USE : StopReason.END_TURN, null));
      expected.add(events.get(events.size() - 1));
      byte[] sse = encode(events);
      assertEquals(expected, Fixtures.decode(sse, r.nextInt(sse.length)), "answer " + n);
    }
  }
}
