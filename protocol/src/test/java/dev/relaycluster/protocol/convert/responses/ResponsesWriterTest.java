package dev.relaycluster.protocol.convert.responses;

import static dev.relaycluster.protocol.convert.responses.ResponsesReaderTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.relaycluster.protocol.convert.ConversionException;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.Effort;
import dev.relaycluster.protocol.convert.OutputFormat;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Thinking;
import dev.relaycluster.protocol.convert.ToolChoice;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.convert.WrittenRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponsesWriterTest {
  static final ToolSpec SHELL = new ToolSpec("shell", "Runs a command.", json("{\"type\":\"object\",\"properties\":"
      + "{\"cmd\":{\"type\":\"string\"}}}"));
  static final ToolSpec PATCH = new ToolSpec("apply_patch", null, RequestReader.freeformSchema(), true);

  static Conversation conversation(List<String> system, List<Turn> turns, List<ToolSpec> tools, ToolChoice choice,
      Thinking thinking, OutputFormat format) {
    return new Conversation("gpt-5.1-codex", system, turns, tools, choice, null, -1, null, null, null, List.of(),
        thinking, format, true, null);
  }

  static String write(Conversation c, ReplayBook replay) {
    return new String(ResponsesCodec.INSTANCE.writeRequest(c, replay).body(), StandardCharsets.UTF_8);
  }

  static Stream<Arguments> bodies() {
    return Stream.of(
        // the smallest request: what the ChatGPT backend requires is there (instructions, store:false, include)
        Arguments.of(conversation(List.of(), List.of(new Turn(Role.USER, List.of(new Part.Text("hi")))), List.of(),
            null, Thinking.UNSET, null),
            "{\"model\":\"gpt-5.1-codex\",\"instructions\":\"\",\"input\":[{\"type\":\"message\",\"role\":\"user\","
            + "\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}],\"store\":false,\"stream\":true,"
            + "\"include\":[\"reasoning.encrypted_content\"]}"),
        // a Claude Code turn: system texts, images and a PDF, reasoning of both origins, text, calls of both kinds,
        // results with text and an image, tools of both kinds, a named free-form choice, thinking, a schema
        Arguments.of(conversation(List.of("You are Claude Code.", "Be careful."), List.of(
            new Turn(Role.USER, List.of(new Part.Text("look"), new Part.Image("image/png", "iVBO", null),
                new Part.Image(null, null, "https://x/y.png"), new Part.Document("application/pdf", "JVBER", null))),
            new Turn(Role.ASSISTANT, List.of(new Part.Reasoning("Thinking.", "gAAA", false, "openai-responses"),
                new Part.Reasoning("Claude thought.", "EqQB", false, "anthropic"), new Part.Text("Let me run it."),
                new Part.ToolCall("toolu_1", "shell", "{\"cmd\":\"ls\"}", null),
                new Part.ToolCall("toolu_2", "apply_patch", "{\"input\":\"*** Begin Patch\"}", null))),
            new Turn(Role.USER, List.of(new Part.ToolResult("toolu_1", "shell", List.of(new Part.Text("a"),
                new Part.Text("b")), false), new Part.ToolResult("toolu_2", "apply_patch", List.of(new Part.Text("ok"),
                new Part.Image("image/png", "QUJD", null)), true), new Part.Text("go on")))),
            List.of(SHELL, PATCH), ToolChoice.named("apply_patch"), new Thinking(Effort.HIGH, -1, true),
            new OutputFormat(null, json("{\"type\":\"object\"}"), true)),
            "{\"model\":\"gpt-5.1-codex\",\"instructions\":\"\",\"input\":["
            + "{\"type\":\"message\",\"role\":\"developer\",\"content\":[{\"type\":\"input_text\",\"text\":"
            + "\"You are Claude Code.\"}]},"
            + "{\"type\":\"message\",\"role\":\"developer\",\"content\":[{\"type\":\"input_text\",\"text\":"
            + "\"Be careful.\"}]},"
            + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"look\"},"
            + "{\"type\":\"input_image\",\"image_url\":\"data:image/png;base64,iVBO\",\"detail\":\"auto\"},"
            + "{\"type\":\"input_image\",\"image_url\":\"https://x/y.png\",\"detail\":\"auto\"},"
            + "{\"type\":\"input_file\",\"filename\":\"document.pdf\",\"file_data\":"
            + "\"data:application/pdf;base64,JVBER\"}]},"
            + "{\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Thinking.\"}],"
            + "\"encrypted_content\":\"gAAA\"},"
            + "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":"
            + "\"Let me run it.\"}]},"
            + "{\"type\":\"function_call\",\"call_id\":\"toolu_1\",\"name\":\"shell\",\"arguments\":"
            + "\"{\\\"cmd\\\":\\\"ls\\\"}\"},"
            + "{\"type\":\"custom_tool_call\",\"call_id\":\"toolu_2\",\"name\":\"apply_patch\",\"input\":"
            + "\"*** Begin Patch\"},"
            + "{\"type\":\"function_call_output\",\"call_id\":\"toolu_1\",\"output\":\"ab\"},"
            + "{\"type\":\"custom_tool_call_output\",\"call_id\":\"toolu_2\",\"output\":[{\"type\":\"input_text\","
            + "\"text\":\"ok\"},{\"type\":\"input_image\",\"image_url\":\"data:image/png;base64,QUJD\",\"detail\":"
            + "\"auto\"}]},"
            + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"go on\"}]}],"
            + "\"tools\":[{\"type\":\"function\",\"name\":\"shell\",\"description\":\"Runs a command.\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"cmd\":{\"type\":\"string\"}}},\"strict\":false},"
            + "{\"type\":\"custom\",\"name\":\"apply_patch\"}],"
            + "\"tool_choice\":{\"type\":\"custom\",\"name\":\"apply_patch\"},"
            + "\"reasoning\":{\"effort\":\"high\",\"summary\":\"auto\"},\"store\":false,\"stream\":true,"
            + "\"include\":[\"reasoning.encrypted_content\"],\"text\":{\"format\":{\"type\":\"json_schema\","
            + "\"name\":\"response\",\"schema\":{\"type\":\"object\"},\"strict\":true}}}"),
        // a Chat client's tool turn without reasoning: the replay book puts OpenAI's back, not Anthropic's
        Arguments.of(conversation(List.of(), List.of(new Turn(Role.USER, List.of(new Part.Text("q"))),
            new Turn(Role.ASSISTANT, List.of(new Part.ToolCall("call_9", "shell", "{}", null),
                new Part.ToolCall("call_8", "shell", "{}", null)))), List.of(SHELL), ToolChoice.REQUIRED,
            new Thinking(null, 20000, false), new OutputFormat(null, null, false)),
            "{\"model\":\"gpt-5.1-codex\",\"instructions\":\"\",\"input\":[{\"type\":\"message\",\"role\":\"user\","
            + "\"content\":[{\"type\":\"input_text\",\"text\":\"q\"}]},"
            + "{\"type\":\"reasoning\",\"summary\":[],\"encrypted_content\":\"gAAA-9\"},"
            + "{\"type\":\"function_call\",\"call_id\":\"call_9\",\"name\":\"shell\",\"arguments\":\"{}\"},"
            + "{\"type\":\"function_call\",\"call_id\":\"call_8\",\"name\":\"shell\",\"arguments\":\"{}\"}],"
            + "\"tools\":[{\"type\":\"function\",\"name\":\"shell\",\"description\":\"Runs a command.\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"cmd\":{\"type\":\"string\"}}},\"strict\":false}],"
            + "\"tool_choice\":\"required\",\"reasoning\":{\"effort\":\"high\"},\"store\":false,\"stream\":true,"
            + "\"include\":[\"reasoning.encrypted_content\"],\"text\":{\"format\":{\"type\":\"json_object\"}}}"));
  }

  static final ReplayBook BOOK = new ReplayBook() {
    @Override
    public Part.Reasoning reasoningBefore(String toolCallId) {
      return switch (toolCallId) {
        case "call_9" -> new Part.Reasoning("", "gAAA-9", false, "openai-responses");
        case "call_8" -> new Part.Reasoning("", "gAAA-9", false, "openai-responses");
        default -> new Part.Reasoning("x", "EqQB", false, "anthropic");
      };
    }

    @Override
    public String callSignature(String toolCallId) {
      return null;
    }
  };

  @ParameterizedTest
  @MethodSource("bodies")
  void writesABodyBothUpstreamsAccept(Conversation c, String body) {
    assertEquals(json(body), json(write(c, BOOK)));
  }

  @Test
  void namesWhatItLeftOut() {
    Conversation c = new Conversation("gpt-5", List.of(), List.of(new Turn(Role.USER, List.of(new Part.Text("x")))),
        List.of(), ToolChoice.NONE, false, 4096, 0.7, 0.9, 40, List.of("END"), new Thinking(Effort.NONE, -1, false),
        null, false, "user-1");
    WrittenRequest w = ResponsesCodec.INSTANCE.writeRequest(c, ReplayBook.NONE);
    assertEquals("responses", w.endpoint());
    assertEquals("", w.query());
    assertEquals(List.of("reasoning could not be turned off: the model reasons at its default effort",
        "max_output_tokens left out: the ChatGPT Codex backend refuses it",
        "temperature left out: the ChatGPT Codex backend refuses it",
        "top_p left out: the ChatGPT Codex backend refuses it", "top_k left out: OpenAI models have none",
        "stop sequences left out: the Responses API has none", "user left out: the ChatGPT Codex backend refuses it"),
        w.notes());
    assertEquals(json("{\"model\":\"gpt-5\",\"instructions\":\"\",\"input\":[{\"type\":\"message\",\"role\":\"user\","
        + "\"content\":[{\"type\":\"input_text\",\"text\":\"x\"}]}],\"tool_choice\":\"none\","
        + "\"parallel_tool_calls\":false,\"store\":false,\"stream\":false,"
        + "\"include\":[\"reasoning.encrypted_content\"]}"), json(write(c, ReplayBook.NONE)));
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(List.of(new Turn(Role.USER, List.of(new Part.Text("x"))), new Turn(Role.ASSISTANT,
            List.of(new Part.Image("image/png", "iVBO", null)))),
            "turns[1].parts[0]: an image in an assistant message cannot be sent to this pool"),
        Arguments.of(List.of(new Turn(Role.ASSISTANT, List.of(new Part.ToolCall("c1", "apply_patch", "{\"patch\":1}",
            null)))), "turns[0].parts[0]: a call of a free-form tool needs arguments {\"input\": string}"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusesWhatResponsesCannotCarry(List<Turn> turns, String message) {
    Conversation c = conversation(List.of(), turns, List.of(PATCH), null, Thinking.UNSET, null);
    ConversionException e = assertThrows(ConversionException.class, () -> write(c, ReplayBook.NONE));
    assertEquals(message, e.getMessage());
  }
}
