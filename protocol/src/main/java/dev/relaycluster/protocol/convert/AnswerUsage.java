package dev.relaycluster.protocol.convert;

import dev.relaycluster.protocol.usage.TokenUsage;

/**
 * Token counts of an answer in no dialect: {@code input} excludes cached input (Anthropic's sense),
 * {@code cacheRead} and {@code cacheWrite} the cached input read and written, {@code output} includes
 * {@code reasoning}. Each codec's encoder derives its own fields (Chat's prompt_tokens is
 * input + cacheRead + cacheWrite).
 */
public record AnswerUsage(long input, long cacheRead, long cacheWrite, long output, long reasoning) {

  public static final AnswerUsage ZERO = new AnswerUsage(0, 0, 0, 0, 0);

  /** All input, cached or not. */
  public long promptTokens() {
    return input + cacheRead + cacheWrite;
  }

  /** From the relay's own usage record shape (reasoning not known). */
  public static AnswerUsage of(TokenUsage usage, long reasoning) {
    return new AnswerUsage(usage.inputTokens(), usage.cacheReadTokens(), usage.cacheWriteTokens(),
        usage.outputTokens(), reasoning);
  }
}
