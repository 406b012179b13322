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
import dev.relaycluster.protocol.convert.AnswerUsage;
import dev.relaycluster.protocol.convert.StopReason;
import dev.relaycluster.protocol.dialect.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponsesDecoderTest {

  static Stream<Arguments> streams() {
    return Stream.of(
        Arguments.of("text.sse", List.of(new Started("resp_0a1", "gpt-5.1-codex"), new TextStarted(),
            new TextDelta("Grüß "), new TextDelta("dich 👋 — 你好"),
            new UsageUpdate(new AnswerUsage(176, 1024, 0, 12, 0)), new Finished(StopReason.END_TURN, null))),
        Arguments.of("reasoning-text.sse", List.of(new Started("resp_0b2", "gpt-5.1-codex"),
            new ReasoningStarted(false), new ReasoningDelta("**Reading the repo**"), new ReasoningDelta("\n\nThen "),
            new ReasoningDelta("answer."), new ReasoningSignature("gAAAAABpENC1", "openai-responses"),
            new TextStarted(), new TextDelta("Done."), new UsageUpdate(new AnswerUsage(500, 0, 0, 80, 64)),
            new Finished(StopReason.END_TURN, null))),
        Arguments.of("tools.sse", List.of(new Started("resp_0c3", "gpt-5.1-codex"), new TextStarted(),
            new TextDelta("Checking both."), new ToolCallStarted("call_A1", "exec_command", null),
            new ToolArgumentsDelta("{\"cmd\":"), new ToolArgumentsDelta("\"ls -la\"}"),
            new ToolCallStarted("call_B2", "read_file", null), new ToolArgumentsDelta("{\"path\":\"README.md\"}"),
            new ToolCallStarted("call_C3", "apply_patch", null),
            new ToolArgumentsDelta("{\"input\":\"*** Begin Patch\\n*** End Patch\"}"),
            new UsageUpdate(new AnswerUsage(1000, 8000, 0, 140, 0)), new Finished(StopReason.TOOL_USE, null))),
        Arguments.of("incomplete.sse", List.of(new Started("resp_0d4", "gpt-5-mini"), new TextStarted(),
            new TextDelta("One, two"), new UsageUpdate(new AnswerUsage(20, 0, 0, 16, 12)),
            new Finished(StopReason.MAX_TOKENS, null))),
        Arguments.of("failed.sse", List.of(new Started("resp_0e5", "gpt-5.1-codex"),
            new Failed(ErrorKind.RATE_LIMITED, "Rate limit reached for gpt-5.1-codex. Please try again in 11.054s."))),
        Arguments.of("error-event.sse", List.of(new Started("resp_0f6", "gpt-5.1-codex"),
            new Failed(ErrorKind.RATE_LIMITED, "The usage limit has been reached"))),
        Arguments.of("cut.sse", List.of(new Started("resp_0g7", "gpt-5.1-codex"), new TextStarted(),
            new TextDelta("Half"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void decodesInOnePieceByteByByteAndCutAtEveryByte(String name, List<AnswerEvent> expected) {
    byte[] sse = Fixtures.bytes(name);
    assertEquals(expected, Fixtures.decode(sse));
    assertEquals(expected, Fixtures.decodeByteByByte(sse));
    for (int cut = 0; cut <= sse.length; cut++) {
      assertEquals(expected, Fixtures.decode(sse, cut), "cut at " + cut);
    }
  }

  static Stream<Arguments> inline() {
    return Stream.of(
        // a refusal streamed as its own content part
        Arguments.of("event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r1\","
            + "\"model\":\"m\"}}\n\nevent: response.output_item.added\ndata: {\"type\":\"response.output_item.added\","
            + "\"item\":{\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}}\n\n"
            + "event: response.content_part.added\ndata: {\"type\":\"response.content_part.added\",\"part\":"
            + "{\"type\":\"refusal\",\"refusal\":\"\"}}\n\nevent: response.refusal.delta\ndata: {\"type\":"
            + "\"response.refusal.delta\",\"delta\":\"I can't help with that.\"}\n\n"
            + "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r1\","
            + "\"status\":\"completed\",\"usage\":{\"input_tokens\":5,\"output_tokens\":6}}}\n\n",
            List.of(new Started("r1", "m"), new TextStarted(), new TextDelta("I can't help with that."),
                new UsageUpdate(new AnswerUsage(5, 0, 0, 6, 0)), new Finished(StopReason.REFUSAL, null))),
        // items seen only when done (no added, no deltas), a call without call_id, a content filter stop
        Arguments.of("data: {\"type\":\"response.output_item.done\",\"item\":{\"type\":\"reasoning\",\"summary\":[],"
            + "\"encrypted_content\":\"enc\"}}\n\n"
            + "data: {\"type\":\"response.output_item.done\",\"item\":{\"type\":\"message\",\"content\":[{\"type\":"
            + "\"output_text\",\"text\":\"a\"},{\"type\":\"output_text\",\"text\":\"b\"}]}}\n\n"
            + "data: {\"type\":\"response.output_item.done\",\"item\":{\"type\":\"function_call\",\"name\":\"f\","
            + "\"arguments\":\"\"}}\n\n"
            + "data: {\"type\":\"response.output_item.done\",\"item\":{\"type\":\"web_search_call\",\"id\":\"ws_1\"}}\n\n"
            + "data: {\"type\":\"response.incomplete\",\"response\":{\"id\":\"r2\",\"status\":\"incomplete\","
            + "\"incomplete_details\":{\"reason\":\"content_filter\"}}}\n\n"
            + "data: {\"type\":\"response.output_text.delta\",\"delta\":\"after the end\"}\n\n",
            List.of(new Started(null, null), new ReasoningStarted(false),
                new ReasoningSignature("enc", "openai-responses"), new TextStarted(), new TextDelta("ab"),
                new ToolCallStarted("call_relay_0", "f", null), new ToolArgumentsDelta("{}"),
                new UsageUpdate(AnswerUsage.ZERO), new Finished(StopReason.CONTENT_FILTER, null))),
        // deltas of items whose output_item.added never came
        Arguments.of("data: {\"type\":\"response.reasoning_text.delta\",\"content_index\":0,\"delta\":\"r\"}\n\n"
            + "data: {\"type\":\"response.output_item.done\",\"item\":{\"type\":\"reasoning\",\"summary\":[]}}\n\n"
            + "data: {\"type\":\"response.output_text.delta\",\"delta\":\"t\"}\n\n"
            + "data: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\"}}\n\n",
            List.of(new Started(null, null), new ReasoningStarted(false), new ReasoningDelta("r"), new TextStarted(),
                new TextDelta("t"), new UsageUpdate(AnswerUsage.ZERO), new Finished(StopReason.END_TURN, null))),
        // an error event in OpenAI's flat form
        Arguments.of("event: error\ndata: {\"type\":\"error\",\"code\":\"context_length_exceeded\",\"message\":"
            + "\"Your input exceeds the context window of this model.\",\"param\":\"input\"}\n\n",
            List.of(new Started(null, null), new Failed(ErrorKind.INVALID_REQUEST,
                "Your input exceeds the context window of this model."))),
        Arguments.of("event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"id\":\"r3\","
            + "\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}}}\n\n",
            List.of(new Started("r3", null), new Failed(ErrorKind.API_ERROR, "boom"))));
  }

  @ParameterizedTest
  @MethodSource("inline")
  void decodesOddButValidStreams(String sse, List<AnswerEvent> expected) {
    assertEquals(expected, Fixtures.decodeByteByByte(sse.getBytes(StandardCharsets.UTF_8)));
  }
}
