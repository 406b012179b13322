package dev.relaycluster.protocol.convert.responses;

import static dev.relaycluster.protocol.convert.responses.ResponsesReaderTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.relaycluster.protocol.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A conversation written by the writer and read back by the reader is the same, for everything Responses
 * carries (not carried: max tokens, sampling, stop sequences, user, a tool result's error flag, reasoning
 * of other vendors, several text parts of one tool result).
 */
class ResponsesRoundTripTest {
  private static final String[] WORDS = {"ls", "grüß", "🙂 emoji", "line\nbreak", "\"quoted\"", "<tag>", "x"};

  @Test
  void writtenThenReadIsTheSame() {
    Random random = new Random(20);
    for (int n = 0; n < 500; n++) {
      Conversation c = conversation(random);
      byte[] body = ResponsesCodec.INSTANCE.writeRequest(c, ReplayBook.NONE).body();
      Conversation back = ResponsesCodec.INSTANCE.readRequest("responses", body);
      assertEquals(c, back, "conversation " + n + ": " + new String(body, StandardCharsets.UTF_8));
    }
  }

  private static String word(Random r) {
    return WORDS[r.nextInt(WORDS.length)] + r.nextInt(100);
  }

  private static Conversation conversation(Random r) {
    List<String> system = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      system.add(word(r));
    }
    List<ToolSpec> tools = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      tools.add(r.nextBoolean()
          ? new ToolSpec("fn_" + i, r.nextBoolean() ? null : word(r), json("{\"type\":\"object\",\"properties\":"
              + "{\"a\":{\"type\":\"string\"}}}"))
          : new ToolSpec("free_" + i, word(r), RequestReader.freeformSchema(), true));
    }
    List<Turn> turns = new ArrayList<>();
    List<Part.ToolCall> pending = new ArrayList<>();
    Role role = r.nextInt(4) == 0 ? Role.ASSISTANT : Role.USER;
    for (int t = 1 + r.nextInt(6); t > 0; t--) {
      List<Part> parts = role == Role.USER ? userParts(r, pending) : assistantParts(r, tools, pending);
      turns.add(new Turn(role, parts));
      role = role == Role.USER ? Role.ASSISTANT : Role.USER;
    }
    ToolChoice choice = switch (r.nextInt(5)) {
      case 0 -> null;
      case 1 -> ToolChoice.AUTO;
      case 2 -> ToolChoice.NONE;
      case 3 -> ToolChoice.REQUIRED;
      default -> tools.isEmpty() ? null : ToolChoice.named(tools.get(0).name());
    };
    Thinking thinking = switch (r.nextInt(3)) {
      case 0 -> Thinking.UNSET;
      case 1 -> new Thinking(null, -1, true);
      default -> new Thinking(Effort.values()[1 + r.nextInt(Effort.values().length - 1)], -1, r.nextBoolean());
    };
    OutputFormat format = switch (r.nextInt(3)) {
      case 0 -> null;
      case 1 -> new OutputFormat(null, null, false);
      default -> new OutputFormat("shape_" + r.nextInt(9), json("{\"type\":\"object\",\"properties\":{}}"),
          r.nextBoolean());
    };
    Boolean parallel = r.nextInt(3) == 0 ? null : r.nextBoolean();
    return new Conversation("gpt-5.1-codex", system, turns, tools, choice, parallel, -1, null, null, null, List.of(),
        thinking, format, r.nextBoolean(), null);
  }

  private static List<Part> userParts(Random r, List<Part.ToolCall> pending) {
    List<Part> parts = new ArrayList<>();
    for (Part.ToolCall call : pending) {
      List<Part> content = r.nextBoolean() ? List.of(new Part.Text(word(r)))
          : List.of(new Part.Text(word(r)), new Part.Image("image/png", "iVBO" + r.nextInt(9), null));
      parts.add(new Part.ToolResult(call.id(), call.name(), content, false));
    }
    pending.clear();
    for (int i = parts.isEmpty() ? 1 + r.nextInt(3) : r.nextInt(2); i > 0; i--) {
      parts.add(switch (r.nextInt(4)) {
        case 0 -> new Part.Image("image/jpeg", "/9j/" + r.nextInt(99), null);
        case 1 -> new Part.Image(null, null, "https://example.com/" + r.nextInt(99) + ".png");
        case 2 -> new Part.Document("application/pdf", "JVBER" + r.nextInt(9), "f" + r.nextInt(9) + ".pdf");
        default -> new Part.Text(word(r));
      });
    }
    return parts;
  }

  private static List<Part> assistantParts(Random r, List<ToolSpec> tools, List<Part.ToolCall> pending) {
    List<Part> parts = new ArrayList<>();
    if (r.nextBoolean()) {
      parts.add(new Part.Reasoning(r.nextBoolean() ? "" : word(r), "gAAA" + r.nextInt(999), false,
          "openai-responses"));
    }
    if (r.nextBoolean() || tools.isEmpty()) {
      parts.add(new Part.Text(word(r)));
    }
    if (!tools.isEmpty()) {
      for (int i = r.nextInt(3); i > 0; i--) {
        ToolSpec tool = tools.get(r.nextInt(tools.size()));
        ObjectNode args = Json.mapper().createObjectNode().put(tool.freeform() ? "input" : "a", word(r));
        Part.ToolCall call = new Part.ToolCall("call_" + r.nextInt(1_000_000), tool.name(),
            new String(Json.write(args), StandardCharsets.UTF_8), null);
        parts.add(call);
        pending.add(call);
      }
    }
    if (r.nextInt(4) == 0 || parts.isEmpty()) {
      parts.add(new Part.Text(word(r)));
    }
    return parts;
  }
}
