package dev.relaycluster.protocol.convert.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.ConversionException;
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
import dev.relaycluster.protocol.util.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiRequestWriterTest {
  static final JsonNode OBJ = json("{\"type\":\"object\",\"properties\":{\"file_path\":{\"type\":\"string\"}}}");
  static final List<ToolSpec> TOOLS = List.of(new ToolSpec("Read", "Reads a file", OBJ),
      new ToolSpec("Bash", null, OBJ));

  static JsonNode json(String s) {
    return Json.tryParse(s).orElseThrow();
  }

  static Conversation conv(String model, List<String> system, List<Turn> turns, List<ToolSpec> tools,
      ToolChoice choice, Thinking thinking, boolean stream) {
    return new Conversation(model, system, turns, tools, choice, null, -1, null, null, null, List.of(), thinking, null,
        stream, null);
  }

  static Turn user(Part... parts) {
    return new Turn(Role.USER, List.of(parts));
  }

  static Turn model(Part... parts) {
    return new Turn(Role.ASSISTANT, List.of(parts));
  }

  static JsonNode body(WrittenRequest r) {
    return Json.tryParse(r.body()).orElseThrow();
  }

  @Test
  void claudeCodeToolTurnRecoversNamesAndSignsFirstCall() {
    Conversation c = new Conversation("gemini-2.5-pro", List.of("You are Claude Code.", "Be brief."), List.of(
        user(new Part.Text("list files")),
        model(new Part.Reasoning("I will look", "EqQBCkYIBxgC", false, "anthropic"), new Part.Text("Let me look."),
            new Part.ToolCall("toolu_1", "Read", "{\"file_path\":\"/a\"}", null),
            new Part.ToolCall("toolu_2", "Bash", "{\"command\":\"ls\"}", null)),
        user(new Part.ToolResult("toolu_1", null, List.of(new Part.Text("file a"), new Part.Text("line 2")), false),
            new Part.ToolResult("toolu_2", null, List.of(new Part.Text("no such dir")), true),
            new Part.Text("continue"))),
        TOOLS, ToolChoice.AUTO, null, 32000, null, null, null, List.of(), new Thinking(null, 10000, false), null, true,
        "user-1");
    WrittenRequest r = GeminiCodec.INSTANCE.writeRequest(c, ReplayBook.NONE);
    assertEquals("models/gemini-2.5-pro:streamGenerateContent", r.endpoint());
    assertEquals("alt=sse", r.query());
    assertEquals(List.of(), r.notes());
    assertEquals(json("""
        {"contents":[
          {"role":"user","parts":[{"text":"list files"}]},
          {"role":"model","parts":[{"text":"Let me look."},
            {"functionCall":{"id":"toolu_1","name":"Read","args":{"file_path":"/a"}},
             "thoughtSignature":"skip_thought_signature_validator"},
            {"functionCall":{"id":"toolu_2","name":"Bash","args":{"command":"ls"}}}]},
          {"role":"user","parts":[
            {"functionResponse":{"id":"toolu_1","name":"Read","response":{"result":"file a\\nline 2"}}},
            {"functionResponse":{"id":"toolu_2","name":"Bash","response":{"error":"no such dir"}}},
            {"text":"continue"}]}],
         "systemInstruction":{"parts":[{"text":"You are Claude Code."},{"text":"Be brief."}]},
         "tools":[{"functionDeclarations":[
           {"name":"Read","description":"Reads a file","parametersJsonSchema":
             {"type":"object","properties":{"file_path":{"type":"string"}}}},
           {"name":"Bash","parametersJsonSchema":{"type":"object","properties":{"file_path":{"type":"string"}}}}]}],
         "toolConfig":{"functionCallingConfig":{"mode":"AUTO"}},
         "generationConfig":{"maxOutputTokens":32000,"thinkingConfig":{"thinkingBudget":10000,"includeThoughts":true}}}
        """), body(r));
  }

  @Test
  void signaturesFromThePartTheReasoningTheReplayElseSentinel() {
    ReplayBook replay = new ReplayBook() {
      @Override
      public Part.Reasoning reasoningBefore(String id) {
        return "c4".equals(id) ? new Part.Reasoning("", "fromBookReasoning", false, "gemini") : null;
      }

      @Override
      public String callSignature(String id) {
        return "c3".equals(id) ? "fromBook" : null;
      }
    };
    String args = "{\"file_path\":\"x\"}";
    Conversation c = conv("gemini-3-pro-preview", List.of(), List.of(
        user(new Part.Text("go")),
        model(new Part.ToolCall("c1", "Read", args, "own"), new Part.ToolCall("c1b", "Read", args, "own2")),
        user(new Part.ToolResult("c1", "Read", List.of(new Part.Text("1")), false),
            new Part.ToolResult("c1b", "Read", List.of(new Part.Text("1b")), false)),
        model(new Part.Reasoning("thought", "fromReasoning", false, "gemini"), new Part.ToolCall("c2", "Read", args, null)),
        user(new Part.ToolResult("c2", "Read", List.of(new Part.Text("2")), false)),
        model(new Part.ToolCall("c3", "Read", args, null)),
        user(new Part.ToolResult("c3", "Read", List.of(new Part.Text("3")), false)),
        model(new Part.ToolCall("c4", "Read", args, null)),
        user(new Part.ToolResult("c4", "Read", List.of(new Part.Text("4")), false)),
        model(new Part.Reasoning("", "relay1.eyJvIjoiZ2VtaW5pIn0", false, "gemini"),
            new Part.ToolCall("c5", "Read", "not json", null)),
        user(new Part.ToolResult("c5", "Read", List.of(new Part.Text("5")), false))),
        TOOLS.subList(0, 1), null, new Thinking(Effort.HIGH, -1, false), false);
    WrittenRequest r = GeminiCodec.INSTANCE.writeRequest(c, replay);
    assertEquals("models/gemini-3-pro-preview:generateContent", r.endpoint());
    assertEquals("", r.query());
    JsonNode contents = body(r).get("contents");
    assertEquals(json("[{\"functionCall\":{\"id\":\"c1\",\"name\":\"Read\",\"args\":{\"file_path\":\"x\"}},"
        + "\"thoughtSignature\":\"own\"},{\"functionCall\":{\"id\":\"c1b\",\"name\":\"Read\",\"args\":"
        + "{\"file_path\":\"x\"}},\"thoughtSignature\":\"own2\"}]"), contents.get(1).get("parts"));
    assertEquals("fromReasoning", contents.get(3).get("parts").get(0).get("thoughtSignature").asText());
    assertEquals(1, contents.get(3).get("parts").size());
    assertEquals("fromBook", contents.get(5).get("parts").get(0).get("thoughtSignature").asText());
    assertEquals("fromBookReasoning", contents.get(7).get("parts").get(0).get("thoughtSignature").asText());
    assertEquals(json("{\"functionCall\":{\"id\":\"c5\",\"name\":\"Read\",\"args\":{}},"
        + "\"thoughtSignature\":\"skip_thought_signature_validator\"}"), contents.get(9).get("parts").get(0));
    assertEquals(json("{\"thinkingLevel\":\"HIGH\",\"includeThoughts\":true}"),
        body(r).get("generationConfig").get("thinkingConfig"));
    assertEquals(json("\"Read\""), body(r).get("tools").get(0).get("functionDeclarations").get(0).get("name"));
  }

  @Test
  void chatLikeRequestWithImagesFormatSamplingAndPrefill() {
    JsonNode schema = json("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}");
    Conversation c = new Conversation("models/gemini-2.5-flash", List.of("sys"), List.of(
        user(new Part.Text("what is this?"), new Part.Image("image/png", "iVBORw0KGgo=", null),
            new Part.Image(null, null, "https://example.com/cat.WEBP?size=2"),
            new Part.Image(null, null, "https://example.com/photo"),
            new Part.Image(null, null, "data:image/gif;base64,R0lGOD=="),
            new Part.Document("application/pdf", "JVBERi0=", "a.pdf")),
        user(new Part.Text("")),
        model(new Part.Text("{\"a\":"))),
        TOOLS.subList(1, 2), ToolChoice.named("Bash"), false, 100, 0.2, 0.9, 40, List.of("END"),
        new Thinking(Effort.NONE, -1, false), new OutputFormat("r", schema, true), false, "u-1");
    WrittenRequest r = GeminiCodec.INSTANCE.writeRequest(c, ReplayBook.NONE);
    assertEquals("models/gemini-2.5-flash:generateContent", r.endpoint());
    assertEquals(List.of("messages: empty messages were left out (Gemini refuses empty contents)",
        "messages: the trailing assistant message (prefill) was left out; Gemini does not continue one",
        "images: image URLs are passed to Gemini as fileData for it to fetch",
        "parallel_tool_calls: Gemini decides itself whether to call tools in parallel; ignored").stream().sorted()
        .toList(), r.notes().stream().sorted().toList());
    assertEquals(json("""
        {"contents":[{"role":"user","parts":[{"text":"what is this?"},
          {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
          {"fileData":{"mimeType":"image/webp","fileUri":"https://example.com/cat.WEBP?size=2"}},
          {"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/photo"}},
          {"inlineData":{"mimeType":"image/gif","data":"R0lGOD=="}},
          {"inlineData":{"mimeType":"application/pdf","data":"JVBERi0="}}]}],
         "systemInstruction":{"parts":[{"text":"sys"}]},
         "tools":[{"functionDeclarations":[{"name":"Bash","parametersJsonSchema":
           {"type":"object","properties":{"file_path":{"type":"string"}}}}]}],
         "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["Bash"]}},
         "generationConfig":{"maxOutputTokens":100,"temperature":0.2,"topP":0.9,"topK":40,"stopSequences":["END"],
           "responseMimeType":"application/json",
           "responseJsonSchema":{"type":"object","properties":{"a":{"type":"integer"}}},
           "thinkingConfig":{"thinkingBudget":0}}}
        """), body(r));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "REQUIRED | {\"mode\":\"ANY\"}",
      "NONE     | {\"mode\":\"NONE\"}",
      "AUTO     | {\"mode\":\"AUTO\"}"})
  void toolChoiceModes(ToolChoice.Mode mode, String expected) {
    Conversation c = conv("gemini-2.5-flash", List.of(), List.of(user(new Part.Text("hi"))), TOOLS,
        new ToolChoice(mode, null), null, false);
    assertEquals(json(expected), body(GeminiCodec.INSTANCE.writeRequest(c, ReplayBook.NONE))
        .get("toolConfig").get("functionCallingConfig"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "gemini-2.5-pro        | ,-1,false      | ",
      "gemini-2.5-pro        | ,-1,true       | {\"includeThoughts\":true}",
      "gemini-2.5-pro        | LOW,-1,false   | {\"thinkingBudget\":1024,\"includeThoughts\":true}",
      "gemini-2.5-pro        | XHIGH,-1,false | {\"thinkingBudget\":32768,\"includeThoughts\":true}",
      "gemini-2.5-pro        | ,64,false      | {\"thinkingBudget\":128,\"includeThoughts\":true}",
      "gemini-2.5-pro        | NONE,-1,false  | ",
      "gemini-2.5-flash      | XHIGH,-1,true  | {\"thinkingBudget\":24576,\"includeThoughts\":true}",
      "gemini-2.5-flash      | MINIMAL,-1,false | {\"thinkingBudget\":512,\"includeThoughts\":true}",
      "gemini-2.5-flash      | MEDIUM,-1,false | {\"thinkingBudget\":8192,\"includeThoughts\":true}",
      "gemini-2.5-flash      | ,0,false       | {\"thinkingBudget\":0}",
      "gemini-2.5-flash-lite | ,100,false     | {\"thinkingBudget\":512,\"includeThoughts\":true}",
      "gemini-3-pro-preview  | MEDIUM,-1,false | {\"thinkingLevel\":\"HIGH\",\"includeThoughts\":true}",
      "gemini-3-pro-preview  | MINIMAL,-1,false | {\"thinkingLevel\":\"LOW\",\"includeThoughts\":true}",
      "gemini-3-pro-preview  | NONE,-1,false  | {\"thinkingLevel\":\"LOW\"}",
      "gemini-3-flash-preview | MEDIUM,-1,false | {\"thinkingLevel\":\"MEDIUM\",\"includeThoughts\":true}",
      "gemini-3-flash-preview | ,2000,false   | {\"thinkingLevel\":\"MEDIUM\",\"includeThoughts\":true}",
      "gemini-3-flash-preview | NONE,-1,true  | {\"thinkingLevel\":\"MINIMAL\",\"includeThoughts\":true}",
      "gemini-2.0-flash      | HIGH,-1,true   | "})
  void thinkingConfigs(String model, String thinking, String expected) {
    String[] t = thinking.split(",", -1);
    Thinking th = new Thinking(t[0].isEmpty() ? null : Effort.valueOf(t[0]), Long.parseLong(t[1]),
        Boolean.parseBoolean(t[2]));
    Conversation c = conv(model, List.of(), List.of(user(new Part.Text("hi"))), List.of(), null, th, true);
    WrittenRequest r = GeminiCodec.INSTANCE.writeRequest(c, ReplayBook.NONE);
    assertEquals(expected == null ? null : json(expected), body(r).path("generationConfig").get("thinkingConfig"));
  }

  @Test
  void offOnModelsThatCannotTurnOffIsNoted() {
    Conversation c = conv("gemini-2.5-pro", List.of(), List.of(user(new Part.Text("hi"))), List.of(), null,
        new Thinking(Effort.NONE, -1, false), false);
    assertEquals(List.of("reasoning: gemini-2.5-pro cannot turn thinking off; it thinks as it sees fit"),
        GeminiCodec.INSTANCE.writeRequest(c, ReplayBook.NONE).notes());
  }

  @Test
  void badToolNameIsRefusedNamingTheField() {
    List<ToolSpec> tools = List.of(TOOLS.get(0), new ToolSpec("9lives", null, OBJ));
    Conversation c = conv("gemini-2.5-flash", List.of(), List.of(user(new Part.Text("hi"))), tools, null, null, false);
    ConversionException e = assertThrows(ConversionException.class,
        () -> GeminiCodec.INSTANCE.writeRequest(c, ReplayBook.NONE));
    assertEquals("tools[1].name '9lives' cannot be served by a Gemini account (names must start with a letter or '_',"
        + " use only letters, digits, '_', '.', ':' or '-', and be at most 64 characters)", e.getMessage());
    List<ToolSpec> longName = List.of(new ToolSpec("a".repeat(65), null, OBJ));
    assertThrows(ConversionException.class, () -> GeminiCodec.INSTANCE.writeRequest(
        conv("gemini-2.5-flash", List.of(), List.of(user(new Part.Text("hi"))), longName, null, null, false),
        ReplayBook.NONE));
  }

  @Test
  void toolResultImagesFollowTheFunctionResponses() {
    Conversation c = conv("gemini-2.5-flash", List.of(), List.of(
        user(new Part.Text("shot")),
        model(new Part.ToolCall("a", "Read", "{}", "s1"), new Part.ToolCall("b", "Read", "{}", null)),
        user(new Part.ToolResult("a", null, List.of(new Part.Text("see"), new Part.Image("image/png", "AAA", null)),
            false), new Part.ToolResult("b", null, List.of(), false), new Part.Text("next"))),
        TOOLS, null, null, false);
    WrittenRequest r = GeminiCodec.INSTANCE.writeRequest(c, ReplayBook.NONE);
    assertEquals(json("""
        [{"functionResponse":{"id":"a","name":"Read","response":{"result":"see"}}},
         {"functionResponse":{"id":"b","name":"Read","response":{"result":""}}},
         {"inlineData":{"mimeType":"image/png","data":"AAA"}},
         {"text":"next"}]"""), body(r).get("contents").get(2).get("parts"));
    assertEquals(List.of("tool results: images and documents in tool results are sent as parts after the function"
        + " responses"), r.notes());
  }

  @Test
  void toolResultForAnUnknownCallIsRefused() {
    Conversation c = conv("gemini-2.5-flash", List.of(), List.of(
        user(new Part.ToolResult("ghost", null, List.of(new Part.Text("x")), false))), TOOLS, null, null, false);
    ConversionException e = assertThrows(ConversionException.class,
        () -> GeminiCodec.INSTANCE.writeRequest(c, ReplayBook.NONE));
    assertEquals("messages: the tool result for call 'ghost' answers no earlier tool call, and a Gemini account"
        + " needs the function's name", e.getMessage());
  }

  @Test
  void consecutiveSameRoleTurnsMerge() {
    Conversation c = conv("gemini-2.5-flash", List.of(), List.of(user(new Part.Text("a")), user(new Part.Text("b")),
        model(new Part.Text("c")), user(new Part.Text("d"))), List.of(), null, null, false);
    assertEquals(json("[{\"role\":\"user\",\"parts\":[{\"text\":\"a\"},{\"text\":\"b\"}]},"
            + "{\"role\":\"model\",\"parts\":[{\"text\":\"c\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"d\"}]}]"),
        body(GeminiCodec.INSTANCE.writeRequest(c, ReplayBook.NONE)).get("contents"));
  }
}
