package dev.relaycluster.protocol.openai;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.usage.MessageUsage;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;
import dev.relaycluster.protocol.util.JsonTokens;
import java.io.IOException;

/**
 * Usage of an OpenAI Chat Completions answer: the {@code usage} of a {@code chat.completion} object or of a
 * stream's usage chunk. As in {@link ResponsesUsage}, OpenAI counts cached prompt tokens inside
 * {@code prompt_tokens} ({@code prompt_tokens_details.cached_tokens}); they are moved to the cache-read
 * class so every token is priced once: input = prompt − cached, cache read = cached, output =
 * {@code completion_tokens} (reasoning tokens are part of it already).
 */
public final class ChatUsage {

    private ChatUsage() {
    }

    /** Model and usage of a {@code chat.completion} (or chunk) object; null model and ZERO usage when absent. */
    public static MessageUsage fromCompletion(JsonNode completion) {
        if (completion == null || !completion.isObject()) {
            return new MessageUsage(null, TokenUsage.ZERO);
        }
        return new MessageUsage(Json.text(completion, "model"), of(completion.get("usage")));
    }

    /** The token usage of a Chat {@code usage} object; ZERO when it is not an object. */
    public static TokenUsage of(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return TokenUsage.ZERO;
        }
        long prompt = Json.count(usage, "prompt_tokens");
        long cached = Math.min(prompt, Json.count(usage.path("prompt_tokens_details"), "cached_tokens"));
        return new TokenUsage(prompt - cached, Json.count(usage, "completion_tokens"), cached, 0, 0);
    }

    /** As {@link #of}, for the usage object whose {@code START_OBJECT} {@code r} just read (read to its end). */
    static TokenUsage read(JsonTokens r) throws IOException {
        long prompt = 0;
        long completion = 0;
        long cached = 0;
        while (r.next() == JsonToken.FIELD_NAME) {
            String name = r.name();
            JsonToken value = r.next();
            switch (name) {
                case "prompt_tokens" -> prompt = r.count(value);
                case "completion_tokens" -> completion = r.count(value);
                case "prompt_tokens_details" -> cached = r.count(value, "cached_tokens");
                default -> r.skip(value);
            }
        }
        cached = Math.min(prompt, cached);
        return new TokenUsage(prompt - cached, completion, cached, 0, 0);
    }
}
