package dev.relaycluster.protocol.convert.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A conversation Chat can carry, written by the writer and read back by the reader, is the same. */
class ChatRoundTripTest {
  private static final String[] WORDS = {"hello", "wörld", "\"quoted\"", "line\nbreak", "日本語", "emoji 🎉", ""};

  @Test
  void writeThenReadIsTheIdentity() {
    Random random = new Random(20);
    for (int i = 0; i < 500; i++) {
      Conversation c = conversation(random);
      WrittenRequest written = ChatCodec.INSTANCE.writeRequest(c, ReplayBook.NONE);
      assertEquals("chat/completions", written.endpoint());
      Conversation back = ChatCodec.INSTANCE.readRequest(written.endpoint(), written.body());
      assertEquals(c, back, () -> "case " + new String(written.body(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void writesAStreamingRequestAsOpenAiTakesIt() {
    Conversation c = new Conversation("gpt-4o", List.of("sys"), List.of(
        new Turn(Role.USER, List.of(new Part.Text("q"))),
        new Turn(Role.ASSISTANT, List.of(new Part.Reasoning("r", "sig", false, "anthropic"),
            new Part.ToolCall("c1", "f", "{}", "ts"))),
        new Turn(Role.USER, List.of(new Part.ToolResult("c1", "f", List.of(new Part.Text("ok"),
            new Part.Image("image/png", "AAAA", null)), true)))),
        List.of(new ToolSpec("f", null, json("{'type':'object'}"))), ToolChoice.REQUIRED, true, 100, null, null, 5,
        List.of(), new Thinking(null, 10000, true), null, true, null);
    WrittenRequest w = ChatCodec.INSTANCE.writeRequest(c, ReplayBook.NONE);
    String expected = "{'model':'gpt-4o','messages':[{'role':'system','content':'sys'},{'role':'user','content':'q'},"
        + "{'role':'assistant','content':null,'tool_calls':[{'id':'c1','type':'function','function':{'name':'f',"
        + "'arguments':'{}'}}]},{'role':'tool','tool_call_id':'c1','content':'ok'},{'role':'user','content':"
        + "[{'type':'image_url','image_url':{'url':'data:image/png;base64,AAAA'}}]}],'tools':[{'type':'function',"
        + "'function':{'name':'f','parameters':{'type':'object'}}}],'tool_choice':'required','parallel_tool_calls':true,"
        + "'max_completion_tokens':100,'reasoning_effort':'medium','stream':true,'stream_options':{'include_usage':true}}";
    assertEquals(expected.replace('\'', '"'), new String(w.body(), StandardCharsets.UTF_8));
    assertEquals(List.of("images in tool results are sent in a user message after the results",
        "tool result error flags are not carried by Chat Completions",
        "top_k is not sent (Chat Completions has no such parameter)"), w.notes());
  }

  private static JsonNode json(String s) {
    return Json.tryParse(s.replace('\'', '"')).orElseThrow();
  }

  private static String word(Random r) {
    return WORDS[r.nextInt(WORDS.length - 1)] + r.nextInt(100);
  }

  private static Conversation conversation(Random r) {
    List<String> system = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      system.add(word(r));
    }
    List<ToolSpec> tools = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      tools.add(new ToolSpec("tool" + i, r.nextBoolean() ? null : word(r),
          json("{'type':'object','properties':{'p" + i + "':{'type':'string'}},'required':['p" + i + "']}")));
    }
    List<Turn> turns = new ArrayList<>();
    List<Part.ToolCall> pending = List.of();
    int count = 1 + r.nextInt(6);
    for (int t = 0; t < count; t++) {
      if (t % 2 == 0) {
        turns.add(new Turn(Role.USER, userParts(r, pending)));
        pending = List.of();
      } else {
        List<Part> parts = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
          parts.add(new Part.Text(word(r)));
        }
        List<Part.ToolCall> calls = new ArrayList<>();
        for (int i = tools.isEmpty() ? 0 : r.nextInt(3); i > 0; i--) {
          calls.add(new Part.ToolCall("call_" + t + "_" + i, "tool" + (1 + r.nextInt(tools.size())),
              r.nextBoolean() ? "{}" : "{\"p\": \"" + r.nextInt(9) + "\"}", null));
        }
        if (parts.isEmpty() && calls.isEmpty()) {
          parts.add(new Part.Text(word(r)));
        }
        parts.addAll(calls);
        turns.add(new Turn(Role.ASSISTANT, parts));
        pending = calls;
      }
    }
    ToolChoice choice = tools.isEmpty() ? null : switch (r.nextInt(5)) {
      case 0 -> ToolChoice.AUTO;
      case 1 -> ToolChoice.NONE;
      case 2 -> ToolChoice.REQUIRED;
      case 3 -> ToolChoice.named(tools.get(0).name());
      default -> null;
    };
    Boolean parallel = tools.isEmpty() || r.nextBoolean() ? null : r.nextBoolean();
    List<String> stop = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      stop.add(word(r));
    }
    Effort effort = r.nextBoolean() ? null : Effort.values()[r.nextInt(Effort.values().length)];
    Thinking thinking = effort == null ? Thinking.UNSET : new Thinking(effort, -1, effort != Effort.NONE);
    OutputFormat format = switch (r.nextInt(3)) {
      case 0 -> null;
      case 1 -> new OutputFormat(null, null, false);
      default -> new OutputFormat("shape" + r.nextInt(9), json("{'type':'object','properties':{}}"), r.nextBoolean());
    };
    return new Conversation("model-" + r.nextInt(9), system, turns, tools, choice, parallel,
        r.nextBoolean() ? -1 : r.nextInt(100000), r.nextBoolean() ? null : r.nextInt(20) / 10.0,
        r.nextBoolean() ? null : r.nextInt(10) / 10.0, null, stop, thinking, format, r.nextBoolean(),
        r.nextBoolean() ? null : "user-" + r.nextInt(99));
  }

  private static List<Part> userParts(Random r, List<Part.ToolCall> answered) {
    List<Part> parts = new ArrayList<>();
    for (Part.ToolCall call : answered) {
      List<Part> content = new ArrayList<>();
      for (int i = 1 + r.nextInt(2); i > 0; i--) {
        content.add(new Part.Text(word(r)));
      }
      parts.add(new Part.ToolResult(call.id(), call.name(), content, false));
    }
    int extra = answered.isEmpty() ? 1 + r.nextInt(3) : r.nextInt(3);
    for (int i = 0; i < extra; i++) {
      parts.add(switch (r.nextInt(5)) {
        case 0 -> new Part.Image("image/" + (r.nextBoolean() ? "png" : "jpeg"), "iVBORw0KGgo" + r.nextInt(99), null);
        case 1 -> r.nextBoolean() ? new Part.Image("image/png", null, "https://img.test/" + r.nextInt(99) + ".png")
            : new Part.Image(null, null, "https://img.test/raw/" + r.nextInt(99));
        case 2 -> new Part.Document("application/pdf", "JVBERi0" + r.nextInt(99), r.nextBoolean() ? null : "f.pdf");
        default -> new Part.Text(word(r));
      });
    }
    return parts;
  }
}
