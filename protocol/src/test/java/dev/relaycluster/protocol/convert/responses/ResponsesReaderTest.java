package dev.relaycluster.protocol.convert.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.Effort;
import dev.relaycluster.protocol.convert.OutputFormat;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Thinking;
import dev.relaycluster.protocol.convert.ToolChoice;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponsesReaderTest {

  static JsonNode json(String s) {
    try {
      return Json.parse(s.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Conversation read(String body) {
    return ResponsesCodec.INSTANCE.readRequest("responses", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsWhatCodexCliSends() {
    Conversation c = ResponsesCodec.INSTANCE.readRequest("responses", Fixtures.bytes("codex-request.json"));
    Conversation expected = new Conversation("gpt-5.1-codex",
        List.of("You are a coding agent running in the Codex CLI, a terminal-based coding assistant.",
            "<permissions instructions>sandbox: read-only</permissions instructions>",
            "<skills_instructions>none</skills_instructions>",
            "<collaboration_mode>default</collaboration_mode>"),
        List.of(
            new Turn(Role.USER, List.of(
                new Part.Text("<environment_context>\n  <cwd>/home/dev/app</cwd>\n  <shell>bash</shell>\n"
                    + "</environment_context>"),
                new Part.Text("Fix the failing test"), new Part.Image("image/png", "iVBORw0KGgo=", null),
                new Part.Image(null, null, "https://example.com/shot.png"))),
            new Turn(Role.ASSISTANT, List.of(
                new Part.Reasoning("**Looking at tests**\n\nRun them first.", "gAAAAABpENC1native", false,
                    "openai-responses"),
                new Part.ToolCall("call_1", "exec_command", "{\"cmd\":\"npm test\"}", null),
                new Part.ToolCall("call_2", "read_file", "{\"path\":\"test/app.test.js\"}", null))),
            new Turn(Role.USER, List.of(
                new Part.ToolResult("call_1", "exec_command", List.of(new Part.Text("Process exited with code 1")),
                    false),
                new Part.ToolResult("call_2", "read_file", List.of(new Part.Text("expect(1).toBe(2)"),
                    new Part.Image("image/jpeg", "/9j/4AAQ", null)), false))),
            new Turn(Role.ASSISTANT, List.of(
                new Part.Reasoning("Let me look.", "EqQBCkYI", false, "anthropic"),
                new Part.Text("Patching now."),
                new Part.ToolCall("call_3", "apply_patch", "{\"input\":\"*** Begin Patch\\n*** End Patch\"}", null))),
            new Turn(Role.USER, List.of(
                new Part.ToolResult("call_3", "apply_patch", List.of(new Part.Text("Done!")), false),
                new Part.Text("thanks")))),
        List.of(
            new ToolSpec("exec_command", "Runs a command in a PTY.", json("{\"type\":\"object\",\"properties\":"
                + "{\"cmd\":{\"type\":\"string\"}},\"required\":[\"cmd\"],\"additionalProperties\":false}")),
            new ToolSpec("write_stdin", "Writes to a session.", json("{\"type\":\"object\",\"properties\":"
                + "{\"session_id\":{\"type\":\"number\"},\"chars\":{\"type\":\"string\"}},\"required\":"
                + "[\"session_id\"]}")),
            new ToolSpec("list_mcp_resources", "Lists resources.", json("{\"type\":\"object\",\"properties\":{}}")),
            new ToolSpec("update_plan", "Updates the plan.", json("{\"type\":\"object\",\"properties\":{\"plan\":"
                + "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}")),
            new ToolSpec("apply_patch", "Use the apply_patch tool to edit files.", json("{\"type\":\"object\","
                + "\"properties\":{\"input\":{\"type\":\"string\"}},\"required\":[\"input\"]}"), true),
            new ToolSpec("view_image", "Attach a local image.", json("{\"type\":\"object\",\"properties\":"
                + "{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}")),
            new ToolSpec("read_file", null, json("{\"type\":\"object\",\"properties\":{\"path\":"
                + "{\"type\":\"string\"}}}"))),
        ToolChoice.AUTO, true, -1, null, null, null, List.of(), new Thinking(Effort.MEDIUM, -1, true), null, true,
        null);
    assertEquals(expected, c);
  }

  @Test
  void readsTheSmallForms() {
    Conversation c = read("{\"model\":\"gpt-5\",\"instructions\":\"Be brief.\",\"input\":\"hi\",\"max_output_tokens\":"
        + "300,\"temperature\":0.2,\"top_p\":0.9,\"tool_choice\":{\"type\":\"function\",\"name\":\"f\"},"
        + "\"reasoning\":{\"effort\":\"high\",\"summary\":\"none\"},\"text\":{\"format\":{\"type\":\"json_schema\","
        + "\"name\":\"out\",\"schema\":{\"type\":\"object\"},\"strict\":true}},\"safety_identifier\":\"u-9\","
        + "\"metadata\":{\"a\":\"b\"},\"service_tier\":\"flex\",\"truncation\":\"auto\"}");
    assertEquals(new Conversation("gpt-5", List.of("Be brief."), List.of(new Turn(Role.USER,
        List.of(new Part.Text("hi")))), List.of(), ToolChoice.named("f"), null, 300, 0.2, 0.9, null, List.of(),
        new Thinking(Effort.HIGH, -1, false), new OutputFormat("out", json("{\"type\":\"object\"}"), true), false,
        "u-9"), c);
    Conversation json = read("{\"model\":\"m\",\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":"
        + "[{\"type\":\"input_file\",\"filename\":\"a.pdf\",\"file_data\":\"data:application/pdf;base64,JVBER\"}]}],"
        + "\"text\":{\"format\":{\"type\":\"json_object\"}},\"tool_choice\":\"required\"}");
    assertEquals(List.of(new Turn(Role.USER, List.of(new Part.Document("application/pdf", "JVBER", "a.pdf")))),
        json.turns());
    assertEquals(new OutputFormat(null, null, false), json.format());
    assertEquals(ToolChoice.REQUIRED, json.toolChoice());
    assertEquals(false, ResponsesCodec.INSTANCE.readRequest("compact",
        "{\"model\":\"m\",\"input\":[],\"stream\":true}".getBytes(StandardCharsets.UTF_8)).stream());
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("{\"model\":\"m\",\"previous_response_id\":\"resp_1\",\"input\":[]}",
            "previous_response_id: this pool keeps no stored responses; send the whole conversation"),
        Arguments.of("{\"model\":\"m\",\"input\":[{\"type\":\"local_shell_call\",\"call_id\":\"c\"}]}",
            "input[0].type 'local_shell_call' cannot be served by this pool"),
        Arguments.of("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"x\"},{\"type\":\"web_search_call\"}]}",
            "input[1].type 'web_search_call' cannot be served by this pool"),
        Arguments.of("{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}",
            "input[0].type 'item_reference': this pool keeps no stored items; send the whole item"),
        Arguments.of("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\","
            + "\"file_id\":\"file-1\"}]}]}", "input[0].content[0].file_id: uploaded files cannot be used from this"
            + " pool; send the file inline as file_data"),
        Arguments.of("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"
            + "\"a\"},{\"type\":\"input_image\",\"file_id\":\"file-2\"}]}]}", "input[0].content[1].file_id: uploaded"
            + " files cannot be used from this pool; send the image inline as image_url"),
        Arguments.of("{\"model\":\"m\",\"input\":[],\"tool_choice\":{\"type\":\"web_search_preview\"}}",
            "tool_choice: the hosted tool 'web_search_preview' cannot be served by this pool"),
        Arguments.of("{\"model\":\"m\",\"input\":[],\"reasoning\":{\"effort\":\"extreme\"}}",
            "reasoning.effort: unknown value 'extreme'"),
        Arguments.of("{\"model\":\"m\",\"input\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"input_image\","
            + "\"image_url\":\"https://x/y.png\"}]}]}", "input[0].content[0]: an assistant message takes only text"),
        Arguments.of("{\"model\":\"m\",\"prompt\":{\"id\":\"pmpt_1\"}}",
            "prompt: stored prompts cannot be used from this pool; send the instructions"),
        Arguments.of("{\"model\":\"m\",\"input\":\"x\",\"background\":true}",
            "background: this pool answers only in the foreground"),
        Arguments.of("{\"model\":\"m\",\"input\":[{\"type\":\"compaction\",\"encrypted_content\":\"x\"}]}",
            "input[0].type 'compaction' cannot be served by this pool"),
        Arguments.of("{\"model\":", "the request body is not valid JSON"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusesWhatNoOtherVendorCanServe(String body, String message) {
    ConversionException e = assertThrows(ConversionException.class, () -> read(body));
    assertEquals(message, e.getMessage());
  }
}
