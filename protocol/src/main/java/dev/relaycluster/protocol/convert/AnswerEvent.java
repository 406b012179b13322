package dev.relaycluster.protocol.convert;

import dev.relaycluster.protocol.dialect.ErrorKind;

/**
 * One step of a streamed answer in no dialect. A decoder turns an upstream's stream into these, an
 * encoder turns them into the client's stream. Order: {@link Started} first; then content, where a new
 * piece of content begins with {@link TextStarted}, {@link ReasoningStarted} or {@link ToolCallStarted}
 * and its deltas follow (a piece ends where the next begins or at {@link Finished}); then {@link Finished}
 * with the stop reason and the final usage, or {@link Failed}. A stream cut before either ends with
 * neither (the encoder's {@link StreamEncoder#end} then reports it).
 */
public sealed interface AnswerEvent {

  /** The answer began: upstream's id for it (may be null) and the model serving it (may be null). */
  record Started(String id, String model) implements AnswerEvent {}

  /** A text piece begins. */
  record TextStarted() implements AnswerEvent {}

  /** More text of the current text piece. */
  record TextDelta(String text) implements AnswerEvent {}

  /** A reasoning piece begins; {@code redacted} when its text is withheld. */
  record ReasoningStarted(boolean redacted) implements AnswerEvent {}

  /** More reasoning text of the current reasoning piece. */
  record ReasoningDelta(String text) implements AnswerEvent {}

  /**
   * The current reasoning piece's signature (Anthropic's signature, OpenAI's encrypted content), with
   * {@code origin} the dialect's wire name it came from.
   */
  record ReasoningSignature(String signature, String origin) implements AnswerEvent {}

  /**
   * A tool call piece begins: the call's id (a decoder makes one up when upstream names none), the tool's
   * name, and an opaque signature the upstream wants back with it (Gemini's thoughtSignature) or null.
   */
  record ToolCallStarted(String id, String name, String signature) implements AnswerEvent {}

  /** More of the current tool call's arguments, as JSON text (the pieces add up to the arguments object). */
  record ToolArgumentsDelta(String json) implements AnswerEvent {}

  /** Usage known so far (cumulative: a later one replaces an earlier one). */
  record UsageUpdate(AnswerUsage usage) implements AnswerEvent {}

  /** The answer ended normally; {@code stopSequence} is the one produced, or null. */
  record Finished(StopReason reason, String stopSequence) implements AnswerEvent {}

  /** The answer failed inside the stream (an upstream error event, or the stream broke off). */
  record Failed(ErrorKind kind, String message) implements AnswerEvent {}
}
