package dev.relaycluster.protocol.convert;

/** Who speaks a {@link Turn} of a {@link Conversation}. System text is not a turn (see {@link Conversation#system()}). */
public enum Role {
  /** The person or program asking; tool results are parts of a user turn. */
  USER,
  /** The model; its tool calls and reasoning are parts of an assistant turn. */
  ASSISTANT
}
