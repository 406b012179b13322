package dev.relaycluster.protocol.convert.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.relaycluster.protocol.convert.CarriedSignature;
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

class GeminiRequestReaderTest {

  static Conversation read(String endpoint, String body) {
    return GeminiCodec.INSTANCE.readRequest(endpoint, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void geminiCliRequestWithCallsWithoutIds() {
    String carried = CarriedSignature.wrap(new Part.Reasoning("t", "EqQB", false, "anthropic"));
    Conversation c = read("models/gemini-2.5-pro:streamGenerateContent", """
        {"contents":[
          {"role":"user","parts":[{"text":"read a and b"}]},
          {"role":"model","parts":[{"text":"hidden","thought":true,"thoughtSignature":"dGg="},
            {"functionCall":{"name":"read_file","args":{"path":"a"}},"thoughtSignature":"c2ln"},
            {"functionCall":{"name":"read_file","args":{"path":"b"}}},
            {"functionCall":{"name":"ls"},"thoughtSignature":"%s"}]},
          {"role":"user","parts":[
            {"functionResponse":{"name":"read_file","response":{"output":"A"}}},
            {"functionResponse":{"name":"ls","response":{"error":"denied"}}},
            {"functionResponse":{"name":"read_file","response":{"result":{"lines":2}}}}]},
          {"role":"user","parts":[{"text":"thanks"},{"inlineData":{"mimeType":"image/png","data":"AA=="}}]}],
         "systemInstruction":{"parts":[{"text":"You are Gemini CLI."}]},
         "tools":[{"functionDeclarations":[
           {"name":"read_file","description":"Reads","parameters":{"type":"OBJECT","properties":
             {"path":{"type":"STRING"}},"required":["path"]}},
           {"name":"ls"}]}],
         "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["ls"]}},
         "generationConfig":{"temperature":0,"topP":1,"maxOutputTokens":512,
           "thinkingConfig":{"includeThoughts":true,"thinkingBudget":-1},
           "responseMimeType":"application/json"}}
        """.formatted(carried));
    assertEquals(new Conversation("gemini-2.5-pro", List.of("You are Gemini CLI."), List.of(
        new Turn(Role.USER, List.of(new Part.Text("read a and b"))),
        new Turn(Role.ASSISTANT, List.of(new Part.Reasoning("hidden", "dGg=", false, "gemini"),
            new Part.ToolCall("call_1_1", "read_file", "{\"path\":\"a\"}", "c2ln"),
            new Part.ToolCall("call_1_2", "read_file", "{\"path\":\"b\"}", null),
            new Part.Reasoning("t", "EqQB", false, "anthropic"),
            new Part.ToolCall("call_1_3", "ls", "{}", null))),
        new Turn(Role.USER, List.of(
            new Part.ToolResult("call_1_1", "read_file", List.of(new Part.Text("A")), false),
            new Part.ToolResult("call_1_3", "ls", List.of(new Part.Text("denied")), true),
            new Part.ToolResult("call_1_2", "read_file", List.of(new Part.Text("{\"lines\":2}")), false),
            new Part.Text("thanks"), new Part.Image("image/png", "AA==", null)))),
        List.of(new ToolSpec("read_file", "Reads", Json.tryParse(
            "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}")
            .orElseThrow()),
            new ToolSpec("ls", null, Json.tryParse("{\"type\":\"object\",\"properties\":{}}").orElseThrow())),
        ToolChoice.named("ls"), null, 512, 0.0, 1.0, null, List.of(), new Thinking(null, -1, true),
        new OutputFormat("response", null, false), true, null), c);
  }

  @Test
  void thinkingLevelAndRefusals() {
    Conversation c = read("models/gemini-3-flash-preview:generateContent",
        "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":{\"thinkingConfig\":"
            + "{\"thinkingLevel\":\"low\"}}}");
    assertEquals(new Thinking(Effort.LOW, -1, false), c.thinking());
    assertEquals(false, c.stream());
    ConversionException search = assertThrows(ConversionException.class, () -> read(
        "models/gemini-2.5-flash:generateContent",
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],\"tools\":[{\"googleSearch\":{}}]}"));
    assertEquals("tools[0].googleSearch can only be served by a Gemini account", search.getMessage());
    ConversionException code = assertThrows(ConversionException.class, () -> read(
        "models/gemini-2.5-flash:generateContent",
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"executableCode\":{\"code\":\"1\"}}]}]}"));
    assertEquals("contents[0].parts[0].executableCode cannot be served by another vendor", code.getMessage());
    assertThrows(ConversionException.class, () -> read("v1internal:generateContent", "{}"));
    assertThrows(ConversionException.class, () -> read("models/gemini-2.5-flash:countTokens", "{}"));
    assertThrows(ConversionException.class, () -> read("models/gemini-2.5-flash:generateContent", "[1]"));
  }

  @Test
  void contentsAndPartsOfTheWrongShapeAreRefusedByName() {
    String model = "models/gemini-2.5-flash:generateContent";
    assertEquals("contents: expected a list of Content objects", assertThrows(ConversionException.class,
        () -> read(model, "{\"contents\":{\"maxOutputTokens\":100}}")).getMessage());
    assertEquals("contents[1]: expected a Content object", assertThrows(ConversionException.class,
        () -> read(model, "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]},7]}")).getMessage());
    assertEquals("contents[0].parts: expected a list of Part objects", assertThrows(ConversionException.class,
        () -> read(model, "{\"contents\":[{\"parts\":{\"text\":\"hi\"}}]}")).getMessage());
    assertEquals(List.of(), read(model, "{\"contents\":null}").turns());
  }
}
