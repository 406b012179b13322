package dev.relaycluster.protocol.convert;

/**
 * Whether and how much the model reasons before answering: {@code effort} (null when not said),
 * {@code budgetTokens} a token budget (-1 when not said), {@code summary} whether reasoning text is wanted
 * back (a summary or the thoughts themselves). {@link #UNSET} when the client said nothing.
 */
public record Thinking(Effort effort, long budgetTokens, boolean summary) {

  public static final Thinking UNSET = new Thinking(null, -1, false);

  /** Whether the client asked for reasoning to be on. */
  public boolean on() {
    return (effort != null && effort != Effort.NONE) || budgetTokens > 0;
  }

  /** Whether the client asked for reasoning to be off. */
  public boolean off() {
    return effort == Effort.NONE || budgetTokens == 0;
  }
}
