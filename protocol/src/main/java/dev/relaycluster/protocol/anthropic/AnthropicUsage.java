package dev.relaycluster.protocol.anthropic;

import dev.relaycluster.protocol.usage.MessageUsage;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaycluster.protocol.usage.TokenUsage;
import dev.relaycluster.protocol.util.Json;

/** Usage of a non-streaming Anthropic Messages response ({@code {"type":"message","model":..,"usage":{..}}}). */
public final class AnthropicUsage {

    private AnthropicUsage() {
    }

    /** Reads model and usage with the same rules as message_start; null model and ZERO usage when absent. */
    public static MessageUsage fromMessage(JsonNode message) {
        if (message == null || !message.isObject()) {
            return new MessageUsage(null, TokenUsage.ZERO);
        }
        UsageAccumulator usage = new UsageAccumulator();
        usage.addStart(message.get("usage"));
        return new MessageUsage(Json.text(message, "model"), usage.usage());
    }

    /** As {@link #fromMessage(JsonNode)} on the parsed body; unparseable bytes give null model and ZERO usage. */
    public static MessageUsage fromMessageBytes(byte[] json) {
        return fromMessage(json == null ? null : Json.tryParse(json).orElse(null));
    }
}
