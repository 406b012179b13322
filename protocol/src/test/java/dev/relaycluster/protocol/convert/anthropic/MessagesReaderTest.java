package dev.relaycluster.protocol.convert.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Effort;
import dev.relaycluster.protocol.convert.OutputFormat;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Thinking;
import dev.relaycluster.protocol.convert.ToolChoice;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Messages requests (Claude Code's above all) read into the intermediate model, and every refusal. */
class MessagesReaderTest {

  @Test
  void readsAClaudeCodeRequest() throws Exception {
    Conversation c = AnthropicCodec.INSTANCE.readRequest("messages", Resources.bytes("reader/claude_code.json"));
    Conversation expected = new Conversation("claude-sonnet-4-5-20250929",
        List.of("You are Claude Code, Anthropic's official CLI for Claude.", "Use the tools."),
        List.of(
            new Turn(Role.USER, List.of(new Part.Text("<system-reminder>ctx</system-reminder>"),
                new Part.Text("fix a.txt"))),
            new Turn(Role.ASSISTANT, List.of(
                new Part.Reasoning("plan the edit", "gAAAAenc==", false, "openai-responses"),
                new Part.Text("Reading both."),
                new Part.ToolCall("call_A1", "Read", "{\"file_path\":\"/a.txt\"}", null),
                new Part.ToolCall("call_B2", "Read", "{\"file_path\":\"/b.png\"}", null))),
            new Turn(Role.USER, List.of(
                new Part.ToolResult("call_A1", "Read", List.of(new Part.Text("hello")), false),
                new Part.ToolResult("call_B2", "Read", List.of(new Part.Text("image:"),
                    new Part.Image("image/png", "iVBORw0KGgo=", null)), false),
                new Part.Text("also see"),
                new Part.Image(null, null, "https://example.com/x.jpg"))),
            new Turn(Role.ASSISTANT, List.of(
                new Part.Reasoning("native", "EqNativeSig", false, "anthropic"),
                new Part.Reasoning("", "EmRedacted", true, "anthropic"),
                new Part.ToolCall("toolu_01", "Bash", "{\"command\":\"ls\"}", null))),
            new Turn(Role.USER, List.of(
                new Part.ToolResult("toolu_01", "Bash", List.of(new Part.Text("denied")), true),
                new Part.Document("application/pdf", "JVBERi0=", "spec.pdf")))),
        List.of(new ToolSpec("Read", "Reads a file", json("{\"type\":\"object\",\"properties\":{\"file_path\":"
                + "{\"type\":\"string\"}},\"required\":[\"file_path\"]}")),
            new ToolSpec("Bash", null, json("{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}}}"))),
        ToolChoice.AUTO, false, 32000, 1.0, null, null, List.of("END"), new Thinking(Effort.MEDIUM, 10000, true),
        null, true, "{\"device_id\":\"d1\",\"session_id\":\"s1\"}");
    assertEquals(expected, c);
  }

  @Test
  void readsTheSmallForms() {
    Conversation c = read("{\"model\":\"m\",\"system\":\"be brief\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"x\"},\"top_p\":0.5,\"top_k\":40,"
        + "\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"max\",\"format\":{\"type\":\"json_schema\","
        + "\"schema\":{\"type\":\"object\"}}}}");
    assertEquals(new Conversation("m", List.of("be brief"), List.of(new Turn(Role.USER, List.of(new Part.Text("hi")))),
        List.of(), ToolChoice.named("x"), null, -1, null, 0.5, 40, List.of(), new Thinking(Effort.XHIGH, -1, true),
        new OutputFormat("output", json("{\"type\":\"object\"}"), true), false, null), c);
    assertEquals(new Thinking(Effort.NONE, 0, false),
        read("{\"model\":\"m\",\"messages\":[],\"thinking\":{\"type\":\"disabled\"}}").thinking());
    assertEquals(new Thinking(Effort.LOW, 2048, true),
        read("{\"model\":\"m\",\"messages\":[],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}").thinking());
    assertEquals(new Thinking(Effort.HIGH, 16385, true),
        read("{\"model\":\"m\",\"messages\":[],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":16385}}").thinking());
    assertEquals(new Thinking(Effort.HIGH, -1, true),
        read("{\"model\":\"m\",\"messages\":[],\"thinking\":{\"type\":\"adaptive\"}}").thinking());
    assertEquals(ToolChoice.NONE, read("{\"model\":\"m\",\"messages\":[],\"tool_choice\":{\"type\":\"none\"}}").toolChoice());
    assertEquals(ToolChoice.REQUIRED, read("{\"model\":\"m\",\"messages\":[],\"tool_choice\":{\"type\":\"any\"}}").toolChoice());
    assertEquals(List.of(new Turn(Role.USER, List.of(new Part.Text("plain")))), read("{\"model\":\"m\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":"
        + "\"text/plain\",\"data\":\"plain\"}}]}]}").turns());
    assertEquals(List.of(), AnthropicCodec.INSTANCE.readRequest("count_tokens", bytes("{\"model\":\"m\",\"messages\":"
        + "[],\"system\":[{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: cch=1;\"}]}")).system());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{|request body is not valid JSON",
      "[]|request body must be a JSON object",
      "{\"messages\":[]}|model: Field required",
      "{\"model\":\"m\"}|messages: Field required",
      "{\"model\":\"m\",\"messages\":{}}|messages: Input should be a valid list",
      "{\"model\":\"m\",\"messages\":[],\"max_tokens\":\"9\"}|max_tokens: Input should be a valid non-negative integer",
      "{\"model\":\"m\",\"messages\":[],\"stream\":\"yes\"}|stream: Input should be a valid boolean",
      "{\"model\":\"m\",\"messages\":[],\"temperature\":\"hot\"}|temperature: Input should be a valid number",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}|messages[0].role: Input should be 'user', 'assistant' or 'system'",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"http://x/a.png\"}}]}]}|messages[0].content: a system message holds only text",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}|messages[0].content: Field required",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"server_tool_use\",\"id\":\"s\"}]}]}|messages[0].content[0].type: content blocks of type 'server_tool_use' cannot be served by this pool",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"b\"},{\"type\":\"web_search_tool_result\"}]}]}|messages[1].content[1].type: content blocks of type 'web_search_tool_result' cannot be served by this pool",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}|messages[0].content[0].text: Field required",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}|messages[0].content[0].type: Field required",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"f\"}}]}]}|messages[0].content[0].source.type: image source 'file' cannot be served by this pool",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"url\",\"url\":\"u\"}}]}]}|messages[0].content[0].source.type: document source 'url' cannot be served by this pool",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"search_result\"}]}]}]}|messages[0].content[0].content[0].type: tool result content of type 'search_result' cannot be served by this pool",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":[]}]}]}|messages[0].content[0].input: Input should be an object",
      "{\"model\":\"m\",\"messages\":[],\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}|tools[0]: the server tool 'web_search_20250305' cannot be served by this pool",
      "{\"model\":\"m\",\"messages\":[],\"tools\":[{\"name\":\"a\",\"input_schema\":{}},{\"type\":\"bash_20250124\",\"name\":\"bash\"}]}|tools[1]: the server tool 'bash_20250124' cannot be served by this pool",
      "{\"model\":\"m\",\"messages\":[],\"tools\":[{\"name\":\"a\"}]}|tools[0].input_schema: Field required",
      "{\"model\":\"m\",\"messages\":[],\"tool_choice\":{\"type\":\"some\"}}|tool_choice.type: unknown tool choice 'some'",
      "{\"model\":\"m\",\"messages\":[],\"tool_choice\":{\"type\":\"tool\"}}|tool_choice.name: Field required",
      "{\"model\":\"m\",\"messages\":[],\"thinking\":{\"type\":\"enabled\"}}|thinking.budget_tokens: Field required",
      "{\"model\":\"m\",\"messages\":[],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":-5}}|thinking.budget_tokens: Input should be a valid non-negative integer",
      "{\"model\":\"m\",\"messages\":[],\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"huge\"}}|output_config.effort: unknown effort 'huge'",
      "{\"model\":\"m\",\"messages\":[],\"output_format\":{\"type\":\"json_schema\"}}|output_format.schema: Field required",
      "{\"model\":\"m\",\"messages\":[],\"stop_sequences\":[1]}|stop_sequences[0]: Input should be a valid string",
      "{\"model\":\"m\",\"messages\":[],\"system\":[{\"type\":\"image\"}]}|system[0].type: only text blocks are accepted",
  })
  void refusesWithTheFieldNamed(String body, String message) {
    ConversionException e = assertThrows(ConversionException.class, () -> read(body));
    assertEquals(message, e.getMessage());
  }

  @Test
  void aSystemMessageAmongTheMessagesAddsToTheSystemText() {
    Conversation c = AnthropicCodec.INSTANCE.readRequest("messages", ("{\"model\":\"m\",\"system\":\"top\","
        + "\"messages\":[{\"role\":\"system\",\"content\":\"environment\"},{\"role\":\"user\",\"content\":\"hi\"}]}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(List.of("top", "environment"), c.system());
    assertEquals(1, c.turns().size());
  }

  @Test
  void refusesAnUnknownEndpoint() {
    assertEquals("no Messages API endpoint 'complete'", assertThrows(ConversionException.class,
        () -> AnthropicCodec.INSTANCE.readRequest("complete", bytes("{}"))).getMessage());
  }

  static Conversation read(String body) {
    return AnthropicCodec.INSTANCE.readRequest("messages", bytes(body));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static JsonNode json(String s) {
    return Json.tryParse(s).orElseThrow();
  }
}
