package dev.relaycluster.protocol.convert;

/**
 * What an encoder needs to know of the client's request: the model name to show it (the name it asked
 * for, not the upstream's), whether it asked for usage in the stream (Chat's
 * {@code stream_options.include_usage}), and a creation time in epoch seconds for dialects that state one.
 */
public record AnswerOptions(String model, boolean includeUsage, long createdSeconds) {}
