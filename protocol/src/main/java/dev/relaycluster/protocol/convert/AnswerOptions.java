package dev.relaycluster.protocol.convert;

import java.util.Set;

/**
 * What an encoder needs to know of the client's request: the model name to show it (the name it asked
 * for, not the upstream's), whether it asked for usage in the stream (Chat's
 * {@code stream_options.include_usage}), a creation time in epoch seconds for dialects that state one, and
 * the names of the tools it declared free-form ({@link ToolSpec#freeform()}), whose calls go back to it as
 * free-form calls.
 */
public record AnswerOptions(String model, boolean includeUsage, long createdSeconds, Set<String> freeformTools) {

  public AnswerOptions {
    freeformTools = freeformTools == null ? Set.of() : Set.copyOf(freeformTools);
  }

  public AnswerOptions(String model, boolean includeUsage, long createdSeconds) {
    this(model, includeUsage, createdSeconds, Set.of());
  }
}
