package dev.relaycluster.protocol.convert.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaycluster.protocol.convert.Effort;
import dev.relaycluster.protocol.convert.Thinking;
import dev.relaycluster.protocol.util.Json;
import java.util.List;
import java.util.Locale;

/**
 * {@code generationConfig.thinkingConfig} from and to {@link Thinking}. Gemini 3 models take a
 * {@code thinkingLevel} (Pro: LOW or HIGH; Flash also MINIMAL and MEDIUM; neither can turn thinking fully
 * off), Gemini 2.5 models a {@code thinkingBudget} (Pro 128–32768 and never off, Flash 0–24576, Flash-Lite
 * 512–24576 or 0). Older models (1.x, 2.0) do not think: the request's reasoning is dropped with a note.
 */
final class GeminiThinking {
  private GeminiThinking() {}

  /** The thinkingConfig for {@code model}, or null when none is to be sent; what changed goes to {@code notes}. */
  static ObjectNode write(String model, Thinking thinking, List<String> notes) {
    if (thinking == null || thinking.equals(Thinking.UNSET)) {
      return null;
    }
    String m = model.toLowerCase(Locale.ROOT);
    boolean gen3 = m.startsWith("gemini-3");
    boolean old = m.startsWith("gemini-1") || m.startsWith("gemini-2.0") || m.startsWith("gemma");
    if (old) {
      if (thinking.on() || thinking.summary()) {
        notes.add("reasoning: " + model + " does not think; the reasoning settings were dropped");
      }
      return null;
    }
    boolean pro = m.contains("-pro");
    boolean lite = m.contains("lite");
    ObjectNode config = Json.mapper().createObjectNode();
    if (thinking.off()) {
      if (gen3) {
        config.put("thinkingLevel", pro ? "LOW" : "MINIMAL");
        notes.add("reasoning: " + model + " cannot turn thinking off; it thinks at the lowest level");
      } else if (pro) {
        notes.add("reasoning: " + model + " cannot turn thinking off; it thinks as it sees fit");
      } else {
        config.put("thinkingBudget", 0);
      }
    } else if (thinking.on()) {
      if (gen3) {
        config.put("thinkingLevel", level(thinking, pro));
      } else {
        long budget = thinking.budgetTokens() > 0 ? thinking.budgetTokens() : budget(thinking.effort());
        long max = pro ? 32768 : 24576;
        long min = pro ? 128 : lite ? 512 : 1;
        config.put("thinkingBudget", Math.max(min, Math.min(max, budget)));
      }
    }
    if (thinking.summary() || thinking.on()) {
      config.put("includeThoughts", true);
    }
    return config.isEmpty() ? null : config;
  }

  private static long budget(Effort effort) {
    return switch (effort) {
      case MINIMAL -> 512;
      case LOW -> 1024;
      case HIGH -> 24576;
      case XHIGH -> 32768;
      default -> 8192;
    };
  }

  private static String level(Thinking thinking, boolean pro) {
    Effort effort = thinking.effort();
    if (effort == null) {
      long b = thinking.budgetTokens();
      effort = b <= 1024 ? Effort.LOW : b <= 8192 ? Effort.MEDIUM : Effort.HIGH;
    }
    if (pro) {
      return effort == Effort.MINIMAL || effort == Effort.LOW ? "LOW" : "HIGH";
    }
    return switch (effort) {
      case MINIMAL -> "MINIMAL";
      case LOW -> "LOW";
      case MEDIUM -> "MEDIUM";
      default -> "HIGH";
    };
  }

  /** The reasoning a client's thinkingConfig asks for ({@link Thinking#UNSET} when none). */
  static Thinking read(JsonNode config) {
    if (config == null || !config.isObject()) {
      return Thinking.UNSET;
    }
    boolean include = config.path("includeThoughts").asBoolean(false);
    String level = Json.text(config, "thinkingLevel");
    Effort effort = level == null ? null : Effort.of(level.toLowerCase(Locale.ROOT));
    long budget = -1;
    JsonNode b = config.get("thinkingBudget");
    if (b != null && b.isIntegralNumber() && b.longValue() >= 0) {
      budget = b.longValue();
    }
    return new Thinking(effort, budget, include);
  }
}
