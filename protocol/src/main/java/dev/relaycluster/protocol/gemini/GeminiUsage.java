package dev.relaycluster.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;

/**
 * Token usage from a Gemini {@code usageMetadata} object, split the way Google bills it:
 * <ul>
 *   <li>input: {@code promptTokenCount} without the cached part, plus {@code toolUsePromptTokenCount} (the
 *       prompt of a built-in tool such as code execution or search, billed as input);</li>
 *   <li>cache reads: {@code cachedContentTokenCount} (implicit or explicit context caching);</li>
 *   <li>output: {@code candidatesTokenCount} plus {@code thoughtsTokenCount} (thinking is billed as
 *       output; {@link TokenUsage} has no field of its own for it);</li>
 *   <li>no cache writes (Gemini bills cache storage by time, not per request).</li>
 * </ul>
 * Gemini repeats the running totals in every streamed chunk, so the last {@code usageMetadata} is the whole.
 */
final class GeminiUsage {
  private GeminiUsage() {}

  static TokenUsage of(JsonNode usageMetadata) {
    if (usageMetadata == null || !usageMetadata.isObject()) {
      return TokenUsage.ZERO;
    }
    long prompt = Json.count(usageMetadata, "promptTokenCount");
    long cached = Json.count(usageMetadata, "cachedContentTokenCount");
    long toolPrompt = Json.count(usageMetadata, "toolUsePromptTokenCount");
    long candidates = Json.count(usageMetadata, "candidatesTokenCount");
    long thoughts = Json.count(usageMetadata, "thoughtsTokenCount");
    return new TokenUsage(Math.max(0, prompt - cached) + toolPrompt, candidates + thoughts, cached, 0, 0);
  }
}
