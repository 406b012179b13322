package dev.relaycluster.protocol.convert;

import java.util.List;

/**
 * A complete answer in no dialect: upstream's id (may be null), the model serving it (may be null), its
 * content in order ({@link Part.Text}, {@link Part.Reasoning}, {@link Part.ToolCall}), why it ended,
 * the stop sequence produced (or null), and its usage.
 */
public record WholeAnswer(String id, String model, List<Part> content, StopReason stopReason, String stopSequence,
    AnswerUsage usage) {

  public WholeAnswer {
    content = List.copyOf(content);
    usage = usage == null ? AnswerUsage.ZERO : usage;
  }
}
