package dev.relaycluster.protocol.convert.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Answer events encoded as Claude Code sees a Messages stream, compared byte for byte with expected files. */
class MessagesStreamEncoderTest {
  private static final AnswerOptions OPTIONS = new AnswerOptions("claude-sonnet-4-5", false, 1_760_000_000L);
  private static final AnswerUsage START = new AnswerUsage(120, 30, 0, 0, 0);
  private static final AnswerUsage END = new AnswerUsage(120, 30, 0, 57, 12);

  static final Map<String, List<AnswerEvent>> CASES = Map.of(
      "text", List.of(new Started("resp_0a1", "gpt-5.1-codex"), new UsageUpdate(START), new TextStarted(),
          new TextDelta("Hallo "), new TextDelta("Wörld ✓"), new UsageUpdate(END), new Finished(StopReason.END_TURN, null)),
      "carried_reasoning_tools", List.of(new Started("resp_0b2", "gpt-5.1-codex"), new ReasoningStarted(false),
          new ReasoningDelta("Plan: read "), new ReasoningDelta("both files"),
          new ReasoningSignature("gAAAAencrypted==", "openai-responses"), new TextStarted(),
          new TextDelta("Reading."), new ToolCallStarted("call_A1", "Read", null),
          new ToolArgumentsDelta("{\"file_path\":"), new ToolArgumentsDelta("\"/a.txt\"}"),
          new ToolCallStarted("call_B2", "Read", null), new ToolArgumentsDelta("{\"file_path\":\"/b.txt\"}"),
          new UsageUpdate(END), new Finished(StopReason.TOOL_USE, null)),
      "native_redacted_unsigned", List.of(new Started("msg_native", "claude-opus-4-5"), new UsageUpdate(START),
          new ReasoningStarted(false), new ReasoningDelta("hmm"), new ReasoningSignature("EqSig", "anthropic"),
          new ReasoningStarted(true), new ReasoningSignature("gAAAhidden", "openai-responses"),
          new ReasoningStarted(true), new ReasoningStarted(false), new ReasoningDelta("gemini thought"),
          new TextDelta("done"), new ToolCallStarted("call_x", "Bash", null), new UsageUpdate(END),
          new Finished(StopReason.END_TURN, null)),
      "failed", List.of(new Started("resp_f", "m"), new TextStarted(), new TextDelta("par"),
          new Failed(ErrorKind.RATE_LIMITED, "Rate limit reached"), new TextDelta("ignored")),
      "cut", List.of(new Started("resp_c", "m"), new UsageUpdate(START), new ToolCallStarted("call_c", "Edit", null),
          new ToolArgumentsDelta("{\"a\"")),
      "stop_sequence", List.of(new Started("gen-1", "gemini-3-pro"), new TextStarted(), new TextDelta("1, 2, "),
          new UsageUpdate(END), new Finished(StopReason.STOP_SEQUENCE, "3")));

  @ParameterizedTest
  @ValueSource(strings = {"text", "carried_reasoning_tools", "native_redacted_unsigned", "failed", "cut",
      "stop_sequence"})
  void encodesByteForByte(String name) {
    String actual = encode(CASES.get(name));
    if (System.getenv("REGEN_ANTHROPIC") != null) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources/convert/anthropic/encoder/"
            + name + ".sse"), actual);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    assertEquals(Resources.text("encoder/" + name + ".sse"), actual);
  }

  @Test
  void carriedSignatureComesBackAsTheOtherVendorsReasoning() {
    String stream = Resources.text("encoder/carried_reasoning_tools.sse");
    String carried = CarriedSignature.wrap(new Part.Reasoning("Plan: read both files", "gAAAAencrypted==", false,
        "openai-responses"));
    assertTrue(stream.contains("\"signature\":\"" + carried + "\""), stream);
    assertEquals(new Part.Reasoning("Plan: read both files", "gAAAAencrypted==", false, "openai-responses"),
        CarriedSignature.unwrap(carried));
  }

  @Test
  void ourStreamDecodesBackToTheSameContent() {
    List<AnswerEvent> decoded = new ArrayList<>();
    var decoder = AnthropicCodec.INSTANCE.newDecoder();
    decoder.feed(ByteBuffer.wrap(encode(CASES.get("text")).getBytes(StandardCharsets.UTF_8)), decoded::add);
    decoder.end(decoded::add);
    assertEquals(List.of(new Started("msg_resp_0a1", "claude-sonnet-4-5"), new UsageUpdate(START), new TextStarted(),
        new TextDelta("Hallo "), new TextDelta("Wörld ✓"), new UsageUpdate(new AnswerUsage(120, 30, 0, 57, 0)),
        new Finished(StopReason.END_TURN, null)), decoded);
  }

  @Test
  void generatesAMessageIdWhenUpstreamHasNone() {
    String stream = encode(List.of(new Started(null, null), new TextStarted(), new Finished(StopReason.END_TURN,
        null)));
    assertTrue(stream.matches("(?s)event: message_start\ndata: \\{\"type\":\"message_start\",\"message\":"
        + "\\{\"id\":\"msg_[0-9a-f]{32}\",.*"), stream);
  }

  static String encode(List<AnswerEvent> events) {
    StreamEncoder encoder = AnthropicCodec.INSTANCE.newEncoder(OPTIONS);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (AnswerEvent e : events) {
      out.writeBytes(encoder.encode(e));
    }
    out.writeBytes(encoder.end());
    return out.toString(StandardCharsets.UTF_8);
  }
}
