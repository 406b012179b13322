package dev.relaycluster.protocol.convert.gemini;

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
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiStreamEncoderTest {
  static final String CARRIED = new String(GeminiTestSupport.resource("carried.txt"), StandardCharsets.UTF_8).strip();

  static byte[] encode(String model, List<AnswerEvent> events) {
    StreamEncoder encoder = GeminiCodec.INSTANCE.newEncoder(new AnswerOptions(model, false, 0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    events.forEach(e -> out.writeBytes(encoder.encode(e)));
    out.writeBytes(encoder.end());
    return out.toByteArray();
  }

  static void assertBytes(String resource, byte[] actual) {
    assertEquals(new String(GeminiTestSupport.resource(resource), StandardCharsets.UTF_8),
        new String(actual, StandardCharsets.UTF_8));
  }

  @Test
  void thoughtsAndTextEncodeAsGeminiSendsThemAndDecodeBackToTheSameEvents() {
    List<AnswerEvent> events = List.of(new Started("r2", "gemini-2.5-flash"), new ReasoningStarted(false),
        new ReasoningDelta("**Planning** the answer…"), new ReasoningDelta(" more thinking"), new TextStarted(),
        new TextDelta("The answer is 42."), new ReasoningStarted(false),
        new ReasoningSignature("c2lnLXRleHQ=", "gemini"), new UsageUpdate(new AnswerUsage(60, 40, 0, 57, 50)),
        new Finished(StopReason.END_TURN, null));
    byte[] sse = encode("gemini-2.5-flash", events);
    assertBytes("encoded-thoughts-text.sse", sse);
    assertEquals(GeminiTestSupport.strings(events), GeminiTestSupport.strings(GeminiTestSupport.decode(sse)));
    assertEquals(GeminiTestSupport.lines("thoughts-text.events"),
        GeminiTestSupport.strings(GeminiTestSupport.decode(sse)));
  }

  @Test
  void foreignCallsWithBufferedArgumentsAndACarriedSignature() {
    List<AnswerEvent> events = List.of(new Started("msg_01", "claude-sonnet-4-5"), new ReasoningStarted(false),
        new ReasoningDelta("think"), new ReasoningSignature("EqQB", "anthropic"), new TextStarted(),
        new TextDelta("Reading."), new ToolCallStarted("toolu_1", "Read", null),
        new ToolArgumentsDelta("{\"file_"), new ToolArgumentsDelta("path\":\"/a\"}"),
        new ToolCallStarted("toolu_2", "Bash", null), new ToolArgumentsDelta(""),
        new UsageUpdate(new AnswerUsage(10, 5, 2, 30, 0)), new Finished(StopReason.TOOL_USE, null));
    byte[] sse = encode("gemini-2.5-pro", events);
    assertBytes("encoded-foreign-calls.sse", sse);
    assertEquals(new Part.Reasoning("think", "EqQB", false, "anthropic"), CarriedSignature.unwrap(CARRIED));
    assertEquals(GeminiTestSupport.strings(List.of(new Started("msg_01", "gemini-2.5-pro"),
        new ReasoningStarted(false), new ReasoningDelta("think"), new TextStarted(), new TextDelta("Reading."),
        new ToolCallStarted("toolu_1", "Read", CARRIED), new ToolArgumentsDelta("{\"file_path\":\"/a\"}"),
        new ToolCallStarted("toolu_2", "Bash", null), new ToolArgumentsDelta("{}"),
        new UsageUpdate(new AnswerUsage(12, 5, 0, 30, 0)), new Finished(StopReason.TOOL_USE, null))),
        GeminiTestSupport.strings(GeminiTestSupport.decode(sse)));
  }

  @Test
  void failedIsAnErrorEvent() {
    List<AnswerEvent> events = List.of(new Started(null, null), new TextStarted(), new TextDelta("x"),
        new Failed(ErrorKind.RATE_LIMITED, "slow down"), new TextDelta("ignored"));
    byte[] sse = encode("gemini-2.5-flash", events);
    assertBytes("encoded-failed.sse", sse);
    assertEquals(GeminiTestSupport.strings(List.of(new Started(null, "gemini-2.5-flash"), new TextStarted(),
        new TextDelta("x"), new Failed(ErrorKind.RATE_LIMITED, "slow down"))),
        GeminiTestSupport.strings(GeminiTestSupport.decode(sse)));
  }

  @Test
  void anEndWithoutFinishedIsAnErrorEvent() {
    byte[] sse = encode("gemini-2.5-flash", List.of(new Started("r", null), new TextStarted(), new TextDelta("x"),
        new ToolCallStarted("c", "Read", null), new ToolArgumentsDelta("{\"a\"")));
    assertBytes("encoded-cut.sse", sse);
  }

  @Test
  void refusalAndLimitsMapToGeminiFinishReasons() {
    assertEquals("SAFETY", GeminiWire.finishReason(StopReason.REFUSAL));
    assertEquals("SAFETY", GeminiWire.finishReason(StopReason.CONTENT_FILTER));
    assertEquals("MAX_TOKENS", GeminiWire.finishReason(StopReason.MAX_TOKENS));
    assertEquals("STOP", GeminiWire.finishReason(StopReason.TOOL_USE));
    assertEquals("STOP", GeminiWire.finishReason(StopReason.STOP_SEQUENCE));
  }
}
