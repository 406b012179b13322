package dev.relaycluster.protocol.convert.responses;

import static dev.relaycluster.protocol.convert.responses.ResponsesReaderTest.json;
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
import dev.relaycluster.protocol.dialect.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResponsesWholeAnswerTest {

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsAResponseObject() {
    String body = "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"model\":\"gpt-5.1-codex\","
        + "\"output\":[{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"A\"},"
        + "{\"type\":\"summary_text\",\"text\":\"B\"}],\"encrypted_content\":\"gAAA\"},"
        + "{\"id\":\"ws_1\",\"type\":\"web_search_call\",\"status\":\"completed\"},"
        + "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
        + "\"text\":\"Hi \"},{\"type\":\"output_text\",\"text\":\"there\"}]},"
        + "{\"id\":\"fc_1\",\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"shell\",\"arguments\":"
        + "\"{\\\"cmd\\\":\\\"ls\\\"}\"},"
        + "{\"id\":\"ctc_1\",\"type\":\"custom_tool_call\",\"call_id\":\"call_2\",\"name\":\"apply_patch\","
        + "\"input\":\"*** Begin Patch\"}],"
        + "\"usage\":{\"input_tokens\":100,\"input_tokens_details\":{\"cached_tokens\":60},\"output_tokens\":30,"
        + "\"output_tokens_details\":{\"reasoning_tokens\":20},\"total_tokens\":130}}";
    assertEquals(new WholeAnswer("resp_1", "gpt-5.1-codex", List.of(
        new Part.Reasoning("A\n\nB", "gAAA", false, "openai-responses"), new Part.Text("Hi there"),
        new Part.ToolCall("call_1", "shell", "{\"cmd\":\"ls\"}", null),
        new Part.ToolCall("call_2", "apply_patch", "{\"input\":\"*** Begin Patch\"}", null)),
        StopReason.TOOL_USE, null, new AnswerUsage(40, 60, 0, 30, 20)), ResponsesCodec.INSTANCE.readAnswer(utf8(body)));

    String incomplete = "{\"id\":\"resp_2\",\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":"
        + "\"max_output_tokens\"},\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"refusal\",\"refusal\":"
        + "\"No.\"}]}]}";
    assertEquals(new WholeAnswer("resp_2", null, List.of(new Part.Text("No.")), StopReason.MAX_TOKENS, null,
        AnswerUsage.ZERO), ResponsesCodec.INSTANCE.readAnswer(utf8(incomplete)));
    String refusal = "{\"id\":\"resp_3\",\"status\":\"completed\",\"output\":[{\"type\":\"message\",\"content\":"
        + "[{\"type\":\"refusal\",\"refusal\":\"No.\"}]}]}";
    assertEquals(StopReason.REFUSAL, ResponsesCodec.INSTANCE.readAnswer(utf8(refusal)).stopReason());
  }

  @Test
  void writesAResponseObjectWithTheStreamsItems() {
    Part.Reasoning claude = new Part.Reasoning("Hmm.", "EqQB", false, "anthropic");
    WholeAnswer answer = new WholeAnswer("msg_7", "claude-opus-4-1", List.of(claude, new Part.Text("Sure."),
        new Part.ToolCall("toolu_1", "shell", "{\"cmd\":\"ls\"}", null),
        new Part.ToolCall("toolu_2", "apply_patch", "{\"input\":\"*** Begin Patch\"}", null)),
        StopReason.TOOL_USE, null, new AnswerUsage(5, 100, 20, 40, 0));
    byte[] body = ResponsesCodec.INSTANCE.writeAnswer(answer,
        new AnswerOptions("gpt-5.1-codex", false, 1764763200L, Set.of("apply_patch")));
    assertEquals(json("{\"id\":\"resp_msg_7\",\"object\":\"response\",\"created_at\":1764763200,\"status\":"
        + "\"completed\",\"error\":null,\"incomplete_details\":null,\"model\":\"gpt-5.1-codex\",\"output\":["
        + "{\"id\":\"rs_msg_7_0\",\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Hmm.\"}],"
        + "\"encrypted_content\":\"" + CarriedSignature.wrap(claude) + "\"},"
        + "{\"id\":\"msg_msg_7_1\",\"type\":\"message\",\"status\":\"completed\",\"content\":[{\"type\":"
        + "\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Sure.\"}],\"role\":\"assistant\"},"
        + "{\"id\":\"fc_msg_7_2\",\"type\":\"function_call\",\"status\":\"completed\",\"arguments\":"
        + "\"{\\\"cmd\\\":\\\"ls\\\"}\",\"call_id\":\"toolu_1\",\"name\":\"shell\"},"
        + "{\"id\":\"ctc_msg_7_3\",\"type\":\"custom_tool_call\",\"status\":\"completed\",\"call_id\":\"toolu_2\","
        + "\"input\":\"*** Begin Patch\",\"name\":\"apply_patch\"}],\"parallel_tool_calls\":true,\"store\":false,"
        + "\"usage\":{\"input_tokens\":125,\"input_tokens_details\":{\"cached_tokens\":100},\"output_tokens\":40,"
        + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":165}}"), json(new String(body,
            StandardCharsets.UTF_8)));
    // read back: the carried reasoning is OpenAI-shaped now, usage folds the cache write into input
    WholeAnswer back = ResponsesCodec.INSTANCE.readAnswer(body);
    assertEquals(new WholeAnswer("resp_msg_7", "gpt-5.1-codex", List.of(
        new Part.Reasoning("Hmm.", CarriedSignature.wrap(claude), false, "openai-responses"), new Part.Text("Sure."),
        new Part.ToolCall("toolu_1", "shell", "{\"cmd\":\"ls\"}", null),
        new Part.ToolCall("toolu_2", "apply_patch", "{\"input\":\"*** Begin Patch\"}", null)),
        StopReason.TOOL_USE, null, new AnswerUsage(25, 100, 0, 40, 0)), back);
  }

  @Test
  void writesIncompleteAnswers() {
    WholeAnswer answer = new WholeAnswer("x", null, List.of(new Part.Text("cut")), StopReason.CONTENT_FILTER, null,
        null);
    String body = new String(ResponsesCodec.INSTANCE.writeAnswer(answer, new AnswerOptions("m", false, 1)),
        StandardCharsets.UTF_8);
    assertEquals("incomplete", json(body).path("status").asText());
    assertEquals(json("{\"reason\":\"content_filter\"}"), json(body).path("incomplete_details"));
    assertEquals(StopReason.CONTENT_FILTER, ResponsesCodec.INSTANCE.readAnswer(utf8(body)).stopReason());
  }

  @Test
  void addsUpAWholeStream() {
    assertEquals(new WholeAnswer("resp_0c3", "gpt-5.1-codex", List.of(new Part.Text("Checking both."),
        new Part.ToolCall("call_A1", "exec_command", "{\"cmd\":\"ls -la\"}", null),
        new Part.ToolCall("call_B2", "read_file", "{\"path\":\"README.md\"}", null),
        new Part.ToolCall("call_C3", "apply_patch", "{\"input\":\"*** Begin Patch\\n*** End Patch\"}", null)),
        StopReason.TOOL_USE, null, new AnswerUsage(1000, 8000, 0, 140, 0)),
        ResponsesCodec.INSTANCE.readAnswer(Fixtures.bytes("tools.sse")));
    assertEquals(new WholeAnswer("resp_0b2", "gpt-5.1-codex", List.of(
        new Part.Reasoning("**Reading the repo**\n\nThen answer.", "gAAAAABpENC1", false, "openai-responses"),
        new Part.Text("Done.")), StopReason.END_TURN, null, new AnswerUsage(500, 0, 0, 80, 64)),
        ResponsesCodec.INSTANCE.readAnswer(Fixtures.bytes("reasoning-text.sse")));
    ConversionException failed = assertThrows(ConversionException.class,
        () -> ResponsesCodec.INSTANCE.readAnswer(Fixtures.bytes("failed.sse")));
    assertEquals(ErrorKind.RATE_LIMITED, failed.kind());
    assertEquals("Rate limit reached for gpt-5.1-codex. Please try again in 11.054s.", failed.getMessage());
    ConversionException cut = assertThrows(ConversionException.class,
        () -> ResponsesCodec.INSTANCE.readAnswer(Fixtures.bytes("cut.sse")));
    assertEquals(ErrorKind.BAD_GATEWAY, cut.kind());
    assertEquals("the upstream stream broke off before the answer was complete", cut.getMessage());
  }

  @Test
  void findsTheErrorMessage() {
    assertEquals("Rate limit reached", ResponsesCodec.INSTANCE.errorMessage(utf8(
        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")));
    assertEquals("The usage limit has been reached", ResponsesCodec.INSTANCE.errorMessage(utf8(
        "{\"error\":{\"type\":\"usage_limit_reached\",\"message\":\"The usage limit has been reached\"}}")));
    assertEquals("Instructions are not valid", ResponsesCodec.INSTANCE.errorMessage(utf8(
        "{\"detail\":\"Instructions are not valid\"}")));
    assertNull(ResponsesCodec.INSTANCE.errorMessage(utf8("<html>bad gateway</html>")));
    assertNull(ResponsesCodec.INSTANCE.errorMessage(utf8("{}")));
  }
}
