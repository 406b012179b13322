package dev.relaycluster.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;

/**
 * Merges the {@code usage} objects of an Anthropic message (message_start or a whole message, then any
 * message_delta) into one {@link TokenUsage}.
 */
final class UsageAccumulator {

    private long input;
    private long cacheRead;
    private long cacheCreation;
    private long cache5m;
    private long cache1h;
    private boolean breakdown;
    private long startOutput;
    private long deltaOutput;
    private boolean sawDeltaOutput;

    /** Usage of message_start, or of a complete non-streaming message. */
    void addStart(JsonNode usage) {
        if (usage != null && usage.isObject()) {
            addInputSide(usage);
            startOutput = Math.max(startOutput, Json.count(usage, "output_tokens"));
        }
    }

    /** Usage of a message_delta: cumulative output (last wins) and possibly cumulative input-side totals. */
    void addDelta(JsonNode usage) {
        if (usage != null && usage.isObject()) {
            addInputSide(usage);
            if (usage.hasNonNull("output_tokens")) {
                deltaOutput = Json.count(usage, "output_tokens");
                sawDeltaOutput = true;
            }
        }
    }

    TokenUsage usage() {
        return new TokenUsage(
                input,
                sawDeltaOutput ? deltaOutput : startOutput,
                cacheRead,
                breakdown ? cache5m : cacheCreation,
                breakdown ? cache1h : 0);
    }

    private void addInputSide(JsonNode usage) {
        input = Math.max(input, Json.count(usage, "input_tokens"));
        cacheRead = Math.max(cacheRead, Json.count(usage, "cache_read_input_tokens"));
        cacheCreation = Math.max(cacheCreation, Json.count(usage, "cache_creation_input_tokens"));
        JsonNode split = usage.get("cache_creation");
        if (split != null && split.isObject()) {
            breakdown = true;
            cache5m = Math.max(cache5m, Json.count(split, "ephemeral_5m_input_tokens"));
            cache1h = Math.max(cache1h, Json.count(split, "ephemeral_1h_input_tokens"));
        }
    }
}
