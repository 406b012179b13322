package dev.relaycluster.protocol.convert.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relaycluster.protocol.convert.Conversation;
import dev.relaycluster.protocol.convert.OutputFormat;
import dev.relaycluster.protocol.convert.Part;
import dev.relaycluster.protocol.convert.ReplayBook;
import dev.relaycluster.protocol.convert.Role;
import dev.relaycluster.protocol.convert.Thinking;
import dev.relaycluster.protocol.convert.ToolChoice;
import dev.relaycluster.protocol.convert.ToolSpec;
import dev.relaycluster.protocol.convert.Turn;
import dev.relaycluster.protocol.convert.WrittenRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Generated conversations written as Messages requests and read back are what they were. */
class MessagesRoundTripTest {

  @Test
  void writtenThenReadIsTheSameConversation() {
    Random random = new Random(2026);
    for (int i = 0; i < 500; i++) {
      Conversation c = generate(random);
      WrittenRequest written = AnthropicCodec.INSTANCE.writeRequest(c, ReplayBook.NONE);
      assertEquals(List.of(), written.notes(), "case " + i);
      assertEquals(c, AnthropicCodec.INSTANCE.readRequest("messages", written.body()), "case " + i);
    }
  }

  private static Conversation generate(Random r) {
    boolean thinkingOn = r.nextBoolean();
    long maxTokens = 2048 + r.nextInt(60000);
    Thinking thinking = Thinking.UNSET;
    if (thinkingOn) {
      long budget = 1024 + r.nextInt((int) maxTokens - 1024);
      thinking = new Thinking(MessagesReader.effortForBudget(budget), budget, true);
    }
    List<ToolSpec> tools = new ArrayList<>();
    for (int t = r.nextInt(3); t > 0; t--) {
      tools.add(new ToolSpec("tool" + t, r.nextBoolean() ? null : "does " + t,
          MessagesReaderTest.json("{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"integer\"}}}")));
    }
    ToolChoice choice = null;
    Boolean parallel = null;
    if (!tools.isEmpty()) {
      List<ToolChoice> choices = new ArrayList<>(List.of(ToolChoice.AUTO, ToolChoice.NONE));
      if (!thinkingOn) {
        choices.add(ToolChoice.REQUIRED);
        choices.add(ToolChoice.named(tools.get(0).name()));
      }
      choice = r.nextInt(4) == 0 ? null : choices.get(r.nextInt(choices.size()));
      parallel = choice != null && choice != ToolChoice.NONE && r.nextBoolean() ? false : null;
    }
    Double temperature = !thinkingOn && r.nextBoolean() ? r.nextInt(11) / 10.0 : null;
    Double topP = temperature == null && r.nextBoolean() ? (thinkingOn ? 0.95 : r.nextInt(11) / 10.0) : null;
    Integer topK = !thinkingOn && r.nextBoolean() ? 1 + r.nextInt(100) : null;
    List<String> system = new ArrayList<>();
    for (int s = r.nextInt(3); s > 0; s--) {
      system.add("system " + s + " ünïcode");
    }
    List<String> stops = r.nextBoolean() ? List.of("STOP", "\n\nHuman:") : List.of();
    OutputFormat format = r.nextInt(4) == 0
        // A schema Claude takes as it is (objects closed): the writer changes others (OutputSchema).
        ? new OutputFormat("output", MessagesReaderTest.json("{\"type\":\"object\",\"additionalProperties\":false}"),
            true) : null;
    return new Conversation("claude-" + r.nextInt(10), system, turns(r, tools, thinkingOn), tools, choice, parallel,
        maxTokens, temperature, topP, topK, stops, thinking, format, r.nextBoolean(), r.nextBoolean() ? "u-1" : null);
  }

  private static List<Turn> turns(Random r, List<ToolSpec> tools, boolean thinkingOn) {
    List<Turn> turns = new ArrayList<>();
    List<Part.ToolCall> pending = List.of();
    int count = 1 + r.nextInt(6);
    int callId = 0;
    for (int i = 0; i < count; i++) {
      List<Part> parts = new ArrayList<>();
      if (i % 2 == 0) {
        for (Part.ToolCall call : pending) {
          List<Part> content = r.nextBoolean() ? List.of(new Part.Text("out " + call.id()))
              : List.of(new Part.Text("see"), new Part.Image("image/png", "iVBORw0KGgo=", null));
          parts.add(new Part.ToolResult(call.id(), call.name(), content, r.nextInt(5) == 0));
        }
        parts.add(new Part.Text("user " + i));
        switch (r.nextInt(4)) {
          case 0 -> parts.add(new Part.Image("image/jpeg", "/9j/4AAQ", null));
          case 1 -> parts.add(new Part.Image(null, null, "https://img.test/" + i + ".png"));
          case 2 -> parts.add(new Part.Document("application/pdf", "JVBERi0=", r.nextBoolean() ? "f.pdf" : null));
          default -> { }
        }
        turns.add(new Turn(Role.USER, parts));
        pending = List.of();
      } else {
        if (thinkingOn) {
          parts.add(r.nextBoolean() ? new Part.Reasoning("thought " + i, "EqSig" + i, false, "anthropic")
              : new Part.Reasoning("", "EmRed" + i, true, "anthropic"));
        }
        parts.add(new Part.Text("assistant " + i));
        List<Part.ToolCall> calls = new ArrayList<>();
        for (int c = tools.isEmpty() ? 0 : r.nextInt(3); c > 0; c--) {
          ToolSpec tool = tools.get(r.nextInt(tools.size()));
          calls.add(new Part.ToolCall("toolu_" + (callId++), tool.name(), "{\"k\":" + c + "}", null));
        }
        parts.addAll(calls);
        pending = calls;
        turns.add(new Turn(Role.ASSISTANT, parts));
      }
    }
    return turns;
  }
}
