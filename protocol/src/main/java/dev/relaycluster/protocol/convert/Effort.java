package dev.relaycluster.protocol.convert;

/**
 * How hard the model should think, in OpenAI's words ({@code reasoning_effort}, {@code reasoning.effort}),
 * which the others map onto: Anthropic's thinking budget or effort, Gemini's thinking level or budget.
 */
public enum Effort {
  NONE, MINIMAL, LOW, MEDIUM, HIGH, XHIGH;

  /** The wire name ("none", "minimal", …, "xhigh"). */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The effort a wire name stands for, or null for null; unknown names are refused by the caller. */
  public static Effort of(String wireName) {
    if (wireName == null) {
      return null;
    }
    for (Effort e : values()) {
      if (e.wireName().equalsIgnoreCase(wireName)) {
        return e;
      }
    }
    return null;
  }
}
