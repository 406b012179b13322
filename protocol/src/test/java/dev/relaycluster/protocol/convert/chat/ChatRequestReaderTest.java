package dev.relaycluster.protocol.convert.chat;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChatRequestReaderTest {

  static Conversation read(String json) {
    return ChatCodec.INSTANCE.readRequest("chat/completions", json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  static JsonNode json(String s) {
    return Json.tryParse(s.replace('\'', '"')).orElseThrow();
  }

  static Conversation conv(List<String> system, List<Turn> turns) {
    return new Conversation("m", system, turns, List.of(), null, null, -1, null, null, null, List.of(), null, null,
        false, null);
  }

  static Turn user(Part... parts) {
    return new Turn(Role.USER, List.of(parts));
  }

  static Turn assistant(Part... parts) {
    return new Turn(Role.ASSISTANT, List.of(parts));
  }

  static Part.Text text(String s) {
    return new Part.Text(s);
  }

  static Stream<Arguments> messages() {
    return Stream.of(
        Arguments.of("system and developer in order, string and text parts",
            "[{'role':'system','content':'a'},{'role':'user','content':'hi'},{'role':'developer','content':"
                + "[{'type':'text','text':'b'},{'type':'text','text':'c'}]}]",
            conv(List.of("a", "b", "c"), List.of(user(text("hi"))))),
        Arguments.of("only system messages: no turns",
            "[{'role':'system','content':'s'}]", conv(List.of("s"), List.of())),
        Arguments.of("user parts: text, data URL image, http image, detail ignored, file data URL",
            "[{'role':'user','content':[{'type':'text','text':'look'},"
                + "{'type':'image_url','image_url':{'url':'data:image/png;base64,iVBO','detail':'high'}},"
                + "{'type':'image_url','image_url':{'url':'https://x.test/a/cat.JPG?v=1'}},"
                + "{'type':'image_url','image_url':{'url':'http://x.test/img'}},"
                + "{'type':'file','file':{'filename':'a.pdf','file_data':'data:application/pdf;base64,JVBE'}}]}]",
            conv(List.of(), List.of(user(text("look"), new Part.Image("image/png", "iVBO", null),
                new Part.Image("image/jpeg", null, "https://x.test/a/cat.JPG?v=1"),
                new Part.Image(null, null, "http://x.test/img"), new Part.Document("application/pdf", "JVBE", "a.pdf"))))),
        Arguments.of("consecutive same-role messages merge",
            "[{'role':'user','content':'a'},{'role':'user','content':'b'},{'role':'assistant','content':'c'},"
                + "{'role':'assistant','content':'d'}]",
            conv(List.of(), List.of(user(text("a"), text("b")), assistant(text("c"), text("d"))))),
        Arguments.of("assistant: reasoning_content first, text, refusal, then tool calls; args kept, empty → {}",
            "[{'role':'user','content':'q'},{'role':'assistant','reasoning_content':'think','content':'ok',"
                + "'refusal':'no','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':"
                + "'{ \\'a\\' : 1 }'}},{'id':'c2','type':'function','function':{'name':'g','arguments':''}}]},"
                + "{'role':'tool','tool_call_id':'c1','content':'r1'},{'role':'tool','tool_call_id':'c2',"
                + "'content':[{'type':'text','text':'r2'},{'type':'text','text':'r3'}]},{'role':'user','content':'next'}]",
            conv(List.of(), List.of(user(text("q")),
                assistant(new Part.Reasoning("think", null, false, null), text("ok"), text("no"),
                    new Part.ToolCall("c1", "f", "{ \"a\" : 1 }", null), new Part.ToolCall("c2", "g", "{}", null)),
                user(new Part.ToolResult("c1", "f", List.of(text("r1")), false),
                    new Part.ToolResult("c2", "g", List.of(text("r2"), text("r3")), false), text("next"))))),
        Arguments.of("duplicate tool_call_id: the last wins, in place; results ahead of user text",
            "[{'role':'assistant','content':null,'tool_calls':[{'id':'a','type':'function','function':"
                + "{'name':'f','arguments':'{}'}},{'id':'b','type':'function','function':{'name':'g','arguments':'{}'}}]},"
                + "{'role':'tool','tool_call_id':'a','content':'old'},{'role':'user','content':'u'},"
                + "{'role':'tool','tool_call_id':'b','content':'B'},{'role':'tool','tool_call_id':'a','content':'new'}]",
            conv(List.of(), List.of(assistant(new Part.ToolCall("a", "f", "{}", null), new Part.ToolCall("b", "g", "{}", null)),
                user(new Part.ToolResult("a", "f", List.of(text("new")), false),
                    new Part.ToolResult("b", "g", List.of(text("B")), false), text("u"))))),
        Arguments.of("legacy function_call and function message",
            "[{'role':'user','content':'q'},{'role':'assistant','content':null,'function_call':{'name':'f',"
                + "'arguments':'{\\'x\\':2}'}},{'role':'function','name':'f','content':'done'}]",
            conv(List.of(), List.of(user(text("q")), assistant(new Part.ToolCall("call_legacy_0", "f", "{\"x\":2}", null)),
                user(new Part.ToolResult("call_legacy_0", "f", List.of(text("done")), false))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void readsMessages(String name, String messages, Conversation expected) {
    assertEquals(expected, read("{'model':'m','messages':" + messages + "}"));
  }

  @Test
  void readsParameters() {
    Conversation c = read("{'model':'gpt-x','messages':[{'role':'user','content':'hi'}],"
        + "'tools':[{'type':'function','function':{'name':'f','description':'d','parameters':{'type':'object',"
        + "'properties':{'a':{'type':'string'}}}}},{'type':'function','function':{'name':'g'}}],"
        + "'tool_choice':{'type':'function','function':{'name':'g'}},'parallel_tool_calls':false,"
        + "'max_tokens':10,'max_completion_tokens':20,'temperature':0.5,'top_p':0.9,'stop':'END',"
        + "'reasoning_effort':'high','response_format':{'type':'json_schema','json_schema':{'name':'out',"
        + "'schema':{'type':'object'},'strict':true}},'user':'u-1','stream':true,'n':1,'frequency_penalty':1,"
        + "'stream_options':{'include_usage':true}}");
    Conversation expected = new Conversation("gpt-x", List.of(), List.of(user(text("hi"))),
        List.of(new ToolSpec("f", "d", json("{'type':'object','properties':{'a':{'type':'string'}}}")),
            new ToolSpec("g", null, json("{'type':'object','properties':{}}"))),
        ToolChoice.named("g"), false, 20, 0.5, 0.9, null, List.of("END"), new Thinking(Effort.HIGH, -1, true),
        new OutputFormat("out", json("{'type':'object'}"), true), true, "u-1");
    assertEquals(expected, c);
  }

  static Stream<Arguments> smallParameters() {
    return Stream.of(
        Arguments.of("'tool_choice':'auto'", ToolChoice.AUTO),
        Arguments.of("'tool_choice':'none'", ToolChoice.NONE),
        Arguments.of("'tool_choice':'required'", ToolChoice.REQUIRED),
        Arguments.of("'stop':['a','b']", List.of("a", "b")),
        Arguments.of("'max_tokens':7", 7L),
        Arguments.of("'reasoning_effort':'none'", new Thinking(Effort.NONE, -1, false)),
        Arguments.of("'reasoning_effort':'minimal'", new Thinking(Effort.MINIMAL, -1, true)),
        Arguments.of("'reasoning_effort':'xhigh'", new Thinking(Effort.XHIGH, -1, true)),
        Arguments.of("'response_format':{'type':'json_object'}", new OutputFormat(null, null, false)),
        Arguments.of("'response_format':{'type':'text'}", "format:null"),
        Arguments.of("'functions':[{'name':'f'}],'function_call':{'name':'f'}", ToolChoice.named("f")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("smallParameters")
  void readsEachParameter(String field, Object expected) {
    Conversation c = read("{'model':'m','messages':[{'role':'user','content':'x'}]," + field + "}");
    Object actual;
    if (expected instanceof ToolChoice) {
      actual = c.toolChoice();
    } else if (expected instanceof List) {
      actual = c.stop();
    } else if (expected instanceof Long) {
      actual = c.maxTokens();
    } else if (expected instanceof Thinking) {
      actual = c.thinking();
    } else if (expected instanceof OutputFormat) {
      actual = c.format();
    } else {
      actual = "format:" + c.format();
    }
    assertEquals(expected, actual);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("{'model':'m','messages':[", "body: not valid JSON"),
        Arguments.of("[1]", "body: must be a JSON object"),
        Arguments.of("{'messages':[]}", "model: required"),
        Arguments.of("{'model':'m'}", "messages: required, an array of messages"),
        Arguments.of("{'model':'m','messages':{}}", "messages: required, an array of messages"),
        Arguments.of("{'model':'m','messages':[{'role':'robot','content':'x'}]}",
            "messages[0].role: unknown role 'robot'"),
        Arguments.of("{'model':'m','messages':[{'content':'x'}]}", "messages[0].role: required"),
        Arguments.of("{'model':'m','messages':[{'role':'user','content':'x'}],'n':2}", "n: only one choice can be served"),
        Arguments.of("{'model':'m','messages':[{'role':'user','content':[{'type':'text','text':'a'},"
            + "{'type':'input_audio','input_audio':{'data':'AA','format':'wav'}}]}]}",
            "messages[0].content[1].type 'input_audio' is not supported"),
        Arguments.of("{'model':'m','messages':[{'role':'user','content':[{'type':'file','file':{'file_id':'file-1'}}]}]}",
            "messages[0].content[0].file.file_id: uploaded files cannot be served; send file_data"),
        Arguments.of("{'model':'m','messages':[{'role':'user','content':[{'type':'image_url','image_url':"
            + "{'url':'ftp://x/a.png'}}]}]}", "messages[0].content[0].image_url.url: must be a data URL or an http(s) URL"),
        Arguments.of("{'model':'m','messages':[{'role':'user','content':'q'},{'role':'assistant','tool_calls':"
            + "[{'id':'a','type':'function','function':{'name':'f','arguments':'{}'}},{'id':'b','type':'function',"
            + "'function':{'name':'f','arguments':'{not json'}}]}]}",
            "messages[1].tool_calls[1].function.arguments: is not valid JSON object text"),
        Arguments.of("{'model':'m','messages':[{'role':'user','content':'q'},{'role':'tool','tool_call_id':'zz',"
            + "'content':'r'}]}", "messages[1].tool_call_id: no earlier assistant tool call has the id 'zz'"),
        Arguments.of("{'model':'m','messages':[{'role':'system','content':[{'type':'image_url','image_url':"
            + "{'url':'https://x/a.png'}}]}]}", "messages[0].content[0].type 'image_url' is not supported here (text only)"),
        Arguments.of("{'model':'m','messages':[],'tools':[{'type':'web_search'}]}", "tools[0].type 'web_search' is not supported"),
        Arguments.of("{'model':'m','messages':[],'tools':[{'type':'function','function':{}}]}", "tools[0].function.name: required"),
        Arguments.of("{'model':'m','messages':[],'tool_choice':'maybe'}", "tool_choice: unknown value 'maybe'"),
        Arguments.of("{'model':'m','messages':[],'reasoning_effort':'huge'}", "reasoning_effort: unknown value \"huge\""),
        Arguments.of("{'model':'m','messages':[],'response_format':{'type':'xml'}}", "response_format.type 'xml' is not supported"),
        Arguments.of("{'model':'m','messages':[],'response_format':{'type':'json_schema','json_schema':{'name':'x'}}}",
            "response_format.json_schema.schema: required, a JSON Schema object"),
        Arguments.of("{'model':'m','messages':[],'max_tokens':'ten'}", "max_tokens: must be a non-negative integer"),
        Arguments.of("{'model':'m','messages':[],'temperature':'hot'}", "temperature: must be a number"),
        Arguments.of("{'model':'m','messages':[{'role':'function','name':'f','content':'x'}]}",
            "messages[0].name: no earlier assistant function_call names 'f'"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("refusals")
  void refusesNamingTheField(String body, String message) {
    ConversionException e = assertThrows(ConversionException.class, () -> read(body));
    assertEquals(message, e.getMessage());
  }
}
