package dev.relaycluster.protocol.convert.gemini;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A conversation written by the writer and read back by the reader is the same (for what Gemini carries). */
class GeminiRoundTripTest {
  static final JsonNode SCHEMA = Json.tryParse("{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}")
      .orElseThrow();
  static final String[] TEXTS = {"hello", "ça va ? 日本語 🙂", "line\nbreak", "\"quoted\" {json}", " "};
  static final String[] NAMES = {"Read", "Bash", "mcp__srv__tool", "a.b:c-d"};

  @Test
  void writeThenReadIsIdentity() {
    Random random = new Random(20);
    for (int n = 0; n < 500; n++) {
      Conversation c = generate(random, n);
      WrittenRequest written = GeminiCodec.INSTANCE.writeRequest(c, ReplayBook.NONE);
      Conversation back = GeminiCodec.INSTANCE.readRequest(written.endpoint(), written.body());
      assertEquals(c, back, "conversation " + n + ": " + new String(written.body(),
          java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  static Conversation generate(Random r, int n) {
    boolean gen3 = r.nextBoolean();
    String model = gen3 ? "gemini-3-flash-preview" : "gemini-2.5-flash";
    List<ToolSpec> tools = new ArrayList<>();
    int toolCount = r.nextInt(3);
    for (int i = 0; i < toolCount; i++) {
      tools.add(new ToolSpec(NAMES[i], r.nextBoolean() ? null : "tool " + i, SCHEMA));
    }
    List<Turn> turns = new ArrayList<>();
    int turnCount = 1 + 2 * r.nextInt(4);
    List<String[]> pendingCalls = new ArrayList<>();
    int ids = 0;
    for (int t = 0; t < turnCount; t++) {
      List<Part> parts = new ArrayList<>();
      if (t % 2 == 0) {
        for (String[] call : pendingCalls) {
          parts.add(new Part.ToolResult(call[0], call[1], List.of(new Part.Text(pick(r, TEXTS))), r.nextInt(4) == 0));
        }
        pendingCalls.clear();
        int extra = parts.isEmpty() ? 1 + r.nextInt(3) : r.nextInt(3);
        for (int i = 0; i < extra; i++) {
          parts.add(switch (r.nextInt(5)) {
            case 0 -> new Part.Image("image/png", "iVBORw0KGgo=", null);
            case 1 -> new Part.Image("image/webp", null, "https://example.com/x" + i + ".webp");
            case 2 -> new Part.Document("application/pdf", "JVBERi0=", null);
            default -> new Part.Text(pick(r, TEXTS));
          });
        }
        turns.add(new Turn(Role.USER, parts));
      } else {
        if (r.nextBoolean()) {
          parts.add(new Part.Text(pick(r, TEXTS)));
        }
        int calls = tools.isEmpty() || t == turnCount - 1 ? 0 : r.nextInt(3);
        for (int i = 0; i < calls; i++) {
          String id = "call-" + n + "-" + ids++;
          String name = tools.get(r.nextInt(tools.size())).name();
          String sig = i == 0 || r.nextBoolean() ? "sig" + r.nextInt(1000) : null;
          parts.add(new Part.ToolCall(id, name, r.nextBoolean() ? "{}" : "{\"q\":\"" + i + "\"}", sig));
          pendingCalls.add(new String[] {id, name});
        }
        if (parts.isEmpty()) {
          parts.add(new Part.Text(pick(r, TEXTS)));
        }
        turns.add(new Turn(Role.ASSISTANT, parts));
      }
    }
    ToolChoice choice = tools.isEmpty() ? null : switch (r.nextInt(5)) {
      case 0 -> ToolChoice.AUTO;
      case 1 -> ToolChoice.REQUIRED;
      case 2 -> ToolChoice.NONE;
      case 3 -> ToolChoice.named(tools.get(0).name());
      default -> null;
    };
    Thinking thinking = switch (r.nextInt(4)) {
      case 0 -> Thinking.UNSET;
      case 1 -> gen3 ? new Thinking(pick(r, new Effort[] {Effort.MINIMAL, Effort.LOW, Effort.MEDIUM, Effort.HIGH}),
          -1, true) : new Thinking(null, 1 + r.nextInt(24000), true);
      case 2 -> gen3 ? Thinking.UNSET : new Thinking(null, 0, false);
      default -> new Thinking(null, -1, true);
    };
    OutputFormat format = switch (r.nextInt(3)) {
      case 0 -> new OutputFormat("response", SCHEMA, false);
      case 1 -> new OutputFormat("response", null, false);
      default -> null;
    };
    List<String> system = r.nextBoolean() ? List.of() : List.of("sys " + n, "more");
    return new Conversation(model, system, turns, tools, choice, null, r.nextBoolean() ? -1 : 1 + r.nextInt(9000),
        r.nextBoolean() ? null : r.nextInt(20) / 10.0, r.nextBoolean() ? null : 0.95, r.nextBoolean() ? null : 40,
        r.nextBoolean() ? List.of() : List.of("STOP", "END"), thinking, format, r.nextBoolean(), null);
  }

  static <T> T pick(Random r, T[] values) {
    return values[r.nextInt(values.length)];
  }
}
